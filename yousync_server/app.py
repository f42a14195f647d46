"""create_app(settings): the FastAPI application, wired from what it is handed.

The database engine and session factory, the session policy, the sign-in verifier and the three
engines (`storage`, `queue`, `notifier`, from the factories in config.py unless given) hang on
`app.state`, where routes reach them through api/deps.py. The routers are api.ROUTERS plus any
`extra_routers`; the engine branch adds its routers to api.ROUTERS.
"""

from __future__ import annotations

import gc
import inspect
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI

from yousync_server import config as config_module
from yousync_server.api import ROUTERS, errors
from yousync_server.api.fast_reads import CachedCatalogueReads
from yousync_server.api.slashes import SlashTolerance
from yousync_server.config import Settings
from yousync_server.db.engine import create_db_engine, session_factory
from yousync_server.services.auth import SessionPolicy
from yousync_server.services.oidc import IdTokenVerifier
from yousync_server.services.job_engine import install_job_engine
from yousync_server.services.rate_limit import WindowLimiter
from yousync_server.storage import LocalStorage
from yousync_server.storage.media_router import media_router

log = logging.getLogger(__name__)
API_VERSION = "1.0.0"


@dataclass
class Engines:
    storage: Any = None
    queue: Any = None
    notifier: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Engines":
        return cls(storage=config_module.build_storage(settings),
                   queue=config_module.build_queue(settings),
                   notifier=config_module.build_notifier(settings))


async def _close(engine: Any) -> None:
    """Engines may offer close() or aclose(), sync or async; call what is there."""
    for name in ("aclose", "close"):
        method = getattr(engine, name, None)
        if method is not None:
            outcome = method()
            if inspect.isawaitable(outcome):
                await outcome
            return


def create_app(settings: Settings, engines: Engines | None = None,
               extra_routers: list[APIRouter] = ()) -> FastAPI:
    engines = engines if engines is not None else Engines.from_settings(settings)
    db_engine = create_db_engine(settings.effective_database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        for name in ("storage", "queue", "notifier", "job_worker"):
            start = getattr(getattr(app.state, name), "start", None)
            if start is not None:
                outcome = start()
                if inspect.isawaitable(outcome):
                    await outcome
        # Everything loaded so far (FastAPI, SQLAlchemy, pydantic, numpy, the routes) lives as
        # long as the process. Python's full collections walked all of it: 140–215 ms pauses
        # of every request in flight under load (benchmarks.server, p99). Frozen, it is skipped.
        gc.collect()
        gc.freeze()
        log.info("server ready", extra={"database": db_engine.dialect.name})
        try:
            yield
        finally:
            # Uvicorn has already finished in-flight requests (graceful shutdown) when we get here.
            # The embedded worker first: its job in progress finishes before the rest closes.
            for name in ("job_worker", "notifier", "queue", "storage"):
                await _close(getattr(app.state, name))
            db_engine.dispose()
            log.info("server stopped")

    app = FastAPI(title="YouSync API", version=API_VERSION, lifespan=lifespan,
                  description="The YouSync backend: the public API (docs/yousync-api.md §§2–6) "
                              "with the fixes of §7.")
    app.router.redirect_slashes = False  # SlashTolerance answers the other form directly
    app.state.settings = settings
    app.state.engine = db_engine
    app.state.sessions = session_factory(db_engine)
    app.state.session_policy = SessionPolicy(secret=settings.signing_secret(),
                                             access_minutes=settings.access_token_minutes,
                                             refresh_days=settings.refresh_token_days)
    app.state.id_token_verifier = IdTokenVerifier(settings.oidc_issuer, settings.oidc_audiences,
                                                  cache_seconds=settings.oidc_keys_ttl_seconds)
    app.state.view_limiter = WindowLimiter(settings.view_rate_per_minute)
    app.state.storage = engines.storage
    app.state.queue = engines.queue
    app.state.notifier = engines.notifier

    for router in [*ROUTERS, *extra_routers]:
        app.include_router(router)
    if isinstance(engines.storage, LocalStorage):
        app.include_router(media_router(engines.storage))  # its presigned links
    install_job_engine(app)
    errors.install(app)
    app.add_middleware(SlashTolerance, routes_of=lambda: app.router.routes)
    app.add_middleware(CachedCatalogueReads)  # outermost of ours: cached hot reads skip the rest
    return app
