"""The AIM ledger (Amendments 2-4, plan terms 0.00% + 0.25%) and the acceptance draft: effective
2004-07-01, adding one fund, removing one, renaming one and raising one to 0.35%."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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


def approvals_and_vote(aim: AimDraft, path: Path) -> Path:
    """The approval of Amendment No. 5 (every fund named) and the Energy Fund's class vote."""
    funds = [r["fund"] for r in json.loads(aim.draft.read_text())["schedule"]["rows"]]
    facts = {
        "version": 1,
        "meetings": [
            meeting("2004-06-09", {"what": "amendment", "amendment": 5, "class": "Investor", "funds": funds})
        ],
        "shareholder_votes": [
            {
                "date": "2004-06-25",
                "fund": RAISED,
                "class": "Investor",
                "matter": "amendment",
                "max_rate": "0.35",
                "outstanding": "10000000.000",
                "present": "7000000.000",
                "for": "6000000.000",
            }
        ],
    }
    path.write_text(yaml.safe_dump(facts, sort_keys=False))
    return path


def meeting(day: str, approval: dict[str, Any]) -> dict[str, Any]:
    """A board meeting that makes one valid approval (in person, called for it, all for)."""
    return {
        "date": day,
        "in_person": True,
        "called_for_purpose": True,
        "board": {"members": 11, "for": 11},
        "qualified": {"members": 9, "for": 9},
        "approvals": [approval],
    }
