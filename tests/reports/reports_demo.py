"""The AIM demo ledger the reports are built from (shared by the report tests; the fixtures
are in conftest.py, which test modules must not import: another folder has a conftest too): Amendments 2, 3 and 4 as recorded from the
filings, the plan terms (0.00% + 0.25%), sample net assets for 2003-06-30 to 2004-07-01 and
the sample governance file, as `make demo` records them. Built once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from aim_inputs import ROOT, run_cli, text_paths

STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


AGREEMENTS = """\
dealers:
- id: D1
  name: Alpha Securities LLC
  agreements:
  - {rate: "0.25", minimum_payment: "0", prepaid_months: 0, frequency: quarterly, effective: 2003-10-01,
     funds: all, share_classes: all}
- id: D2
  name: Small <b>Brokers</b> Inc
  agreements:
  - {rate: "0.20", minimum_payment: "500000.00", prepaid_months: 0, frequency: quarterly, effective: 2003-10-01,
     funds: all, share_classes: all}
"""
HOLDINGS = (("D1", "INVESCO Energy Fund", 250_000_000), ("D1", "INVESCO Leisure Fund", 400_000_000),
            ("D2", "INVESCO Leisure Fund", 90_000_000))  # fmt: skip


@dataclass(frozen=True)
class Demo:
    root: Path
    url: str
    nav: Path
    positions: Path


def _positions(path: Path) -> None:
    """Each NYSE session of 2003-09-30 to 2004-03-31: the dealers' holdings, bought 2003-06."""
    from distplan.periods import Period, nyse_sessions

    lines = ["date,dealer,fund,share_class,purchase_month,net_assets"]
    for i, day in enumerate(nyse_sessions(Period(date(2003, 9, 30), date(2004, 4, 1)))):
        for dealer, fund, base in HOLDINGS:
            lines.append(f"{day},{dealer},{fund},Investor,2003-06,{base + 12_345 * i}.{i % 100:02d}")
    path.write_text("\n".join(lines) + "\n")


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.code == 0, result.err
    return result.out


def build_demo(root: Path) -> Demo:
    """Record the demo ledger under `root` and write its NAV and positions there."""
    url = f"sqlite:///{root / 'distplan.db'}"
    ok("--db", url, "record", *map(str, text_paths()), "--recorded-at", "2003-12-01T12:00:00Z")
    ok("--db", url, "terms", "set", "--effective", "2003-07-01", "--distribution", "0", "--service", "0.25",
       "--source", "Investor Class plan: 0.00% asset-based, 0.25% service", "--recorded-at", "2003-12-02")  # fmt: skip
    nav = root / "nav.parquet"
    ok("--db", url, "sample-data", "--from", "2003-06-30", "--to", "2004-07-01", "--out", str(nav))
    ok("--db", url, "record", str(ROOT / "examples" / "governance.yaml"), "--recorded-at", "2003-12-03")
    (root / "dealers.yaml").write_text(AGREEMENTS)
    ok("--db", url, "dealers", "record", str(root / "dealers.yaml"), "--recorded-at", "2003-12-04")
    _positions(root / "positions.csv")
    return Demo(root, url, nav, root / "positions.csv")
