"""write_atomic: all or nothing, never through a planted link, one clear error (issue 8 #20, #22)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from distplan.errors import DistplanError
from distplan.outputs import OutputError, write_atomic


def test_writes_bytes_and_text_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_atomic(target, b"a,b\n")
    assert target.read_bytes() == b"a,b\n"
    write_atomic(target, "é\n")
    assert target.read_bytes() == "é\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_new_file_gets_the_umask_mode_and_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o604)
    write_atomic(kept, "new")
    assert kept.stat().st_mode & 0o777 == 0o604


def test_planted_symlinks_at_predictable_names_are_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    out = tmp_path / "work"
    out.mkdir()
    target = out / "out.csv"
    for name in (".out.csv.tmp", "out.csv.tmp", ".out.csv.swp", "out.csv~", ".out.csv.", "out.tmp"):
        (out / name).symlink_to(victim)
    write_atomic(target, "data")
    assert victim.read_text() == "precious"
    assert target.read_text() == "data" and not target.is_symlink()
    assert all((out / n).is_symlink() for n in (".out.csv.tmp", "out.csv.tmp"))


def test_a_symlink_at_the_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "out.csv"
    target.symlink_to(victim)
    write_atomic(target, "data")
    assert victim.read_text() == "precious" and target.read_text() == "data"


@pytest.mark.parametrize(
    ("where", "needle"),
    [("dir", "is a directory"), ("missing/out.csv", "does not exist"), ("file/out.csv", "does not exist")],
)
def test_bad_targets_raise_one_line_errors(tmp_path: Path, where: str, needle: str) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputError, match=needle) as err:
        write_atomic(tmp_path / where, "x")
    assert isinstance(err.value, DistplanError) and "\n" not in str(err.value)
    assert str(tmp_path / where) in str(err.value)


def _read_only(folder: Path, on: bool) -> None:
    """chmod a-w, and as root (CI) chattr +i too: root ignores file modes, not the immutable flag."""
    if on:
        folder.chmod(0o500)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if on else "-i", str(folder)], check=True, capture_output=True)
    if not on:
        folder.chmod(0o700)


def test_read_only_folder_is_a_permission_error_and_leaves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    _read_only(folder, True)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            write_atomic(folder / "out.csv", "x")
        assert list(folder.iterdir()) == []
    finally:
        _read_only(folder, False)
