"""Writes the sample positions.csv and sales.csv beside it, deterministically (seeded): run
`python examples/dealers/generate.py` (needs distplan importable for the NYSE calendar).

positions.csv, NYSE sessions 2003-10-31..2003-12-31 (hypothetical dealers, AIM Investor funds):
  D001 Dynamics (lots bought 2003-03 and 2003-09), Energy, Telecommunications (the plan drops
       it on 2003-11-24: no trail after that), and Core Equity from 2003-12-15 (transferred in);
  D002 Total Return (small: under its $250 minimum, carried) and Core Equity until 2003-12-12
       (transferred out mid-quarter to D001: D002's Core Equity trail is forfeited);
  D003 (monthly, prepaid 12 months) S&P 500 Index lots from 2002-11 (eligible from 2003-11-01)
       and 2003-10 (still prepaid: no trail).
sales.csv, the same sessions: new gross sales, front-end loads retained and CDSCs collected for
two funds, for the remaining-amount demo (a hypothetical 0.75% asset-based charge): Dynamics
sells steadily; Energy sells little and runs out of remaining amount.
"""

from __future__ import annotations

import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from distplan.periods import Period, nyse_sessions

HERE = Path(__file__).resolve().parent
SESSIONS = nyse_sessions(Period(date(2003, 10, 31), date(2004, 1, 1)))
LOTS = [  # dealer, fund, purchase month, starting net assets, first session, last session
    ("D001", "INVESCO Dynamics Fund", "2003-03", 12_000_000, None, None),
    ("D001", "INVESCO Dynamics Fund", "2003-09", 8_000_000, None, None),
    ("D001", "INVESCO Energy Fund", "2003-06", 30_000_000, None, None),
    ("D001", "INVESCO Telecommunications Fund", "2003-01", 5_000_000, None, None),
    ("D001", "INVESCO Core Equity Fund", "2003-04", 6_000_000, date(2003, 12, 15), None),
    ("D002", "INVESCO Total Return Fund", "2003-05", 400_000, None, None),
    ("D002", "INVESCO Core Equity Fund", "2003-04", 6_000_000, None, date(2003, 12, 12)),
    ("D003", "INVESCO S&P 500 Index Fund", "2002-11", 3_000_000, None, None),
    ("D003", "INVESCO S&P 500 Index Fund", "2003-10", 3_000_000, None, None),
]


def _money(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01")))


def main() -> None:
    rnd = random.Random(2003)
    lines = ["date,dealer,fund,share_class,purchase_month,net_assets"]
    level = {i: Decimal(lot[3]) for i, lot in enumerate(LOTS)}
    for day in SESSIONS:
        for i, (dealer, fund, month, _, first, last) in enumerate(LOTS):
            level[i] *= Decimal(1) + Decimal(rnd.randint(-30, 32)) / 10_000
            if (first is None or day >= first) and (last is None or day <= last):
                lines.append(f"{day},{dealer},{fund},Investor,{month},{_money(level[i])}")
    (HERE / "positions.csv").write_text("\n".join(lines) + "\n")
    sales = ["date,fund,share_class,gross_sales,front_end_loads_retained,cdsc_collected"]
    for day in SESSIONS[1:]:
        dyn = Decimal(rnd.randint(500_000_00, 1_500_000_00)) / 100
        sales.append(f"{day},INVESCO Dynamics Fund,Investor,{dyn},0.00,{Decimal(rnd.randint(0, 200_000)) / 100}")
        energy = Decimal(rnd.randint(5_000_00, 20_000_00)) / 100
        sales.append(f"{day},INVESCO Energy Fund,Investor,{energy},0.00,{Decimal(rnd.randint(0, 50_000)) / 100}")
    (HERE / "sales.csv").write_text("\n".join(sales) + "\n")
    print(f"wrote {len(lines) - 1} position rows and {len(sales) - 1} sales rows to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
