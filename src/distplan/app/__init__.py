"""The application layer every front end (CLI, web app, API) uses: a Workspace on a ledger.

with Workspace.open("sqlite:///./distplan.db") as ws:
    ws.schedule(None, date(2003, 11, 21)).to_json()
"""

from __future__ import annotations

from distplan.app.errors import AppError, Conflict, Invalid, NotFound
from distplan.app.recording import Upload
from distplan.app.workspace import Workspace

__all__ = ["AppError", "Conflict", "Invalid", "NotFound", "Upload", "Workspace"]
