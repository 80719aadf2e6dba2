"""Errors as the API shows them: JSON {"error": ..., "field": ...} with a status that says
whose fault it is (400 malformed, 401/403 who, 404 not found, 409 conflict, 422 invalid).
Pages get the same message on an HTML page. Nothing else escapes: a bug is a 500 with one
line, never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from distplan.app.errors import AppError, Conflict, NotFound, classify
from distplan.errors import InputError

log = logging.getLogger("distplan.web")


def status_of(exc: AppError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    return 422


def _body(message: str, field: str | None) -> dict[str, Any]:
    return {"error": message, "field": field}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _respond(request: Request, status: int, message: str, field: str | None, headers: Any = None) -> Response:
    if _wants_json(request):
        return JSONResponse(_body(message, field), status_code=status, headers=headers)
    from distplan.web.pages import error_page

    return error_page(request, status, message, headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> Response:
        err = classify(exc)
        return _respond(request, status_of(err), str(err), err.field)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        return _respond(request, exc.status_code, str(exc.detail), None, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path", "header")]
        field = ".".join(loc) or None
        status = 400 if first.get("type") == "json_invalid" else 422
        return _respond(request, status, f"{field or 'request'}: {first.get('msg', 'invalid')}", field)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("internal error")
        message = f"internal error, a bug in distplan ({type(exc).__name__})"
        return _respond(request, 500, message, None)
