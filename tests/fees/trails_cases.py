"""Generated trail cases shared by the trail, retention and remaining-amount tests: a dealer
transferring out mid-quarter (D1 leaves Beta Fund; D4's account moves to D5 on 2004-02-13), a
prepaid window ending mid-period (the 2003-02 lots, prepaid 12 months), an agreement change
mid-month (D1 from 2004-01-16), amounts under the minimum carried three periods then paid
(D2), a leap year (2004), a fund removed from the plan mid-month (Beta Fund from 2004-02-17)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

from distplan.fees.agreements import read_agreements, to_payload
from distplan.model import CoveragePeriod
from distplan.periods import Period, nyse_sessions

AGREEMENTS = """\
dealers:
  - id: D1
    name: Alpha Securities LLC
    agreements:
      - {effective: 2003-10-01, funds: all, share_classes: all, rate: "0.25", frequency: quarterly,
         minimum_payment: "0", prepaid_months: 12}
      - {effective: 2004-01-16, funds: [Alpha Fund], share_classes: all, rate: "0.2", frequency: quarterly,
         minimum_payment: "0", prepaid_months: 12}
  - id: D2
    name: Small Brokers Inc
    agreements:
      - {effective: 2003-10-01, funds: all, share_classes: all, rate: "0.25", frequency: quarterly,
         minimum_payment: "200.00", prepaid_months: 0}
  - id: D3
    name: Monthly Dealer
    agreements:
      - {effective: 2003-12-01, funds: all, share_classes: [Investor], rate: "0.1234", frequency: monthly,
         minimum_payment: "50.00", prepaid_months: 0}
  - id: D4
    name: Losing Dealer
    agreements:
      - {effective: 2003-10-01, funds: all, share_classes: all, rate: "0.25", frequency: quarterly,
         minimum_payment: "0", prepaid_months: 0}
  - id: D5
    name: Winning Dealer
    agreements:
      - {effective: 2003-10-01, funds: all, share_classes: all, rate: "0.25", frequency: quarterly,
         minimum_payment: "0", prepaid_months: 0}
"""
END = date(2004, 10, 1)
TRANSFER = date(2004, 2, 13)  # D4's account in Alpha Fund moves to D5 (a Friday session)
COVERAGE = [
    ("Alpha Fund", "Investor", date(2003, 9, 1), None),
    ("Beta Fund", "Investor Class", date(2003, 9, 1), date(2004, 2, 17)),  # removed mid-month
]


def coverage(distribution: Decimal | None = None) -> list[CoveragePeriod]:
    return [
        CoveragePeriod("Plan", None, f, c, s, e, distribution, Decimal("0.25"), None, "amendment")
        for f, c, s, e in COVERAGE
    ]


def positions(seed: int) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    rows = []
    for day in nyse_sessions(Period(date(2003, 9, 20), END)):
        for fund in ("Alpha Fund", "Beta Fund"):
            for month in (date(2003, 1, 1), date(2003, 2, 1), date(2003, 9, 1)):
                # D1 leaves Beta Fund on 2004-02-10 (transferred out mid-quarter)
                if not (fund == "Beta Fund" and day >= date(2004, 2, 10)):
                    cents = rnd.randrange(1_000_000_00, 9_000_000_00)
                    rows.append(row(day, "D1", fund, "Investor", month, cents))
        rows.append(
            row(day, "D2", "Alpha Fund", "Investor", date(2003, 6, 1), rnd.randrange(99_000_00, 101_000_00))
        )
        rows.append(
            row(day, "D3", "Alpha Fund", "Investor", date(2003, 6, 1), rnd.randrange(400_000_00, 500_000_00))
        )
        holder = "D4" if day < TRANSFER else "D5"
        rows.append(
            row(
                day,
                holder,
                "Alpha Fund",
                "Investor",
                date(2003, 7, 1),
                rnd.randrange(2_000_000_00, 3_000_000_00),
            )
        )
    return rows


def row(day: date, dealer: str, fund: str, cls: str, month: date, cents: int) -> dict[str, Any]:
    return {
        "date": day,
        "dealer": dealer,
        "fund": fund,
        "share_class": cls,
        "purchase_month": month,
        "cents": cents,
    }


def ref_dealers() -> list[dict[str, Any]]:
    out = to_payload(read_agreements(AGREEMENTS, "a.yaml"), "a.yaml")["dealers"]
    for d in out:
        for a in d["agreements"]:
            a["effective"] = date.fromisoformat(a["effective"])
            a["rate"] = Decimal(a["rate"])
            a["minimum_payment"] = Decimal(a["minimum_payment"])
    return out
