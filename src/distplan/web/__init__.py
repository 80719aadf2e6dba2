"""The web app and HTTP API on a Workspace (FastAPI): `create_app(workspace)`."""

from __future__ import annotations

from distplan.web.app import create_app

__all__ = ["create_app"]
