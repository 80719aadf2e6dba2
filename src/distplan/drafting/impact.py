"""The fee a draft would have changed: the payables of the last 12 whole months before it takes
effect, under the schedule it replaces (the baseline) and under the draft's (the reform), both
held over the whole window and both computed by the fees stage (`distplan.fees.payables`): one
fee formula, daily accruals rounded as the fees stage rounds them.

A renamed fund is looked up in the net assets under the name it had (its identity through the
rename); a fund the net assets do not hold is left out of both sides and named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.app.errors import Invalid
from distplan.errors import InputError
from distplan.history import Line
from distplan.model import CoveragePeriod, FundClassKey

ZERO = Decimal("0.00")


def window(effective: date) -> tuple[date, date]:
    """The 12 whole months before the month the draft takes effect in."""
    end = date(effective.year, effective.month, 1)
    return date(end.year - 1, end.month, 1), end


@dataclass(frozen=True)
class FundImpact:
    fund: str
    share_class: str | None
    baseline: Decimal
    reform: Decimal

    @property
    def change(self) -> Decimal:
        return self.reform - self.baseline

    def to_json(self) -> dict[str, Any]:
        return {
            "fund": self.fund,
            "share_class": self.share_class,
            "baseline": str(self.baseline),
            "reform": str(self.reform),
            "change": str(self.change),
        }


@dataclass(frozen=True)
class FeeImpact:
    start: date
    end: date
    funds: tuple[FundImpact, ...]
    not_in_nav: tuple[str, ...]
    warnings: tuple[str, ...]

    def total(self, name: str) -> Decimal:
        return sum((getattr(f, name) for f in self.funds), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "basis": "baseline: the schedule the draft replaces; reform: the draft's; each held over the window",
            "funds": [f.to_json() for f in self.funds],
            "total": {n: str(self.total(n)) for n in ("baseline", "reform", "change")},
            "not_in_nav": list(self.not_in_nav),
            "warnings": list(self.warnings),
        }


def _period(line: Line, nav_name: str, plan: str, start: date, end: date) -> CoveragePeriod:
    rates = (line.distribution_fee, line.service_fee, line.aggregate_fee)
    return CoveragePeriod(
        plan, line.registrant, nav_name, line.share_class, start, end, *rates, line.instrument
    )


def _fees(table: Any) -> dict[FundClassKey, Decimal]:
    out: dict[FundClassKey, Decimal] = {}
    for row in table.select(["fund", "share_class", "fee"]).to_pylist():
        key = FundClassKey.of(row["fund"], row["share_class"])
        out[key] = out.get(key, ZERO) + row["fee"]
    return out


def fee_impact(
    before: tuple[Line, ...], after: tuple[Line, ...], nav: Path, effective: date, plan: str
) -> FeeImpact:
    from distplan.fees import payables
    from distplan.fees.engine import Engine
    from distplan.fees.navsource import open_nav

    start, end = window(effective)
    old_names = {line.ident: line.fund for line in before}
    engine = Engine.duckdb()
    try:
        table = open_nav(engine, nav).table.select("fund", "share_class").distinct()
        held = {FundClassKey.of(r["fund"], r["share_class"]) for r in engine.to_arrow(table).to_pylist()}

        def side(lines: tuple[Line, ...]) -> tuple[list[CoveragePeriod], list[Line]]:
            periods, missing = [], []
            for line in lines:
                name = old_names.get(line.ident, line.fund)
                if FundClassKey.of(name, line.share_class) in held:
                    periods.append(_period(line, name, plan, start, end))
                else:
                    missing.append(line)
            return periods, missing

        base_cov, base_missing = side(before)
        reform_cov, reform_missing = side(after)
        try:
            base = payables(base_cov, nav, start, end, engine=engine) if base_cov else None
            reform = payables(reform_cov, nav, start, end, engine=engine) if reform_cov else None
        except InputError as exc:
            last = end - timedelta(days=1)
            why = str(exc).removesuffix(" (--carry-missing carries the last NAV)")
            raise Invalid(
                f"the fee change covers {start} to {last} (the 12 whole months before the draft takes "
                f"effect), so --nav needs net assets for every day of them: {why}",
                "nav",
            ) from None
    finally:
        engine.close()
    base_fees = _fees(base.table) if base else {}
    reform_fees = _fees(reform.table) if reform else {}
    rows: dict[FundClassKey, FundImpact] = {}
    for line in before:  # the old name's key is the NAV's: report under the new name below
        key = FundClassKey.of(old_names[line.ident], line.share_class)
        if key not in held:
            continue
        rows[key] = FundImpact(line.fund, line.share_class, base_fees.get(key, ZERO), ZERO)
    for line in after:
        key = FundClassKey.of(old_names.get(line.ident, line.fund), line.share_class)
        if key not in held:
            continue
        had = rows.get(key)
        rows[key] = FundImpact(
            line.fund, line.share_class, had.baseline if had else ZERO, reform_fees.get(key, ZERO)
        )
    missing = {
        f"{x.fund} ({x.share_class})" if x.share_class else x.fund for x in base_missing + reform_missing
    }
    warnings = [w.message for r in (base, reform) if r for w in r.warnings]
    funds = sorted(rows.values(), key=lambda f: FundClassKey.of(f.fund, f.share_class))
    return FeeImpact(start, end, tuple(funds), tuple(sorted(missing)), tuple(dict.fromkeys(warnings)))
