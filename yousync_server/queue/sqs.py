"""Jobs through Amazon SQS (or any SQS-compatible endpoint, e.g. moto, via AWS_ENDPOINT_URL).

The message is the contract's queue-mode body (§4.3): a JSON string with `job_id` and the payload
(null values dropped), with String attributes `job_type=audio_analysis`, `priority=normal` and
`job_id`. All calls block: the web process enqueues through a thread (`asyncio.to_thread`)."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from yousync_server.queue.base import Delivery, QueueError, drop_nulls

MAX_VISIBILITY_S = 43_200   # SQS's own ceiling (12 h)


class SQSQueue:
    def __init__(self, queue_url: str | None = None, *, queue_name: str | None = None,
                 endpoint_url: str | None = None, region: str | None = None, client=None,
                 create: bool = False):
        """Give `queue_url`, or `queue_name` to look it up (`create=True` creates it)."""
        self.client = client or boto3.client(
            "sqs", endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None,
            region_name=region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
            config=Config(connect_timeout=5, read_timeout=30,
                          retries={"max_attempts": 3, "mode": "standard"}))
        if queue_url is None:
            if not queue_name:
                raise ValueError("SQSQueue needs queue_url or queue_name")
            queue_url = self._call(self._lookup, queue_name, create)
        self.queue_url = queue_url

    def _lookup(self, name: str, create: bool) -> str:
        if create:
            return self.client.create_queue(QueueName=name)["QueueUrl"]
        return self.client.get_queue_url(QueueName=name)["QueueUrl"]

    @staticmethod
    def _call(function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (ClientError, BotoCoreError, OSError) as exc:
            raise QueueError(f"SQS: {exc}") from exc

    def enqueue(self, job_id: str, payload: dict[str, Any]) -> None:
        body = drop_nulls({"timestamp": datetime.now(timezone.utc).isoformat(),
                           "source": "fastapi_backend", **payload, "job_id": job_id})
        attributes = {name: {"DataType": "String", "StringValue": value} for name, value in (
            ("job_type", "audio_analysis"), ("priority", "normal"), ("job_id", job_id))}
        self._call(self.client.send_message, QueueUrl=self.queue_url,
                   MessageBody=json.dumps(body, ensure_ascii=False), MessageAttributes=attributes)

    def receive(self, wait_s: float, visibility_s: float) -> Delivery | None:
        answer = self._call(self.client.receive_message, QueueUrl=self.queue_url,
                            MaxNumberOfMessages=1, WaitTimeSeconds=int(min(20, max(0, wait_s))),
                            VisibilityTimeout=int(min(MAX_VISIBILITY_S, visibility_s)),
                            MessageSystemAttributeNames=["ApproximateReceiveCount"],
                            MessageAttributeNames=["All"])
        for message in answer.get("Messages", []):
            try:
                body = json.loads(message["Body"])
                job_id = str(body.pop("job_id"))
            except (ValueError, KeyError, TypeError):
                # Not ours and never will be: drop it rather than redeliver it forever.
                self._call(self.client.delete_message, QueueUrl=self.queue_url,
                           ReceiptHandle=message["ReceiptHandle"])
                continue
            attempt = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
            return Delivery(job_id, body, message["ReceiptHandle"], attempt,
                            {"message_id": message.get("MessageId")})
        return None

    def extend(self, delivery: Delivery, visibility_s: float) -> None:
        self._call(self.client.change_message_visibility, QueueUrl=self.queue_url,
                   ReceiptHandle=delivery.receipt,
                   VisibilityTimeout=int(min(MAX_VISIBILITY_S, visibility_s)))

    def ack(self, delivery: Delivery) -> None:
        self._call(self.client.delete_message, QueueUrl=self.queue_url,
                   ReceiptHandle=delivery.receipt)

    def release(self, delivery: Delivery) -> None:
        self._call(self.client.change_message_visibility, QueueUrl=self.queue_url,
                   ReceiptHandle=delivery.receipt, VisibilityTimeout=0)

    def status(self) -> dict[str, Any]:
        attributes = self._call(
            self.client.get_queue_attributes, QueueUrl=self.queue_url,
            AttributeNames=["ApproximateNumberOfMessages",
                            "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return {"messages_available": attributes.get("ApproximateNumberOfMessages", "0"),
                "messages_in_flight": attributes.get("ApproximateNumberOfMessagesNotVisible", "0")}
