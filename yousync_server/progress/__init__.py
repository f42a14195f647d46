"""Job progress for SSE streams: one `ProgressHub` per process, fed by the runner (embedded mode)
or by one `SharedPoller` (several processes), and `job_event_stream` for the framing.

    hub = ProgressHub(); runner sources get on_change=hub.publish
    return sse_response(job_event_stream(job_id, hub, load_state, last_event_id=...))
"""

from yousync_server.progress.hub import ProgressHub, Subscription
from yousync_server.progress.notifier import ProgressNotifier
from yousync_server.progress.poller import SharedPoller
from yousync_server.progress.sse import (INGEST_FIELDS, JOB_FIELDS, data_frame, job_event_stream,
                                         sse_response)

__all__ = ["INGEST_FIELDS", "JOB_FIELDS", "ProgressHub", "ProgressNotifier", "SharedPoller",
           "Subscription", "data_frame", "job_event_stream", "sse_response"]


def from_settings(settings) -> ProgressNotifier:
    return ProgressNotifier(settings.progress_poll_seconds)
