"""The analysis worker: `analyze()` (one take → the §4.4 result) and the `JobRunner` that takes a
job id to a terminal state. `queue_handler(runner)` plugs the runner into a QueueConsumer.

The analysis, module by module:
    analysis.py            the boundary: audio in, result out; quick score fallback
    recognition.py         pocketsphinx: transcript, forced alignment, GOP per word and phone
    whisper_transcript.py  Whisper tiny.en transcript when the `asr` extra is installed
    g2p.py                 eSpeak NG pronunciations for words CMUdict lacks
    pronunciation.py       pass/fail and 0–1 score per word from recognition + GOP
    full_analysis.py       the result JSON: recogniser words + the shared engine's intonation/timing
"""

from yousync_server.worker.analysis import TokenMedia, analyze
from yousync_server.worker.runner import (REASONS, JobFailed, JobRunner, JobSources, JobUpdate,
                                          JobView)

__all__ = ["JobFailed", "JobRunner", "JobSources", "JobUpdate", "JobView", "REASONS",
           "TokenMedia", "analyze", "consumer_for", "queue_handler"]


def queue_handler(runner: JobRunner):
    """A QueueConsumer handler: run the delivered job. Returning acknowledges it, whatever the
    outcome (completed, failed, already done or gone); only an unwritable state raises, and the
    delivery is then retried."""
    def handle(delivery):
        runner.run(delivery.job_id, delivery.payload)
    return handle


def consumer_for(queue, runner: JobRunner, **options):
    """The consumer that runs `runner` on `queue`; after the last attempt the job is failed with
    `analysis_error` rather than retried forever."""
    from yousync_server.queue import QueueConsumer

    return QueueConsumer(queue, queue_handler(runner),
                         give_up=lambda delivery, exc: runner.fail(delivery.job_id,
                                                                   "analysis_error", str(exc)),
                         **options)
