"""A small real ledger for the CLI tests: Amendment No. 2 of the AIM plan, a distribution rate
from the plan terms, a month of sample NAV and the instrument JSON `extract` prints."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aim_inputs import AIM_DIR, run_cli

DOCUMENT = AIM_DIR / "aim-investor-amend2-2003-11-03.txt"


@dataclass(frozen=True)
class AimLedger:
    url: str
    root: Path
    nav: Path  # NAV CSV, 2003-10-30 to 2003-12-01
    instrument: Path  # `distplan extract` JSON of the amendment


def make_aim_ledger(root: Path) -> AimLedger:
    url = f"sqlite:///{root / 'ledger.db'}"

    def ok(*args: str) -> str:
        result = run_cli(*args)
        assert result.code == 0, result.err
        return result.out

    ok("--db", url, "record", str(DOCUMENT), "--recorded-at", "2003-12-01T00:00:00Z")
    ok("--db", url, "terms", "set", "--effective", "2003-11-01", "--source", "plan", "--distribution", "0.25")
    nav = root / "nav.csv"
    ok("--db", url, "sample-data", "--from", "2003-10-30", "--to", "2003-12-01", "--out", str(nav))
    instrument = root / "amend2.json"
    instrument.write_text(ok("extract", str(DOCUMENT)))
    return AimLedger(url, root, nav, instrument)
