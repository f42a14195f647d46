#!/usr/bin/env python3
"""Generate the demo scene packs (``resources/demo_scenes/*.yspack``); the code is in
``tools/demo_scenes/``. Run from anywhere (``make demo-scenes`` does)::

    python tools/make_demo_scenes.py [--out resources/demo_scenes]
"""

import sys
from pathlib import Path

# Run as a script, Python puts tools/ first on the path; the repository root must come first
# so that `tools` and this checkout's `yousync_desktop` are the ones imported.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.demo_scenes.build import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
