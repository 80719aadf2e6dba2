"""The AIM ledger (Amendments 2-4, plan terms 0.00% + 0.25%) and the acceptance draft: effective
2004-07-01, adding one fund, removing one, renaming one and raising one to 0.35%."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aim_inputs import record_aim, run_cli

ADDED = "INVESCO Telecommunications Fund"  # in Amendments 2 and 3, dropped by 4: it has NAV
REMOVED = "INVESCO Leisure Fund"
RENAMED = ("INVESCO Dynamics Fund", "INVESCO Dynamic Growth Fund")
RAISED = "INVESCO Energy Fund"
DRAFT_ARGS = (
    "--as-of",
    "2004-06-01",
    "--effective",
    "2004-07-01",
    "--add",
    f"{ADDED}:Investor",
    "--rates",
    "0.00,0.25,0.25",
    "--remove",
    REMOVED,
    "--rename",
    "=".join(RENAMED),
    "--set-rates",
    f"{RAISED}:0.10,0.25,0.35",
)


@dataclass(frozen=True)
class AimDraft:
    root: Path
    db: Path
    url: str
    nav: Path
    draft: Path


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.code == 0, result.err
    return result.out


def make(root: Path) -> AimDraft:
    db = root / "ledger.db"
    url = f"sqlite:///{db}"
    record_aim(url, use_json_dir=root)
    ok(
        "--db",
        url,
        "terms",
        "set",
        "--effective",
        "2003-07-01",
        "--distribution",
        "0",
        "--service",
        "0.25",
        "--source",
        "Investor Class plan body",
        "--recorded-at",
        "2003-12-05T00:00:00Z",
    )
    nav = root / "nav.parquet"
    ok("--db", url, "sample-data", "--from", "2003-07-01", "--to", "2004-07-01", "--out", str(nav))
    draft = root / "draft.json"
    ok("--db", url, "draft", *DRAFT_ARGS, "-o", str(draft))
    return AimDraft(root, db, url, nav, draft)
