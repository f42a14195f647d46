"""The two most read answers — `GET /api/tokens/` and `GET /api/tokens/{id}` — straight from the
read cache, before routing.

FastAPI's routing (a linear match over every route), slash tolerance and dependency solving cost
more CPU than sending a cached body: with them a 2-core server answered the token detail about
1,900 times a second, 40 % of it spent finding the route (benchmarks.server, py-spy). This pure
ASGI middleware answers only what the routes would answer byte for byte: a GET with no query
string, for an id of plain digits, whose rendered body is in the cache, fresh and not due to be
rendered again. Anything else — a miss, an expiry, a 404, a query — goes through the routes in
api/tokens.py, which fill the cache. It sits inside FastAPI's own middleware (errors, telemetry)
and uvicorn still writes the access log line.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from yousync_server.api.deps import MAX_ROW_ID
from yousync_server.api.tokens import _base_url

PREFIX = "/api/tokens/"
LIST_KEY = ("list", 0, 100)   # the list route's defaults: skip=0, limit=100
JSON_HEADERS = (b"content-type", b"application/json")


def cache_key(path: str):
    """The read-cache key the route would use for this path, or None."""
    if path == PREFIX:
        return LIST_KEY
    rest = path[len(PREFIX):]
    if 0 < len(rest) <= 10 and rest.isascii() and rest.isdigit() and int(rest) <= MAX_ROW_ID:
        return ("detail", int(rest))
    return None


class CachedCatalogueReads:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] == "GET"
                and not scope.get("query_string") and scope["path"].startswith(PREFIX)):
            body = self._cached(scope)
            if body is not None:
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-length", str(len(body)).encode()),
                                        JSON_HEADERS]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _cached(scope: Scope) -> bytes | None:
        key = cache_key(scope["path"])
        cache = getattr(scope["app"].state, "catalogue_cache", None) if "app" in scope else None
        if key is None or cache is None:
            return None
        return cache.get_settled((key, _base_url(Request(scope))))
