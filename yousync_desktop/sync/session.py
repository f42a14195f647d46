"""The signed-in session for one server profile: kept in the OS keychain, refreshed before it
expires, dropped when the server says it is no longer good.

What is kept: the access token, the refresh token where the server gives one (ours, §7.2), the
expiry and the learner's email. Where: the system keychain through `keyring` — never a file.
Without a usable keychain (headless Linux has none: NoKeyringError) the session lives in memory
only, and the learner hears it once (`notice`, "sync.keychain_unavailable").

Refreshing (`bearer()`, called before every authenticated request): inside `REFRESH_MARGIN_S` of
the expiry, ours is refreshed with the refresh token (works after expiry too); the public backend,
which has none, with the legacy Bearer refresh — only possible while the token is still valid
(§6.3), which is why this happens ten minutes early. When refreshing is impossible or the server
rejects the session, it is dropped and the next call says "sign in again" (the outbox keeps its
queued takes; nothing here touches the library).
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from dataclasses import asdict, dataclass
from typing import Callable

from yousync_desktop.sync import contract
from yousync_desktop.sync.api_client import ApiClient
from yousync_desktop.sync.errors import SyncError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "YouSync"
REFRESH_MARGIN_S = 600.0          # refresh this long before expiry (public tokens live 60 min)
DEFAULT_LIFETIME_S = 3600.0       # when neither `expires_in` nor the token's `exp` says


@dataclass(frozen=True)
class Session:
    profile: str
    access_token: str
    expires_at: float                 # unix seconds
    refresh_token: str | None = None  # ours only
    email: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Session":
        return cls(**json.loads(text))


def token_expiry(access_token: str, expires_in: int | None, now: float) -> float:
    """When an access token expires: `expires_in` (ours), else the JWT's `exp` claim (read, not
    verified — the server verifies), else an hour from now."""
    if expires_in:
        return now + expires_in
    claims = unverified_claims(access_token)
    exp = claims.get("exp")
    if isinstance(exp, (int, float)):
        return float(exp)
    return now + DEFAULT_LIFETIME_S


def unverified_claims(jwt_text: str) -> dict:
    try:
        payload = jwt_text.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


class SessionVault:
    """Sessions in the system keychain, one entry per profile; in memory only when there is no
    usable keychain (then `notice` says so, once)."""

    def __init__(self, on_notice: Callable[[SyncError], None] | None = None):
        self._memory: dict[str, str] = {}
        self._keychain_usable = True
        self._on_notice = on_notice
        self.notice: SyncError | None = None

    @property
    def in_memory_only(self) -> bool:
        return not self._keychain_usable

    def _keychain_failed(self, error: Exception) -> None:
        if self._keychain_usable:
            log.warning("no usable keychain (%s): the session is kept in memory only", error)
            self._keychain_usable = False
            self.notice = SyncError("sync.keychain_unavailable")
            if self._on_notice is not None:
                self._on_notice(self.notice)

    def load(self, profile: str) -> Session | None:
        text = self._memory.get(profile)
        if text is None and self._keychain_usable:
            import keyring
            from keyring.errors import KeyringError

            try:
                text = keyring.get_password(KEYRING_SERVICE, _entry(profile))
            except KeyringError as error:
                self._keychain_failed(error)
        if not text:
            return None
        try:
            return Session.from_json(text)
        except (ValueError, TypeError):
            log.warning("the stored session of %s is not readable: sign in again", profile)
            return None

    def save(self, session: Session) -> None:
        text = session.to_json()
        if self._keychain_usable:
            import keyring
            from keyring.errors import KeyringError

            try:
                keyring.set_password(KEYRING_SERVICE, _entry(session.profile), text)
                self._memory.pop(session.profile, None)
                return
            except KeyringError as error:
                self._keychain_failed(error)
        self._memory[session.profile] = text

    def delete(self, profile: str) -> None:
        self._memory.pop(profile, None)
        if self._keychain_usable:
            import keyring
            from keyring.errors import KeyringError, PasswordDeleteError

            try:
                keyring.delete_password(KEYRING_SERVICE, _entry(profile))
            except PasswordDeleteError:
                pass
            except KeyringError as error:
                self._keychain_failed(error)


def _entry(profile: str) -> str:
    return f"session:{profile}"


class SessionManager:
    """The session of one profile, as the API client's TokenSource. Thread-safe: the outbox
    worker and a browsing view may ask for the token at once; one refresh runs."""

    def __init__(self, profile: str, api: ApiClient, vault: SessionVault, *,
                 clock: Callable[[], float] = time.time,
                 refresh_margin: float = REFRESH_MARGIN_S):
        self.profile = profile
        self.api = api  # an ApiClient without auth: refresh and logout carry their own header
        self.vault = vault
        self.clock = clock
        self.refresh_margin = refresh_margin
        self._lock = threading.RLock()
        self._session = vault.load(profile)

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def signed_in(self) -> bool:
        return self._session is not None

    def adopt(self, issued: contract.AccessToken, email: str | None = None) -> Session:
        """Keep what google-login (or a refresh) gave."""
        with self._lock:
            previous = self._session
            session = Session(
                profile=self.profile, access_token=issued.access_token,
                expires_at=token_expiry(issued.access_token, issued.expires_in, self.clock()),
                refresh_token=issued.refresh_token or (previous.refresh_token if previous
                                                       else None),
                email=email or (previous.email if previous else None)
                or unverified_claims(issued.access_token).get("email"))
            self._session = session
            self.vault.save(session)
            return session

    def refresh_due_in(self) -> float | None:
        """Seconds until the session should be refreshed (0: now); None when signed out. A UI
        timer uses it to refresh an idle session before a public 60-minute token runs out —
        after that only a new sign-in helps (§6.3)."""
        session = self._session
        if session is None:
            return None
        return max(0.0, session.expires_at - self.refresh_margin - self.clock())

    def keep_fresh(self) -> bool:
        """Refresh now if due (blocking: run it as a task); whether still signed in."""
        self.bearer()
        return self.signed_in

    # --- TokenSource ---------------------------------------------------------------------------

    def bearer(self) -> str | None:
        with self._lock:
            session = self._session
            if session is None:
                return None
            if session.expires_at - self.clock() <= self.refresh_margin:
                session = self._refresh(session)
            return session.access_token if session is not None else None

    def rejected(self, token: str) -> bool:
        """The server refused `token`: True when a refreshed session is ready to try again with
        (ours, with a refresh token), else the session is dropped."""
        with self._lock:
            session = self._session
            if session is None or session.access_token != token:
                return session is not None  # already replaced by another thread
            if session.refresh_token:
                return self._refresh(session, after_rejection=True) is not None
            self._drop("the server rejected the access token")
            return False

    def _refresh(self, session: Session, *, after_rejection: bool = False) -> Session | None:
        now = self.clock()
        try:
            if session.refresh_token:
                issued = self.api.refresh_with_token(session.refresh_token)
            elif session.expires_at > now and not after_rejection:
                issued = self.api.refresh_legacy(session.access_token)
            else:
                self._drop("expired, and the server gives no refresh token")
                return None
        except SyncError as error:
            if error.retryable and session.expires_at > now and not after_rejection:
                log.info("refresh postponed: %s", error)
                return session  # still valid: use it and try again at the next call
            if error.retryable:
                return None  # offline with an expired token: keep the session for later
            self._drop(f"refresh refused: {error}")
            return None
        return self.adopt(issued)

    def _drop(self, why: str) -> None:
        log.info("session of %s dropped: %s", self.profile, why)
        self._session = None
        self.vault.delete(self.profile)

    def sign_out(self) -> None:
        """Revoke what the server allows (ours revokes the refresh token; the public backend
        revokes nothing), then forget the session here whatever the server said."""
        with self._lock:
            session = self._session
            if session is None:
                return
            try:
                self.api.logout(session.access_token, session.refresh_token)
            except SyncError as error:
                log.info("logout at the server did not go through: %s", error)
            self._drop("signed out")
