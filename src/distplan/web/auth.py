"""Who is asking: a bearer token (API) or a signed session cookie (pages), and whether their
role allows it. Forms carry a CSRF token (double submit: a cookie and a hidden field, equal);
API writes authenticated by the cookie need it in the X-CSRF-Token header, bearer tokens not.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from distplan.app.roles import allowed
from distplan.app.users import User
from distplan.web.state import WebState

SESSION_COOKIE = "distplan_session"
CSRF_COOKIE = "distplan_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE_S = 12 * 3600


def state(request: Request) -> WebState:
    found: WebState = request.app.state.web
    return found


def _signer(web: WebState) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(web.secret_key, salt="distplan-session")


def start_session(response: Response, web: WebState, user: User) -> None:
    token = _signer(web).dumps({"uid": user.id})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=web.secure_cookies,
    )


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


def _session_user(request: Request, web: WebState) -> User | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data: Any = _signer(web).loads(raw, max_age=SESSION_MAX_AGE_S)
    except BadSignature:
        return None
    uid = data.get("uid") if isinstance(data, dict) else None
    return web.workspace.users.by_id(uid) if isinstance(uid, int) else None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_user(request: Request) -> User | None:
    """The user behind the request (cached on it), or None."""
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    web = state(request)
    token = _bearer(request)
    # Looked up on every request (one indexed query, ~0.3 ms): a token revoked by anyone,
    # the CLI included, is refused by the next request.
    user = web.workspace.users.for_token(token) if token else _session_user(request, web)
    request.state.user = user
    request.state.by_token = token is not None and user is not None
    return user


def csrf_token(request: Request) -> str:
    """The CSRF token for this browser (made on first use; set_csrf_cookie sends it)."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    if not hasattr(request.state, "new_csrf"):
        request.state.new_csrf = secrets.token_urlsafe(32)
    token: str = request.state.new_csrf
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    if hasattr(request.state, "new_csrf"):
        response.set_cookie(CSRF_COOKIE, request.state.new_csrf, httponly=True, samesite="lax")


def check_csrf(request: Request, submitted: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    if not submitted or not cookie or not hmac.compare_digest(submitted, cookie):
        raise HTTPException(403, "the form has expired or did not come from this site; reload and try again")


def require(permission: str) -> Callable[[Request], User]:
    """A dependency: the signed-in user, who must hold `permission` (else 401 / 403)."""

    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise HTTPException(401, "sign in or send a bearer token", headers={"WWW-Authenticate": "Bearer"})
        if not allowed(user.role, permission):
            raise HTTPException(403, f"role {user.role} may not do this ({permission})")
        by_cookie = not getattr(request.state, "by_token", False)
        if request.method not in ("GET", "HEAD") and by_cookie and request.url.path.startswith("/api/"):
            check_csrf(request, request.headers.get(CSRF_HEADER))
        return user

    return dependency
