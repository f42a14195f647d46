"""The HTTP client for a YouSync server — ours or the public backend — over the contract's shapes.

Written for the public backend as deployed (docs/yousync-api.md §§2–6) and so working unchanged
against ours (§7), which only fixes and adds:

- Exact paths, trailing slash included (§2.1). A 307 is still followed by hand with the same
  method and body (httpx would drop a streamed body), on the same origin only, so a Bearer token
  never leaves for another host.
- Auth failures (§2.2, §6.1–2): 401, or 403 "Not authenticated", means "sign in again". A 500 on
  a call that carried a token may be the public backend's answer to a bad token: `/api/auth/me`
  with the same token tells — a 500 (or 401) there means the token is bad, anything else means the
  server really failed (retried like any 5xx).
- Retries with exponential backoff and jitter (tenacity) on connection errors, timeouts, 5xx and
  409-in-flight, for idempotent calls only: reads, and uploads carrying an Idempotency-Key (§7.12;
  the public backend ignores the key — the outbox never uploads again once it holds a job_id).
- Bookmarks that come back as `{"debug_info": …}` read as none (§6.10); jobs without `script_id`
  parse (§6.12: the outbox keeps its own job_id → script_id map).

Every failure is a SyncError (errors.py) with a code the UI words; `retryable` says whether
trying later can help.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx
import tenacity
from pydantic import BaseModel, ValidationError

from yousync_desktop.sync import contract
from yousync_desktop.sync.errors import SyncError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
MAX_REDIRECTS = 3
USER_AGENT = "YouSync-Desktop"


class TokenSource(Protocol):
    """Where the client gets its Bearer token (sync/session.py) and tells a rejection."""

    def bearer(self) -> str | None: ...

    def rejected(self, token: str) -> bool:
        """True when a renewed token is ready (the request is sent once more with it)."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    """How a transient failure is retried: `attempts` in all, waits growing from `initial_wait`
    to `max_wait` seconds with jitter. Tests pass tiny waits; nothing asserts on time."""

    attempts: int = 5
    initial_wait: float = 0.5
    max_wait: float = 30.0

    def retrying(self) -> tenacity.Retrying:
        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=tenacity.wait_exponential_jitter(multiplier=self.initial_wait, max=self.max_wait,
                                                  jitter=self.initial_wait),
            retry=tenacity.retry_if_exception(
                lambda error: isinstance(error, SyncError) and error.retryable),
            before_sleep=lambda state: log.info("retrying after: %s", state.outcome.exception()),
            reraise=True)


NO_RETRY = RetryPolicy(attempts=1)


def _reason(response: httpx.Response) -> str:
    """The server's own words for a refusal: `detail` (a string, or the first validation
    problem), the webhook's `error`, or the start of a text body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        detail = body.get("detail", body.get("error"))
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list) and detail and isinstance(detail[0], dict):
            where = ".".join(str(part) for part in detail[0].get("loc", ()))
            return f"{where}: {detail[0].get('msg', '')}".strip(": ")
    return str(body)[:200]


class ApiClient:
    """One server, one connection pool. `auth` supplies the Bearer token (None: anonymous);
    `transport` lets tests put a stand-in under it. Thread-safe as httpx.Client is."""

    def __init__(self, base_url: str, *, auth: TokenSource | None = None,
                 transport: httpx.BaseTransport | None = None, timeout: float = 30.0,
                 retry: RetryPolicy = RetryPolicy(), stream_read_timeout: float = 45.0):
        self.base_url = base_url.rstrip("/")
        self.server = urlsplit(self.base_url).netloc or self.base_url
        self.auth = auth
        self.retry = retry
        # An SSE stream is quiet between frames; our server's keep-alive comes every 15 s, so a
        # longer silence means the connection is gone (heartbeat loss): reconnect.
        self.stream_read_timeout = stream_read_timeout
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                  follow_redirects=False, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # --- the one way a request is sent ---------------------------------------------------------

    def request(self, method: str, path: str, *, auth: str = "none", idempotent: bool = False,
                **kwargs: Any) -> httpx.Response:
        """Send and return a 2xx response, or raise SyncError. `auth`: "none" (no header),
        "optional" (a token if signed in) or "required". Idempotent requests are retried on
        transient failures."""
        policy = self.retry if idempotent else NO_RETRY
        try:
            return policy.retrying()(self._send_once, method, path, auth, kwargs)
        except SyncError as error:
            if not getattr(error, "renewed", False):
                raise
        return policy.retrying()(self._send_once, method, path, auth, kwargs)

    def _send_once(self, method: str, path: str, auth: str, kwargs: dict) -> httpx.Response:
        token = self.auth.bearer() if (self.auth is not None and auth != "none") else None
        # A client given a session must not fall back to anonymous on "optional" routes: the
        # public backend would file the take as anonymous and delete it a minute later (§6.5).
        if auth != "none" and token is None and (auth == "required" or self.auth is not None):
            raise SyncError("sync.sign_in_required", server=self.server)
        kwargs = dict(kwargs)  # the same arguments serve every retry
        headers = dict(kwargs.pop("headers", None) or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        request = self._http.build_request(method, path, headers=headers, **kwargs)
        request.read()  # the body as bytes: it can be sent again after a 307 or a retry
        response = self._follow(request)
        if response.is_success:
            return response
        self._raise_for(response, token)
        raise AssertionError("unreachable")

    def _follow(self, request: httpx.Request) -> httpx.Response:
        """Send, following 307/308 with the same method and body on the same origin (§2.1)."""
        origin = request.url.copy_with(path="/", query=None, fragment=None)
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._transport_send(request)
            if response.status_code not in (307, 308) or "location" not in response.headers:
                return response
            target = httpx.URL(urljoin(str(request.url), response.headers["location"]))
            if target.copy_with(path="/", query=None, fragment=None) != origin:
                raise SyncError("sync.too_many_redirects", url=str(target))
            log.info("%s %s answered %d: following to %s", request.method, request.url.path,
                     response.status_code, target.path)
            headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
            request = httpx.Request(request.method, target, headers=headers,
                                    content=request.content)
        raise SyncError("sync.too_many_redirects", url=str(request.url))

    def _transport_send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._http.send(request)
            response.read()
            return response
        except httpx.TimeoutException:
            raise SyncError("sync.timeout", server=self.server) from None
        except httpx.TransportError as error:
            raise SyncError("sync.unreachable", server=self.server,
                            reason=str(error) or type(error).__name__) from None

    def _raise_for(self, response: httpx.Response, token: str | None) -> None:
        status = response.status_code
        if status == 401 or (status == 403 and _reason(response) == "Not authenticated"):
            raise self._signed_out(token)
        if status >= 500:
            if token is not None and self._token_is_bad(token):  # §6.1
                raise self._signed_out(token)
            raise SyncError("sync.server_error", server=self.server, status=status)
        if status in (409, 429):  # an identical upload still in flight (§7.12), or slow down
            raise SyncError("sync.server_busy", server=self.server)
        if status == 404:
            raise SyncError("sync.not_found", reason=_reason(response))
        raise SyncError("sync.refused", status=status, reason=_reason(response))

    def _signed_out(self, token: str | None) -> SyncError:
        error = SyncError("sync.sign_in_required", server=self.server)
        # Ours may renew the session with its refresh token: then the call is made once more.
        error.renewed = bool(token is not None and self.auth is not None
                             and self.auth.rejected(token))
        return error

    def _token_is_bad(self, token: str) -> bool:
        try:
            check = self._transport_send(self._http.build_request(
                "GET", "/api/auth/me", headers={"Authorization": f"Bearer {token}"}))
        except SyncError:
            return False  # the server is not answering at all: a server problem, not the token
        return check.status_code in (401, 500) or (
            check.status_code == 403 and _reason(check) == "Not authenticated")

    def _model(self, model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as error:
            raise SyncError("sync.bad_answer", reason=f"{model.__name__}: {error}"[:300]) \
                from None

    def _models(self, model: type[M], response: httpx.Response) -> list[M]:
        body = self._json(response)
        if not isinstance(body, list):
            raise SyncError("sync.bad_answer", reason=f"expected a list of {model.__name__}")
        try:
            return [model.model_validate(item) for item in body]
        except ValidationError as error:
            raise SyncError("sync.bad_answer", reason=f"{model.__name__}: {error}"[:300]) \
                from None

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise SyncError("sync.bad_answer", reason="not JSON") from None

    # --- root, auth (§3.1, §3.15, §7.2) --------------------------------------------------------

    def root(self) -> contract.Root:
        return self._model(contract.Root, self.request("GET", "/", idempotent=True))

    def health(self) -> contract.Health:
        return self._model(contract.Health, self.request("GET", "/health", idempotent=True))

    def auth_config(self) -> contract.AuthConfig | None:
        """Our server's sign-in configuration; None from a server that does not offer one."""
        try:
            response = self.request("GET", "/api/auth/config", idempotent=True)
        except SyncError as error:
            if error.code in ("sync.not_found", "sync.refused"):
                return None
            raise
        return self._model(contract.AuthConfig, response)

    def google_login(self, id_token: str) -> contract.AccessToken:
        return self._model(contract.AccessToken, self.request(
            "POST", "/api/auth/google-login", json={"id_token": id_token}))

    def me(self) -> contract.User:
        return self._model(contract.User, self.request("GET", "/api/auth/me", auth="required",
                                                       idempotent=True))

    def refresh_with_token(self, refresh_token: str) -> contract.AccessToken:
        """Ours (§7.2): works after the access token expired; rotates the refresh token."""
        return self._model(contract.AccessToken, self.request(
            "POST", "/api/auth/refresh/", json={"refresh_token": refresh_token}))

    def refresh_legacy(self, access_token: str) -> contract.AccessToken:
        """The public form (§3.1, §6.3): only while `access_token` is still valid."""
        response = self.request("POST", "/api/auth/refresh/",
                                headers={"Authorization": f"Bearer {access_token}"})
        return self._model(contract.AccessToken, response)

    def logout(self, access_token: str, refresh_token: str | None = None) -> None:
        body = {"refresh_token": refresh_token} if refresh_token else None
        self.request("POST", "/api/auth/logout", json=body,
                     headers={"Authorization": f"Bearer {access_token}"})

    # --- catalogue and my page (§3.2, §3.8) ----------------------------------------------------

    def latest(self, skip: int = 0, limit: int = 100) -> list[contract.Token]:
        return self._models(contract.Token, self.request(
            "GET", "/api/tokens/latest/", params={"skip": skip, "limit": limit}, idempotent=True))

    def token_detail(self, token_id: int) -> contract.TokenDetail:
        return self._model(contract.TokenDetail, self.request(
            "GET", f"/api/tokens/{int(token_id)}", idempotent=True))

    def bookmarks(self, limit: int = 20, offset: int = 0) -> list[contract.Bookmark]:
        response = self.request("GET", "/api/mypage/bookmarks", auth="required",
                                params={"limit": limit, "offset": offset}, idempotent=True)
        if not isinstance(self._json(response), list):  # §6.10: {"debug_info": …} means none
            return []
        return self._models(contract.Bookmark, response)

    # --- takes and jobs (§3.5–3.7, §4) ---------------------------------------------------------

    def upload_script_take(self, script_id: int, audio: bytes, *, filename: str,
                           idempotency_key: str, window_start: float | None = None
                           ) -> contract.ScriptUploadAccepted:
        """One take of one line (the primary path). Opt auth: signed in when a session exists.
        The key makes a retry safe on our server; the public one ignores it (§7.12)."""
        data = {} if window_start is None else {"window_start": f"{window_start:.6f}"}
        response = self.request(
            "POST", f"/api/scripts/{int(script_id)}/upload-audio", auth="optional",
            idempotent=True, headers={"Idempotency-Key": idempotency_key},
            files={"file": (filename, audio, "audio/wav")}, data=data)
        return self._model(contract.ScriptUploadAccepted, response)

    def script_job(self, job_id: str) -> contract.Job:
        return self._model(contract.Job, self.request(
            "GET", f"/api/scripts/analysis-result/{job_id}", idempotent=True))

    def script_job_frames(self, job_id: str, last_event_id: str | None = None
                          ) -> Iterator[tuple[str | None, dict]]:
        """The job's SSE frames as (id, JSON object) until the stream ends, however it ends
        (§4.2: a terminal frame, `Job not found`, or — public — a silent close). Transport
        problems raise SyncError; a frame that is not a JSON object is skipped."""
        from httpx_sse import SSEError, connect_sse

        headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
        timeout = httpx.Timeout(self._http.timeout.connect, read=self.stream_read_timeout)
        try:
            with connect_sse(self._http, "GET", f"/api/scripts/analysis-progress/{job_id}",
                             headers=headers, timeout=timeout) as source:
                if not source.response.is_success:
                    source.response.read()
                    self._raise_for(source.response, None)
                for event in source.iter_sse():
                    try:
                        frame = event.json()
                    except ValueError:
                        continue
                    if isinstance(frame, dict):
                        yield (event.id or None), frame
        except SSEError as error:
            raise SyncError("sync.bad_answer", reason=str(error)) from None
        except httpx.TimeoutException:
            raise SyncError("sync.timeout", server=self.server) from None
        except httpx.TransportError as error:
            raise SyncError("sync.unreachable", server=self.server,
                            reason=str(error) or type(error).__name__) from None


def client_factory(**options: Any) -> Callable[[str, TokenSource | None], ApiClient]:
    """A factory the services keep, so tests can put a transport or quick retries under every
    client the app makes."""
    return lambda base_url, auth=None: ApiClient(base_url, auth=auth, **options)
