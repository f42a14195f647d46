"""The quick score's public names, where the rest of the app imports them from. The parts (the
actor's reference and its cache, the three dimensions, the BLAS policy, the file/JSON adapter)
live in `yousync_desktop.analysis.scoring`, whose docstring explains the score.

Use: `quick_score(...)` for one call, or `reference_line(...)` once per line (it is also cached)
and `score_take(...)` per take. `score_take_files(...)` is the `yousync score` command's JSON."""

from yousync_desktop.analysis.scoring.blas import single_threaded_blas
from yousync_desktop.analysis.scoring.cli_adapter import result_json, score_take_files
from yousync_desktop.analysis.scoring.orchestrate import QuickScoreResult, quick_score, score_take
from yousync_desktop.analysis.scoring.reference import (SHARED_REFERENCES, ReferenceCache,
                                                        ReferenceLine, reference_line)

__all__ = ["QuickScoreResult", "ReferenceCache", "ReferenceLine", "SHARED_REFERENCES",
           "quick_score", "reference_line", "result_json", "score_take", "score_take_files",
           "single_threaded_blas"]
