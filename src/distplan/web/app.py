"""The FastAPI application: the JSON API, the pages, the bundled static files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from distplan import __version__
from distplan.app import Workspace
from distplan.web import api, downloads, draft_views, errors, review_views, views  # noqa: F401  (page routes)
from distplan.web.pages import router as pages_router
from distplan.web.state import WebState, utc_now

_STATIC = Path(__file__).parent / "static"
# Pages load only what the app serves itself: no CDN, no inline script, no framing.
_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"


def create_app(
    workspace: Workspace,
    *,
    secret_key: str | None = None,
    uploads_dir: Path | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    app = FastAPI(
        title="distplan",
        version=__version__,
        description="Rule 12b-1 distribution plans as an executable, auditable record.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.web = WebState.create(workspace, secret_key=secret_key, uploads_dir=uploads_dir, clock=clock)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], object]) -> Response:
        response: Response = await call_next(request)  # type: ignore[misc]
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
