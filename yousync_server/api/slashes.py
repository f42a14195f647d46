"""Slash tolerance (§7.15): a request for the other trailing-slash form of a declared route is
answered by that route directly, instead of the public backend's 307 (which a client must follow
by re-sending its body). Where the other form matches some route itself — `GET /api/tokens/latest`
reaches `/api/tokens/{token_id}` — nothing changes, as in the public backend.

Pure ASGI, before routing: the path is rewritten only when it matches no route as sent and the
other form does. FastAPI's own 307 redirect is switched off in app.py.
"""

from __future__ import annotations

from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send


class SlashTolerance:
    def __init__(self, app: ASGIApp, routes_of):
        self.app = app
        self._routes_of = routes_of  # callable: the app's current routes (routers may be added)

    def _matches(self, scope: Scope) -> bool:
        return any(route.matches(scope)[0] != Match.NONE for route in self._routes_of())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            if path != "/" and not self._matches(scope):
                other = path[:-1] if path.endswith("/") else path + "/"
                candidate = dict(scope, path=other)
                if scope.get("raw_path") is not None:
                    raw = scope["raw_path"]
                    candidate["raw_path"] = raw[:-1] if raw.endswith(b"/") else raw + b"/"
                if self._matches(candidate):
                    scope = candidate
        await self.app(scope, receive, send)
