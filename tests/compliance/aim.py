"""Test inputs built from the AIM Investor Class gold labels (Amendments No. 2, 3 and 4)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.compliance import (
    Approval,
    CheckInput,
    GovernanceFacts,
    InstrumentRecord,
    Meeting,
    Tally,
    rate_periods_from_instruments,
)
from distplan.model import Instrument, instrument_from_json

DOCS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
AIM = (
    "aim-investor-amend2-2003-11-03",
    "aim-investor-amend3-2003-11-20",
    "aim-investor-amend4-2003-11-24",
)
PLAN = "Master Plan and Agreement of Distribution (Investor Class)"


def gold_instrument(name: str, **overrides: Any) -> Instrument:
    """An Instrument from a corpus gold label (the extractor's JSON shape)."""
    gold = json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))
    data = {
        "source": {"path": f"examples/aim/{name}.txt", "sha256": name},
        "kind": gold["kind"],
        "title": f"Amendment No. {gold['amendment_number']}",
        "amendment_number": gold["amendment_number"],
        "plan": {"title": PLAN, "share_classes": gold["share_classes"], "dated": "2003-07-01"},
        "effective_date": gold["effective_date"],
        "effective_date_lines": [5, 5],
        "schedule": {"label": "Schedule A", "replaces_entirely": True, "rows": gold["rows"]},
        "signatories": ["A I M DISTRIBUTORS, INC."],
    }
    data.update(overrides)
    return instrument_from_json(data, where=name)


def aim_records() -> list[InstrumentRecord]:
    return [InstrumentRecord(gold_instrument(name), seq) for seq, name in enumerate(AIM, start=1)]


def aim_input(
    as_of: date,
    governance: GovernanceFacts | None = None,
    extra: list[InstrumentRecord] | None = None,
    service: str = "0.25",
) -> CheckInput:
    """The AIM history with the plan's terms (0.00% asset-based + 0.25% service)."""
    records = aim_records() + (extra or [])
    rates = rate_periods_from_instruments(
        records, plan=PLAN, distribution=Decimal("0"), service=Decimal(service)
    )
    return CheckInput(PLAN, as_of, tuple(records), tuple(rates), governance or GovernanceFacts())


def meeting(
    day: str, *, in_person: bool = True, called: bool = True, board=(10, 9), qualified=(7, 7)
) -> Meeting:
    return Meeting(
        id=f"meeting-{day}",
        date=date.fromisoformat(day),
        in_person=in_person,
        called_for_purpose=called,
        board=Tally(board[0], board[1]),
        qualified=Tally(qualified[0], qualified[1]),
    )


def approve_amendment(
    m: Meeting, number: int, findings: tuple[str, ...] = ("no_material_increase",)
) -> Approval:
    return Approval(
        id=f"{m.id}/a{number}", meeting=m, what="amendment", amendment=number, findings=frozenset(findings)
    )
