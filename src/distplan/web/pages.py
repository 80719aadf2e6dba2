"""Server-rendered pages. Templates autoescape everything; data is never markup."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from distplan.app.results import Page
from distplan.app.roles import ROLES, allowed
from distplan.app.users import User
from distplan.web.auth import CSRF_FIELD, csrf_token, current_user, set_csrf_cookie, state

_HERE = Path(__file__).parent
_ENV = Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=True, auto_reload=False)
templates = Jinja2Templates(env=_ENV)
router = APIRouter(include_in_schema=False)


def signed_in(request: Request, permission: str) -> User:
    """The signed-in user holding `permission`: else to the sign-in page, or 403."""
    user = current_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(
            303, "sign in first", headers={"Location": f"/signin?next={quote(target, safe='')}"}
        )
    if not allowed(user.role, permission):
        raise HTTPException(403, f"your role ({user.role}) may not see or do this")
    return user


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    user = current_user(request)
    perms = ROLES.get(user.role, frozenset()) if user else frozenset()
    response = templates.TemplateResponse(
        request,
        template,
        {"user": user, "perms": perms, "csrf": csrf_token(request), "csrf_field": CSRF_FIELD, **context},
        status_code=status,
    )
    set_csrf_cookie(request, response)
    return response


def error_page(request: Request, status: int, message: str, headers: Any = None) -> Response:
    if status in (302, 303) and headers and "Location" in headers:
        return RedirectResponse(headers["Location"], status_code=303)
    return page(request, "error.html.j2", status=status, status_code=status, message=message)


def today(request: Request) -> date:
    return state(request).clock().date()


def day_param(request: Request, value: str | None, default: date, field: str) -> date:
    from distplan.app.values import parse_date

    return parse_date(value, field) if value else default


def known_at_choices(request: Request) -> list[tuple[str, str]]:
    """The known-at selector: every entry as the point the ledger stood at after it."""
    return [
        (str(e.seq), f"entry {e.seq}: {label}, recorded {e.recorded_at:%Y-%m-%d %H:%M}")
        for e, label in state(request).workspace.entry_labels()
    ]


def pager_links(path: str, keep: dict[str, Any], at: Page | None) -> dict[str, str | None]:
    """The previous and next pages' links, keeping the other query parameters."""
    if at is None:
        return {"previous": None, "next": None}

    def link(offset: int | None) -> str | None:
        return None if offset is None else f"{path}?{urlencode({**keep, 'offset': offset})}"

    return {"previous": link(at.previous_offset), "next": link(at.next_offset)}


def week_before(day: date) -> date:
    return day - timedelta(days=7)
