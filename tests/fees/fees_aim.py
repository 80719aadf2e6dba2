"""The AIM Investor Class acceptance case built straight from the gold labels (no ledger)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from distplan.fees.coverage import Coverage
from distplan.periods import Period, nyse_sessions

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
AMENDMENTS = (
    ("aim-investor-amend2-2003-11-03", "Amendment No. 2"),
    ("aim-investor-amend3-2003-11-20", "Amendment No. 3"),
    ("aim-investor-amend4-2003-11-24", "Amendment No. 4"),
)
PLAN = "Master Plan and Agreement of Distribution pursuant to Rule 12b-1 (Investor Class Shares)"
# Plan terms (the First Restated plan's Schedule A): 0.00% asset-based + 0.25% service.
RATE_D, RATE_S = Decimal("0.00"), Decimal("0.25")


def aim_coverage() -> list[Coverage]:
    """Fold the three amendments the way history does: each replaces Schedule A from its
    effective date; a fund in consecutive schedules is one coverage period per registrant name."""
    schedules = []
    for name, title in AMENDMENTS:
        data = json.loads((CORPUS / f"{name}.json").read_text())
        schedules.append((date.fromisoformat(data["effective_date"]), title, data["rows"]))
    out: list[Coverage] = []
    for i, (start, title, rows) in enumerate(schedules):
        end = schedules[i + 1][0] if i + 1 < len(schedules) else None
        for row in rows:
            out.append(
                Coverage(
                    plan=PLAN,
                    registrant=row["registrant"],
                    fund=row["fund"],
                    share_class=row["share_class"],
                    start=start,
                    end=end,
                    rate_distribution=RATE_D,
                    rate_service=RATE_S,
                    rate_aggregate=RATE_D + RATE_S,
                    instrument=title,
                )
            )
    return out


def aim_nav(
    start: date = date(2003, 11, 1), end: date = date(2004, 1, 1), amount: str = "100000000.00"
) -> pa.Table:
    funds = sorted({(c.fund, c.share_class or "") for c in aim_coverage()})
    days = nyse_sessions(Period(start, end))
    rows = [(f, c, d) for f, c in funds for d in days]
    return pa.table(
        {
            "fund": [r[0] for r in rows],
            "share_class": [r[1] for r in rows],
            "date": pa.array([r[2] for r in rows], pa.date32()),
            "net_assets": pa.array([Decimal(amount)] * len(rows), pa.decimal128(38, 2)),
        }
    )
