"""Writing an output file safely: all of it or nothing, never through a planted link.

`write_atomic` writes to a fresh temporary file beside the target (`tempfile.mkstemp`: a random
name opened with O_CREAT | O_EXCL, so a symlink planted at any name is never followed), flushes
it to disk and renames it over the target (`os.replace`). A failure leaves the target as it was
and removes the temporary file. Problems the user can fix (a directory given as the output, a
missing folder, no permission, a full disk) raise `OutputError`: one line, exit status 2.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from distplan.errors import DistplanError


class OutputError(DistplanError):
    """An output file cannot be written; the message names it and says why."""


_UMASK_LOCK = threading.Lock()

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EISDIR: "it is a directory; give a file name",
    errno.ENOTDIR: "a part of the path is not a directory",
}


def _new_file_mode(target: Path) -> int:
    """The mode a plain `open(target, 'w')` would give: the existing file's, else 0666 & ~umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        with _UMASK_LOCK:  # the umask can only be read by setting it
            umask = os.umask(0o022)
            os.umask(umask)
        return 0o666 & ~umask


def _fail(target: Path, exc: OSError) -> OutputError:
    why = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"{target}: cannot write: {why}")


def _writable(target: Path) -> Path:
    if target.is_dir():
        raise OutputError(f"{target}: is a directory; give a file name to write")
    if not target.parent.is_dir():
        raise OutputError(f"{target}: cannot write: folder {target.parent} does not exist")
    return target


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """For writers that need a file name (an engine's COPY): yields a name inside a fresh
    private folder beside `path` (`tempfile.mkdtemp`: mode 0700, so nobody can plant a link
    in it), renamed over `path` when the block completes; the folder is always removed. An
    OSError of the block or the rename becomes OutputError naming `path`."""
    target = _writable(Path(path))
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise _fail(target, exc) from None
    try:
        out = folder / target.name
        try:
            yield out
            os.chmod(out, _new_file_mode(target))
            os.replace(out, target)
        except OSError as exc:
            raise _fail(target, exc) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write `data` (text is written as UTF-8) to `path` atomically; raise OutputError when
    the user can fix the cause."""
    target = _writable(Path(path))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _fail(target, exc) from None
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), _new_file_mode(target))
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            raise _fail(target, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["OutputError", "atomic_path", "write_atomic"]
