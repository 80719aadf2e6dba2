"""What the web app holds while it runs: the workspace, the uploads, the signing key, a clock.

The web app is a front end: like the CLI it reads the clock (for `recorded_at` and a default
`as_of`), through `clock` so tests can fix it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from distplan.app import NotFound, Workspace
from distplan.app.recording import Upload

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_ID = re.compile(r"^[0-9a-f]{64}$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Uploads:
    """Uploaded files kept on disk by content (the id is their SHA-256), with the name given.
    Names are kept for provenance only: the file on disk is always `<sha256><suffix>`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def put(self, upload: Upload) -> str:
        digest = hashlib.sha256(upload.data).hexdigest()
        suffix = upload.suffix if _SUFFIX.match(upload.suffix) else ".bin"
        (self.directory / f"{digest}{suffix}").write_bytes(upload.data)
        (self.directory / f"{digest}.name").write_text(upload.name, encoding="utf-8")
        return digest

    def path(self, upload_id: str) -> Path:
        if _ID.match(upload_id):
            for candidate in self.directory.glob(f"{upload_id}.*"):
                if candidate.suffix != ".name":
                    return candidate
        raise NotFound(f"upload {upload_id[:80]!r}: no such upload", "id")

    def get(self, upload_id: str) -> Upload:
        path = self.path(upload_id)
        name = (self.directory / f"{upload_id}.name").read_text(encoding="utf-8")
        return Upload(name, path.read_bytes())


@dataclass
class WebState:
    workspace: Workspace
    uploads: Uploads
    secret_key: str
    clock: Callable[[], datetime] = utc_now
    secure_cookies: bool = False
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls,
        workspace: Workspace,
        *,
        secret_key: str | None = None,
        uploads_dir: Path | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> WebState:
        tmp = None
        if uploads_dir is None:
            tmp = tempfile.TemporaryDirectory(prefix="distplan-uploads-")
            uploads_dir = Path(tmp.name)
        return cls(workspace, Uploads(uploads_dir), secret_key or secrets.token_urlsafe(32), clock, _tmp=tmp)
