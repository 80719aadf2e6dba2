"""One fee run: the inputs resolved once, and the expressions evaluated over them.

A run is: (1) the name pass (`names`): NAV names in range matched to the coverage; (2) the
arithmetic mode chosen from what the name pass and the input's statistics found; (3) the
payables expression, whose per-(period, month) evidence proves one NAV row for every required
session (`expressions.checked`); (4) only if that proof fails, `gaps` names the gaps and
duplicates (an error), or carries the last NAV over the gaps (a warning) and the payables are
computed again.

`accrue` does (3) in one pass: the daily rows are computed once and kept by the engine (a temp
table on DuckDB, a cached DataFrame on Spark, narrow: period, day, NAV date, net assets), the
payables and their proof are aggregated from them, and only then are they written out. The NAV
is scanned once for the rows; nothing is written when a check fails.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

import ibis
import pyarrow as pa
from ibis.expr.types import Table, Value

from distplan.fees import expressions as ex
from distplan.fees import gaps, payrows
from distplan.fees.calendar import Calendar, Granularity, month_index
from distplan.fees.coverage import CoverageLike, ResolvedCoverage, resolve
from distplan.fees.engine import Engine
from distplan.fees.names import NameMatch, in_range, match_names
from distplan.fees.navsource import Nav, NavSource, open_nav
from distplan.fees.options import FeeOptions, Progress, noop
from distplan.model import Diagnostic

T = TypeVar("T")


class FeeRun:
    def __init__(
        self,
        engine: Engine,
        coverage: Iterable[CoverageLike],
        nav: NavSource,
        start: date,
        end: date,
        options: FeeOptions,
        progress: Progress | None,
    ) -> None:
        self.engine = engine
        self.options = options
        self.progress = progress or noop
        self.cal = Calendar.build(start, end)
        self.cov: ResolvedCoverage = resolve(coverage, start, end)
        self.warnings: list[Diagnostic] = list(self.cov.warnings)
        self.progress("reading net assets")
        self.nav: Nav = open_nav(engine, nav, options.columns)
        self.warnings.extend(self.nav.warnings)
        self.where = self.nav.where
        self.carried: pa.Table | None = None
        self._cov_pa = self._cov_arrow()
        self._months_pa = self.cal.month_table(options.due_days)
        self._cov_t = ibis.memtable(self._cov_pa)
        self._months_t = ibis.memtable(self._months_pa)
        self.progress("matching funds")
        self.matched: NameMatch = match_names(engine, self.nav, self.cal, self.cov, options.mapping)
        self.warnings.extend(self.matched.warnings)
        self._names_t = ibis.memtable(self.matched.names)
        # NAV names x coverage periods: the main join goes from NAV rows straight to periods.
        self._navcov_t = ibis.memtable(
            self.matched.names.join(self._cov_pa, "fc_id", "cov_fc", join_type="inner")
        )
        self.mode: ex.Mode = self._mode()
        self.single = self._single_period_months()

    def _mode(self) -> ex.Mode:
        if not self._cents_ok():
            return "exact"
        # One division per component is exact when every cents x rate-units product < 2**53.
        top_rate = max(
            (max(_rate_units(p.rate_distribution), _rate_units(p.rate_service)) for p in self.cov.periods),
            default=0,
        )
        max_na = self.matched.max_na
        if max_na is not None and int(max_na * 100) * top_rate < 2**53:
            return "small"
        return "cents"

    def _single_period_months(self) -> bool:
        """No fund-class has two coverage periods in one month (periods of a fund-class have
        consecutive ids in start order)."""
        for prev, cur in itertools.pairwise(self.cov.periods):
            if prev.fc_id == cur.fc_id and month_index(prev.end - timedelta(days=1)) >= month_index(
                cur.start
            ):
                return False
        return True

    def _cents_ok(self) -> bool:
        """The fast integer mode needs whole-cent net assets and rates in 1e-4 percent."""
        units = Decimal(ex.RATE_UNITS)
        rates_ok = all(
            (r * units) == (r * units).to_integral_value()
            for p in self.cov.periods
            for r in (p.rate_distribution, p.rate_service)
        )
        return rates_ok and self.matched.subcent_rows == 0 and not self.options.force_exact

    def _cov_arrow(self) -> pa.Table:
        ps = self.cov.periods
        cal = self.cal
        return pa.table(
            {
                "period_id": pa.array([p.period_id for p in ps], pa.int64()),
                "cov_fc": pa.array([p.fc_id for p in ps], pa.int64()),
                "plan": pa.array([p.plan for p in ps], pa.string()),
                "registrant": pa.array([p.registrant for p in ps], pa.string()),
                "fund": pa.array([p.fund for p in ps], pa.string()),
                "share_class": pa.array([p.share_class for p in ps], pa.string()),
                "p_start": pa.array([cal.ordinal(p.start) for p in ps], pa.int64()),
                "p_end": pa.array([cal.ordinal(p.end) for p in ps], pa.int64()),
                "p_k_lo": pa.array([cal.idx_le(p.start) for p in ps], pa.int64()),
                "p_k_hi": pa.array([cal.idx_lt(p.end) for p in ps], pa.int64()),
                "rate_d": pa.array([p.rate_distribution for p in ps], pa.decimal128(38, 10)),
                "rate_s": pa.array([p.rate_service for p in ps], pa.decimal128(38, 10)),
                "r_d": pa.array([_rate_units(p.rate_distribution) for p in ps], pa.int64()),
                "r_s": pa.array([_rate_units(p.rate_service) for p in ps], pa.int64()),
                "instrument": pa.array([p.instrument for p in ps], pa.string()),
            }
        )

    def _segments(self, granularity: Granularity) -> Table:
        return ibis.memtable(self.cal.segment_table(granularity))

    # --- NAV rows ------------------------------------------------------------------------

    def nav_rows(self) -> Table:
        """NAV rows in range as the main expression reads them (plus any carried rows)."""
        t = in_range(self.nav.table, self.cal)
        cols: dict[str, Value] = {
            "fund": t.fund,
            "share_class": t.share_class,
            "strike": t.date,
            "nav_date": t.date,
            "na": t.net_assets,
        }
        if self.mode != "exact":
            cols["a"] = t.cents
        out = t.select(**cols)
        if self.carried is not None:
            out = out.union(ibis.memtable(self.carried))
        return out

    def mapped_nav(self, *, lower_bound: bool = True) -> Table:
        """NAV rows with their fund-class id (for diagnostics)."""
        t = self.nav.table
        t = in_range(t, self.cal) if lower_bound else t.filter(t.date < self.cal.end)
        n = self._names_t
        j = t.join(n, (t.fund == n.nav_fund) & (t.share_class == n.nav_class))
        cols: dict[str, Value] = {"fc_id": j.fc_id, "strike": j.date, "nav_date": j.date, "na": j.net_assets}
        if self.mode != "exact":
            cols["a"] = j.cents
        return j.select(**cols)

    # --- evaluation ----------------------------------------------------------------------

    def _payables_of(self, rows: Table, by: Granularity) -> pa.Table:
        rounding = self.options.rounding
        pm = ex.period_months(rows, rounding, self.mode)
        checked = ex.checked(pm, self._cov_t, self._months_t, by)
        expr = ex.payables(checked, self._cov_t, self._months_t, rounding, self.mode, single=self.single)
        return payrows.fetch(self.engine, expr, self._cov_pa, self._months_pa, self.cov.periods)

    def expected_period_months(self) -> int:
        return sum(month_index(p.end) - month_index(p.start) + (p.end.day != 1) for p in self.cov.periods)

    def _proved(self, compute: Callable[[], pa.Table]) -> pa.Table:
        """`compute()`'s payables once the NAV completeness proof holds: if it fails, the gaps
        are named (InputError) or carried, and the payables computed again."""
        table = compute()
        if not payrows.complete(table, self.expected_period_months()):
            self.progress("locating missing NAV")
            self.carried = gaps.repair(self, table)
            table = compute()
            if not payrows.complete(table, self.expected_period_months()):  # pragma: no cover - a bug
                raise RuntimeError("NAV completeness check failed after carrying missing NAV")
        return table

    def payables(self) -> pa.Table:
        """Payables over month segments (NAV rows x runs of days: far fewer rows than days)."""
        self.progress("computing payables")
        seg = self._segments("month")
        return self._proved(
            lambda: self._payables_of(ex.rows(self.nav_rows(), seg, self._navcov_t, self.mode), "month")
        )

    def accrue(self, emit: Callable[[Table], T]) -> tuple[pa.Table, T]:
        """The checked payables and `emit(daily rows)`, the daily rows computed once (see the
        module docstring); `emit` runs only once the proof holds."""
        seg = self._segments("day")
        kept: list[Table] = []

        def compute() -> pa.Table:
            for old in kept:
                self.engine.drop(old)
            kept.clear()
            self.progress("computing daily accruals")
            j = ex.joined(self.nav_rows(), seg, self._navcov_t)
            core = j.select("period_id", "seg_start", "nav_date", "a" if self.mode != "exact" else "na")
            kept.append(self.engine.keep(core))
            self.progress("checking daily accruals")
            return self._payables_of(ex.accruals(ex.rejoin(kept[0], seg, self._cov_t), self.mode), "day")

        try:
            table = self._proved(compute)
            rows = ex.accruals(ex.rejoin(kept[0], seg, self._cov_t), self.mode)
            daily = ex.daily(rows, self.options.rounding, self.mode)
            return table, emit(daily.order_by(["fund", "share_class", "date"]))
        finally:
            for old in kept:
                self.engine.drop(old)


def _rate_units(rate: Decimal) -> int:
    """A rate in 1e-4 percent for the cents mode (0 when it does not fit: exact mode then)."""
    units = rate * ex.RATE_UNITS
    return int(units) if units == units.to_integral_value() else 0
