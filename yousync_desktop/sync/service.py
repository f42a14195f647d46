"""`SyncService`: what a window (or the CLI) asks of the sync layer, as task-manager operations.

It owns the profiles, one session per profile (keychain-backed), the API clients, and the outbox;
slow work — the connection check, sign-in, a sync pass — goes through the app's task manager
(`tasks.run`, callbacks where the manager delivers them; sync passes on their own "sync" lane so
two never overlap). What changed is published on the library's event bus (JobStateChanged,
ResultStored, ScoreStored), so views follow without being called.

With `sync_takes_automatically` on, every new take is queued for the active profile as it is
added, and a sync pass is started (one at a time: a pass already waiting picks it up).
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from yousync_desktop.events import ChangeEvent, TakeAdded
from yousync_desktop.library.outbox import OutboxItem, UploadOutbox
from yousync_desktop.library.repository import Library
from yousync_desktop.settings import SettingsStore
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError
from yousync_desktop.sync.outbox_worker import FollowPolicy, OutboxWorker, SyncSummary
from yousync_desktop.sync.profiles import ConnectionCheck, ServerProfiles, check_connection
from yousync_desktop.sync.session import SessionManager, SessionVault
from yousync_desktop.tasks import Task, TaskHandle, TaskManager

log = logging.getLogger(__name__)

SYNC_LANE = "sync"
Callback = Callable[..., None] | None


class SyncService:
    """`client_options` go to every ApiClient (tests: quick retries); `follow` to the worker."""

    def __init__(self, settings: SettingsStore, library: Library, tasks: TaskManager, *,
                 vault: SessionVault | None = None, client_options: dict[str, Any] | None = None,
                 follow: FollowPolicy = FollowPolicy(),
                 on_notice: Callable[[SyncError], None] | None = None):
        self.settings = settings
        self.library = library
        self.tasks = tasks
        self.profiles = ServerProfiles(settings)
        self.vault = vault if vault is not None else SessionVault(on_notice=on_notice)
        self.outbox = UploadOutbox(library)
        self.follow = follow
        self._client_options = dict(client_options or {})
        self._lock = threading.Lock()
        self._plain: dict[tuple[str, str], ApiClient] = {}
        self._sessions: dict[tuple[str, str], SessionManager] = {}
        self._pass_waiting = False
        self._unsubscribe = library.events.subscribe(self._on_event)

    # --- building blocks -----------------------------------------------------------------------

    def _profile_name(self, name: str | None) -> str:
        return name if name is not None else self.profiles.active().name

    def plain_api(self, name: str | None = None) -> ApiClient:
        """An anonymous client of the profile's server (shared; closed with the service)."""
        profile = self.profiles.get(self._profile_name(name))
        with self._lock:
            key = (profile.name, profile.base_url)
            if key not in self._plain:
                self._plain[key] = ApiClient(profile.base_url, **self._client_options)
            return self._plain[key]

    def session(self, name: str | None = None) -> SessionManager:
        profile = self.profiles.get(self._profile_name(name))
        plain = self.plain_api(profile.name)
        with self._lock:
            key = (profile.name, profile.base_url)
            if key not in self._sessions:
                self._sessions[key] = SessionManager(profile.name, plain, self.vault)
            return self._sessions[key]

    def api(self, name: str | None = None) -> ApiClient:
        """A client that signs its requests when the learner is signed in to this profile; the
        caller closes it."""
        profile = self.profiles.get(self._profile_name(name))
        sessions = self.session(profile.name)
        return ApiClient(profile.base_url, auth=sessions if sessions.signed_in else None,
                         **self._client_options)

    # --- operations (through the task manager) -------------------------------------------------

    def check_connection(self, name: str | None = None, *, on_success: Callback = None,
                         on_failure: Callback = None, owner: Any = None) -> TaskHandle:
        """`on_success(ConnectionCheck)`: its `summary()` is the line to show."""
        profile_name = self._profile_name(name)

        def check(_task: Task) -> ConnectionCheck:
            profile = self.profiles.get(profile_name)
            return check_connection(profile, self.plain_api(profile_name))

        return self.tasks.run(check, on_success=on_success, on_failure=on_failure, owner=owner,
                              label="check the server")

    def sign_in(self, name: str | None = None, *, on_success: Callback = None,
                on_failure: Callback = None, owner: Any = None, **flow_options) -> TaskHandle:
        """Fills the profile from the server's auth config first when it offers one (ours),
        then the browser flow; `on_success(Session)`."""
        from yousync_desktop.sync.signin import sign_in

        profile_name = self._profile_name(name)

        def signing_in(task: Task):
            task.progress(None, "waiting for the browser")
            plain = self.plain_api(profile_name)
            profile = self.profiles.get(profile_name)
            if not profile.client_id:
                profile = self.profiles.fill_from_server(profile_name, plain)
            return sign_in(profile, plain, self.session(profile_name), **flow_options)

        return self.tasks.run(signing_in, on_success=on_success, on_failure=on_failure,
                              owner=owner, label="sign in")

    def sign_out(self, name: str | None = None, *, on_success: Callback = None,
                 on_failure: Callback = None, owner: Any = None) -> TaskHandle:
        profile_name = self._profile_name(name)
        return self.tasks.run(lambda _task: self.session(profile_name).sign_out(),
                              on_success=on_success, on_failure=on_failure, owner=owner,
                              label="sign out")

    def keep_session_fresh(self, name: str | None = None, *, on_success: Callback = None,
                           on_failure: Callback = None, owner: Any = None) -> TaskHandle:
        """Refresh the session if it is due (a UI timer calls this at `refresh_due_in`);
        `on_success(still_signed_in)`."""
        profile_name = self._profile_name(name)
        return self.tasks.run(lambda _task: self.session(profile_name).keep_fresh(),
                              on_success=on_success, on_failure=on_failure, owner=owner,
                              lane=SYNC_LANE, label="refresh the session")

    def mark_for_sync(self, take_id: int, name: str | None = None) -> OutboxItem:
        """Queue a take for the server's analysis (a quick library write: no task needed)."""
        return self.outbox.enqueue(take_id, self._profile_name(name))

    def sync_now(self, name: str | None = None, *, on_success: Callback = None,
                 on_failure: Callback = None, on_progress: Callback = None,
                 owner: Any = None) -> TaskHandle:
        """One pass over the outbox: `on_success(SyncSummary)`; progress is the share of items
        settled. A signed-in learner whose session has lapsed is asked to sign in again before
        any take goes (the public backend would quietly file it as anonymous, §6.5)."""
        profile_name = self._profile_name(name)

        def sync_pass(task: Task) -> SyncSummary:
            with self._lock:
                self._pass_waiting = False
            with self.api(profile_name) as api:
                return OutboxWorker(self.library, api, profile_name,
                                    policy=self.follow).run(task)

        return self.tasks.run(sync_pass, on_success=on_success, on_failure=on_failure,
                              on_progress=on_progress, owner=owner, lane=SYNC_LANE,
                              label="sync takes")

    # --- automatic queueing --------------------------------------------------------------------

    def _on_event(self, event: ChangeEvent) -> None:
        if not isinstance(event, TakeAdded) or not self.settings.current.sync_takes_automatically:
            return
        try:
            self.mark_for_sync(event.take_id)
        except Exception:  # noqa: BLE001 - a take must never fail to save because of sync
            log.exception("take %s could not be queued for the server", event.take_id)
            return
        with self._lock:
            if self._pass_waiting:
                return
            self._pass_waiting = True
        self.sync_now()

    def close(self) -> None:
        self._unsubscribe()
        with self._lock:
            clients = list(self._plain.values())
            self._plain.clear()
            self._sessions.clear()
        for client in clients:
            client.close()
