"""Change notices: what changed in the library and on its way to the server, as typed events.

The library publishes one of these after each commit that changes what a view shows; views
subscribe and refresh themselves, so nobody calls "refresh" on another widget. Publishing happens
on whatever thread made the change (an import on a task thread, a take saved on the audio
consumer thread): subscribers that touch widgets go through the Qt bridge (`ui/events.py`), which
re-delivers every event on the GUI thread. No Qt here.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)


class ChangeEvent:
    """Base of every change notice."""


@dataclass(frozen=True)
class TokenAdded(ChangeEvent):
    token_key: int


@dataclass(frozen=True)
class TokenRemoved(ChangeEvent):
    token_key: int


@dataclass(frozen=True)
class TakeAdded(ChangeEvent):
    token_key: int
    script_id: int
    take_id: int


@dataclass(frozen=True)
class TakeChanged(ChangeEvent):
    """Starred or unstarred (the best take of its line may have moved)."""
    token_key: int
    script_id: int
    take_id: int


@dataclass(frozen=True)
class TakeRemoved(ChangeEvent):
    token_key: int
    script_id: int
    take_id: int


@dataclass(frozen=True)
class ScoreStored(ChangeEvent):
    token_key: int
    script_id: int
    take_id: int
    source: str  # "quick" (local) or "server"


@dataclass(frozen=True)
class JobStateChanged(ChangeEvent):
    """A take on its way to the server's analysis moved on (sync/outbox_worker.py): `state` is
    queued, uploading, analysing, completed or failed; `progress` 0–100 within that state;
    `message` the server's words (display only) or, when failed, the reason."""
    item_id: str
    take_id: int
    token_key: int
    script_id: int
    state: str
    progress: int = 0
    message: str = ""
    error_code: str | None = None


@dataclass(frozen=True)
class ResultStored(ChangeEvent):
    """The server's full analysis of a take is in the library (beside its quick score)."""
    item_id: str
    take_id: int
    token_key: int
    script_id: int
    job_id: str


@dataclass(frozen=True)
class SettingsChanged(ChangeEvent):
    names: frozenset[str]  # which settings changed


Subscriber = Callable[[ChangeEvent], None]


class EventBus:
    """Synchronous publish/subscribe: `publish` calls every subscriber on the publishing thread.
    A subscriber that raises is logged and the others still hear the event."""

    def __init__(self):
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Returns the function that unsubscribes again."""
        with self._lock:
            self._subscribers.append(subscriber)
        return lambda: self.unsubscribe(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

    def publish(self, event: ChangeEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(event)
            except Exception:  # noqa: BLE001 - one broken view must not silence the others
                log.exception("a subscriber failed on %r", event)


class RecordingBus(EventBus):
    """An EventBus that also keeps what was published (for tests)."""

    def __init__(self):
        super().__init__()
        self.published: list[ChangeEvent] = []

    def publish(self, event: ChangeEvent) -> None:
        self.published.append(event)
        super().publish(event)
