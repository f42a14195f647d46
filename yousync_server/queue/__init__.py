"""The job queue: at-least-once delivery with visibility timeouts, in process or through SQS.

    queue = InProcessQueue()                         # embedded default
    queue = SQSQueue(queue_name="yousync-jobs")      # AWS_ENDPOINT_URL honoured
    queue.enqueue(job_id, payload)                   # blocking: routes use asyncio.to_thread
    QueueConsumer(queue, handle).start(threads=1)    # or .run_forever() in `yousync-server worker`
"""

from yousync_server.queue.base import Delivery, JobQueue, QueueError
from yousync_server.queue.consumer import QueueConsumer
from yousync_server.queue.in_process import InProcessQueue

__all__ = ["Delivery", "InProcessQueue", "JobQueue", "QueueConsumer", "QueueError", "SQSQueue"]


def __getattr__(name):
    if name == "SQSQueue":  # boto3 only for the deployments that use it
        from yousync_server.queue.sqs import SQSQueue
        return SQSQueue
    raise AttributeError(name)


def from_settings(settings) -> JobQueue:
    """SQS when YOUSYNC_SQS_QUEUE_URL or YOUSYNC_SQS_QUEUE_NAME is set, else in process."""
    if settings.sqs_queue_url or settings.sqs_queue_name:
        from yousync_server.queue.sqs import SQSQueue

        return SQSQueue(settings.sqs_queue_url, queue_name=settings.sqs_queue_name,
                        create=settings.sqs_queue_url is None)
    return InProcessQueue()
