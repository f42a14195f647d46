"""A queue worker as its own process, for the SIGKILL test: consumes an SQS queue with the real
QueueConsumer and a handler that is idempotent by job id, recording into SQLite what it did.
On a job's first delivery it blocks (heartbeating) until it is killed; later deliveries finish."""

from __future__ import annotations

import argparse
import sqlite3
import threading

from yousync_server.queue import QueueConsumer
from yousync_server.queue.sqs import SQSQueue

SCHEMA = """
create table if not exists jobs (job_id text primary key, status text, completions int default 0);
create table if not exists events (job_id text, what text, attempt int, pid int);
"""


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.executescript(SCHEMA)
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--visibility", type=float, default=2.0)
    args = parser.parse_args()
    import os
    pid = os.getpid()

    def handle(delivery):
        db = connect(args.db)
        try:
            status = db.execute("select status from jobs where job_id = ?",
                                (delivery.job_id,)).fetchone()
            if status and status[0] == "completed":
                db.execute("insert into events values (?, 'skipped', ?, ?)",
                           (delivery.job_id, delivery.attempt, pid))
                return  # already done: acknowledged, not redone
            db.execute("insert into events values (?, 'started', ?, ?)",
                       (delivery.job_id, delivery.attempt, pid))
            if delivery.attempt == 1:
                threading.Event().wait()  # the test SIGKILLs us here
            db.execute("insert into jobs (job_id, status, completions) values (?, 'completed', 1) "
                       "on conflict(job_id) do update set status = 'completed', "
                       "completions = completions + 1 where status != 'completed'",
                       (delivery.job_id,))
            db.execute("insert into events values (?, 'completed', ?, ?)",
                       (delivery.job_id, delivery.attempt, pid))
        finally:
            db.close()

    queue = SQSQueue(args.queue_url)
    QueueConsumer(queue, handle, visibility_s=args.visibility, heartbeat_s=args.visibility / 4,
                  wait_s=1).run_forever()


if __name__ == "__main__":
    main()
