"""Fee runs: validate the inputs, check NAV completeness, then evaluate the expressions.

A run is: (1) one pass over the NAV names in range, matched to the coverage by folded name
(funds the plan never covered are reported once each and not used); (2) the payables
expression, whose per-(period, month) evidence proves one NAV row for every required session;
(3) only if that proof fails, a look at the failing fund-classes' rows to name the gaps (an
error, or with `carry_missing` a warning and the last NAV carried) and duplicates (an error).
Daily rows are then written by the engine; payables come back as an Arrow table.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table, Value

from distplan.errors import InputError
from distplan.fees import expressions as ex
from distplan.fees.calendar import Calendar, Granularity, month_index
from distplan.fees.coverage import CoverageLike, Period, ResolvedCoverage, label, resolve
from distplan.fees.engine import Engine
from distplan.fees.expressions import ROUNDINGS, Rounding
from distplan.fees.navsource import Nav, NavSource, Stats, open_nav, read_mapping
from distplan.model import Diagnostic, FundClassKey, suggest

# The exact integer arithmetic of `expressions` holds below this: $10 trillion per fund-class.
MAX_NET_ASSETS = Decimal("1e13")
MAX_DUE_DAYS = 366
_LIST = 8  # how many gaps/funds an error line names before "and N more"

Progress = Callable[[str], None]

PAYABLE_COLUMNS = (
    "month",
    "plan",
    "registrant",
    "fund",
    "share_class",
    "days",
    "average_net_assets",
    "fee_distribution",
    "fee_service",
    "fee",
    "due_date",
    "instruments",
)

# The payables columns the engine computes (the rest are looked up by id, see _fetch_payables).
_NUMERIC = (
    "days",
    "average_net_assets",
    "fee_distribution",
    "fee_service",
    "fee",
    "fc_id",
    "month_id",
    "n_periods",
    "bad",
    "first",
    "last",
)


@dataclass(frozen=True)
class FeeOptions:
    rounding: Rounding = "daily-cents-half-even"
    carry_missing: bool = False
    due_days: int = 10
    mapping: Path | None = None
    # The NAV file's column for each field, when not named fund, share_class, date, net_assets.
    columns: Mapping[str, str] | None = None
    # Use the decimal arithmetic even when the integer (cents) mode would do: same results,
    # slower; the tests run both.
    force_exact: bool = False

    def __post_init__(self) -> None:
        if self.rounding not in ROUNDINGS:
            raise InputError(f"--rounding: expected one of {', '.join(ROUNDINGS)}, got {self.rounding!r}")
        if not 0 <= self.due_days <= MAX_DUE_DAYS:
            raise InputError(f"--due-days {self.due_days}: expected 0 to {MAX_DUE_DAYS} days after month end")


@dataclass(frozen=True)
class FeeResult:
    """Payables (one row per month, plan and fund-class) and what the run had to say."""

    table: pa.Table
    warnings: tuple[Diagnostic, ...] = ()
    start: date | None = None
    end: date | None = None
    rows_written: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


def _noop(_: str) -> None:
    pass


class _Run:
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
        self.progress = progress or _noop
        self.cal = Calendar.build(start, end)
        self.cov: ResolvedCoverage = resolve(coverage, start, end)
        self.warnings: list[Diagnostic] = list(self.cov.warnings)
        self.progress("reading net assets")
        self.nav: Nav = open_nav(engine, nav, options.columns)
        self.warnings.extend(self.nav.warnings)
        self.where = self.nav.where
        self.carried: pa.Table | None = None
        self._unmatched: list[str] = []  # NAV fund-classes the plan never covered, as labels
        self._cov_pa = self._cov_arrow()
        self._months_pa = self.cal.month_table(options.due_days)
        self._cov_t = ibis.memtable(self._cov_pa)
        self._months_t = ibis.memtable(self._months_pa)
        self.subcent_rows = 0
        self.max_na: Decimal | None = None
        self._names_t = self._match_names()
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
        if self.max_na is not None and int(self.max_na * 100) * top_rate < 2**53:
            return "small"
        return "cents"

    def _single_period_months(self) -> bool:
        """No fund-class has two coverage periods in one month (periods of a fund-class have
        consecutive ids in start order)."""
        ps = self.cov.periods
        for prev, cur in itertools.pairwise(ps):
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
        return rates_ok and self.subcent_rows == 0 and not self.options.force_exact

    # --- small tables --------------------------------------------------------------------

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

    def _in_range(self, t: Table) -> Table:
        return t.filter((t.date >= self.cal.sessions[0]) & (t.date < self.cal.end))

    # --- names ---------------------------------------------------------------------------

    def _match_names(self) -> Table:
        """Match NAV (fund, share_class) pairs to covered fund-classes; report the rest."""
        self.progress("matching funds")
        t = self.nav.table
        stats = self.nav.stats
        if stats is None or stats.null_dates:
            nulls = t.filter(t.date.isnull())
            undated = self.engine.to_arrow(nulls.aggregate(n=nulls.count().cast("int64")))["n"][0].as_py()
            if undated:
                raise InputError(f"{self.where}: {undated} row(s) have no date")
        scope = self._in_range(t)
        # NYSE closed: weekends, and the weekday holidays in range (a small table: an IN list of
        # literals is evaluated row by row, a semi-join is not).
        holidays = ibis.memtable(pa.table({"d": pa.array(self.cal.weekday_holidays(), pa.date32())}))
        closed = (scope.date.day_of_week.index() >= 5) | scope.date.isin(holidays.d)
        if self.nav.in_cents and _values_ok(stats):
            # The input's statistics clear the values and its type the cents: only the distinct
            # names and the few rows on closed days are needed, two cheap scans (a per-name
            # aggregate over every row costs several times more).
            pairs = scope.select("fund", "share_class").distinct()
            off = scope.filter(closed)
            off = off.group_by(["fund", "share_class"]).aggregate(off_days=off.count().cast("int64"))
            found = pairs.left_join(off, ["fund", "share_class"]).select(
                pairs.fund, pairs.share_class, off_days=off.off_days.fill_null(0)
            )
            names = self.engine.to_arrow(found).to_pylist()
        else:
            metrics: dict[str, Value] = {
                "rows": scope.count().cast("int64"),
                "off_days": closed.cast("int64").sum().cast("int64"),
                **self._subcent(scope),
            }
            # Net assets are checked per fund only when the input's own statistics do not
            # already clear them (a per-fund min/max over every row costs as much as the rest).
            if not _values_ok(stats):
                amount = scope.cents if self.nav.in_cents else scope.net_assets
                metrics.update(valued=amount.count().cast("int64"), min_na=amount.min(), max_na=amount.max())
            grouped = scope.group_by(["fund", "share_class"]).aggregate(**metrics)
            names = self.engine.to_arrow(grouped).to_pylist()
        if self.nav.in_cents:
            for row in names:
                for k in ("min_na", "max_na"):
                    if row.get(k) is not None:
                        row[k] = Decimal(row[k]).scaleb(-2)
        # The largest net assets (for the arithmetic mode): the input's, else this pass's.
        if stats is not None and _values_ok(stats):
            self.max_na = stats.max_net_assets
        else:
            tops = [r["max_na"] for r in names if r.get("max_na") is not None]
            self.max_na = max(tops) if tops else None
        mapping = read_mapping(self.options.mapping) if self.options.mapping else {}
        matched: dict[str, list[object]] = {"nav_fund": [], "nav_class": [], "fc_id": []}
        unmatched: dict[str, set[str]] = {}
        off_days = 0
        for row in names:
            fund, share_class = row["fund"], row["share_class"]
            if fund is None:
                raise InputError(f"{self.where}: {self._count_no_fund(scope, row)} row(s) have no fund")
            if "valued" in row and row["valued"] != row["rows"]:
                missing = row["rows"] - row["valued"]
                raise InputError(f"{self.where}: {missing} row(s) of {fund!r} have no net_assets")
            if row.get("min_na") is not None and row["min_na"] < 0:
                raise InputError(f"{self.where}: negative net_assets {row['min_na']} for {fund!r}")
            if row.get("max_na") is not None and row["max_na"] >= MAX_NET_ASSETS:
                raise InputError(
                    f"{self.where}: net_assets {row['max_na']} for {fund!r} is beyond the supported "
                    f"{MAX_NET_ASSETS:,.0f}"
                )
            mapped = mapping.get(fund.strip().casefold())
            key = FundClassKey.of(*mapped) if mapped else FundClassKey.of(fund, share_class)
            fc_id = self.cov.keys.get(key)
            if fc_id is None:
                unmatched.setdefault(fund, set()).add(share_class)
                continue
            off_days += row["off_days"]
            self.subcent_rows += row.get("subcent", 0) or 0
            matched["nav_fund"].append(fund)
            matched["nav_class"].append(share_class)
            matched["fc_id"].append(fc_id)
        covered = sorted({p.fund for p in self.cov.periods})
        self._unmatched = [label(f, c or None) for f in sorted(unmatched) for c in sorted(unmatched[f])]
        for fund in sorted(unmatched):
            classes = ", ".join(sorted(c or "(no class)" for c in unmatched[fund]))
            near = suggest(fund, covered)
            hint = f" (did you mean {near!r}?)" if near else ""
            self.warnings.append(
                Diagnostic(
                    "warning",
                    f"{self.where}: NAV for {fund!r} ({classes}) ignored: the plan never covered it{hint}",
                )
            )
        if off_days:
            self.warnings.append(
                Diagnostic(
                    "warning",
                    f"{self.where}: {off_days} NAV row(s) dated on days the NYSE was closed ignored",
                )
            )
        schema = pa.schema([("nav_fund", pa.string()), ("nav_class", pa.string()), ("fc_id", pa.int64())])
        names = pa.table(matched, schema=schema)
        # The NAV names of each fund-class, for carried rows.
        self._nav_name = {
            fc: (f, c)
            for f, c, fc in zip(matched["nav_fund"], matched["nav_class"], matched["fc_id"], strict=True)
        }
        # NAV names x coverage periods: the main join goes from NAV rows straight to periods.
        self._navcov_t = ibis.memtable(names.join(self._cov_pa, "fc_id", "cov_fc", join_type="inner"))
        return ibis.memtable(names)

    def _count_no_fund(self, scope: Table, row: dict[str, object]) -> object:
        if "rows" in row:
            return row["rows"]
        nulls = scope.filter(scope.fund.isnull())
        return self.engine.to_arrow(nulls.aggregate(n=nulls.count().cast("int64")))["n"][0].as_py()

    def _subcent(self, scope: Table) -> dict[str, Value]:
        if self.nav.in_cents:
            return {}
        na = scope.net_assets
        whole = na.cast(dt.Decimal(38, 2)).cast(ex.MONEY)
        return {"subcent": (na != whole).cast("int64").sum().cast("int64")}

    def nav_rows(self) -> Table:
        """NAV rows in range as the main expression reads them (plus any carried rows)."""
        t = self._in_range(self.nav.table)
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
        t = self._in_range(t) if lower_bound else t.filter(t.date < self.cal.end)
        n = self._names_t
        j = t.join(n, (t.fund == n.nav_fund) & (t.share_class == n.nav_class))
        cols: dict[str, Value] = {"fc_id": j.fc_id, "strike": j.date, "nav_date": j.date, "na": j.net_assets}
        if self.mode != "exact":
            cols["a"] = j.cents
        out = j.select(**cols)
        return out

    # --- evaluation ----------------------------------------------------------------------

    def _rows(self, granularity: Granularity) -> Table:
        return ex.rows(self.nav_rows(), self._segments(granularity), self._navcov_t, self.mode)

    def payables_expr(self) -> Table:
        rounding = self.options.rounding
        pm = ex.period_months(self._rows("month"), rounding, self.mode)
        checked = ex.checked(pm, self._cov_t, self._months_t)
        return ex.payables(checked, self._cov_t, self._months_t, rounding, self.mode, single=self.single)

    def daily_expr(self) -> Table:
        out = ex.daily(self._rows("day"), self.options.rounding, self.mode)
        return out.order_by(["fund", "share_class", "date"])

    def expected_period_months(self) -> int:
        return sum(month_index(p.end) - month_index(p.start) + (p.end.day != 1) for p in self.cov.periods)

    def _fetch_payables(self) -> pa.Table:
        # Only the numbers cross from the engine, sorted there (cheap on integer columns); the
        # names and month labels are taken here from the small coverage and month tables by
        # period and month id: carrying millions of strings through the engine's sort and
        # result conversion cost more than the arithmetic.
        expr = self.payables_expr()
        narrow = expr.select(*_NUMERIC).order_by(["month_id", "fc_id"])
        nums = self.engine.to_arrow(narrow)
        cov, months = self._cov_pa, self._months_pa
        # Names are those of the month's last coverage period (period_id is its index).
        last = nums["last"]
        month_at = pc.index_in(nums["month_id"], value_set=months["month_id"])
        cols: dict[str, pa.Array | pa.ChunkedArray] = {
            "month": pc.take(months["month"], month_at),
            "plan": pc.take(cov["plan"], last),
            "registrant": pc.take(cov["registrant"], last),
            "fund": pc.take(cov["fund"], last),
            "share_class": pc.take(cov["share_class"], last),
            "days": nums["days"],
        }
        for name in ("average_net_assets", "fee_distribution", "fee_service", "fee"):
            cols[name] = cents_to_dollars(nums[name])
        cols["due_date"] = pc.take(months["due_date"], month_at)
        cols["instruments"] = pc.take(cov["instrument"], last)
        for name in _NUMERIC[5:]:
            cols[name] = nums[name]
        return self._list_instruments(pa.table(cols))

    def _list_instruments(self, table: pa.Table) -> pa.Table:
        """Every instrument behind a month's rates, in order, where the month has several
        coverage periods (the expression gives the last period's)."""
        several = pc.not_equal(table["first"], table["last"])
        if not pc.any(several).as_py():
            return table
        table = table.combine_chunks()
        several = pc.not_equal(table["first"], table["last"]).chunk(0)
        where = pc.indices_nonzero(several)
        periods = self.cov.periods
        listed = [
            "; ".join(dict.fromkeys(periods[i].instrument for i in range(lo, hi + 1)))
            for lo, hi in zip(
                pc.take(table["first"], where).to_pylist(),
                pc.take(table["last"], where).to_pylist(),
                strict=True,
            )
        ]
        column = pc.replace_with_mask(table["instruments"].chunk(0), several, pa.array(listed, pa.string()))
        return table.set_column(table.schema.get_field_index("instruments"), "instruments", column)

    def payables(self) -> pa.Table:
        self.progress("computing payables")
        table = self._fetch_payables()
        ok = pc.sum(table["bad"]).as_py() in (None, 0) and (
            (pc.sum(table["n_periods"]).as_py() or 0) == self.expected_period_months()
        )
        if not ok:
            self.progress("locating missing NAV")
            self._repair(table)
            table = self._fetch_payables()
            if pc.sum(table["bad"]).as_py() not in (None, 0):  # pragma: no cover - a bug
                raise RuntimeError("NAV completeness check failed after carrying missing NAV")
        return table

    # --- gaps ----------------------------------------------------------------------------

    def _required(self, p: Period) -> range:
        return range(self.cal.idx_le(p.start), self.cal.idx_lt(p.end) + 1)

    def _repair(self, table: pa.Table) -> None:
        """Name the gaps and duplicates of the fund-classes that failed the check; carry the last
        NAV over gaps when allowed, else raise."""
        expected: Counter[tuple[int, int]] = Counter()
        for p in self.cov.periods:
            m = month_index(p.start)
            while m <= month_index(p.end) - (p.end.day == 1):
                expected[(p.fc_id, m)] += 1
                m += 1
        got = {
            (fc, m): n
            for fc, m, n in zip(
                table["fc_id"].to_pylist(),
                table["month_id"].to_pylist(),
                table["n_periods"].to_pylist(),
                strict=True,
            )
        }
        bad_fc = {fc for (fc, _), n in expected.items() if got.get((fc, _)) != n}
        bad_fc |= {
            fc for fc, b in zip(table["fc_id"].to_pylist(), table["bad"].to_pylist(), strict=True) if b
        }
        nav = self.mapped_nav()
        rows = self.engine.to_arrow(
            nav.filter(nav.fc_id.isin(sorted(bad_fc))).select("fc_id", "strike", "na")
        ).to_pylist()
        sessions = set(self.cal.sessions)
        present: dict[int, dict[date, Decimal]] = {fc: {} for fc in bad_fc}
        seen: dict[tuple[int, date], list[Decimal]] = {}
        names = self._labels()
        for row in rows:
            fc, day = row["fc_id"], row["strike"]
            if day not in sessions:
                continue
            seen.setdefault((fc, day), []).append(row["na"])
            present[fc][day] = row["na"]
        dups = sorted(
            f"{names[fc]} {day}: {len(values)} rows (net assets {', '.join(_money(v) for v in sorted(values))})"
            for (fc, day), values in seen.items()
            if len(values) > 1
        )
        if dups:
            raise InputError(f"{self.where}: duplicate NAV rows: {_listing(dups)}")
        missing: dict[int, list[date]] = {}
        for p in self.cov.periods:
            if p.fc_id in bad_fc:
                for k in self._required(p):
                    day = self.cal.sessions[k]
                    if day not in present[p.fc_id]:
                        missing.setdefault(p.fc_id, []).append(day)
        if not missing:  # pragma: no cover - the check and this look disagree: a bug
            raise RuntimeError("NAV completeness check failed but no gap was found")
        if not self.options.carry_missing:
            raise InputError(f"{self.where}: {self._gaps(missing, present, names)}")
        self._carry(missing, present, names)

    def _gaps(
        self, missing: dict[int, list[date]], present: dict[int, dict[date, Decimal]], names: dict[int, str]
    ) -> str:
        """The gaps in one line: fund-classes without a single NAV row (a misspelt name, most
        likely: the closest unmatched NAV name is suggested), then the missing days of others."""
        by_name = sorted(missing, key=lambda fc: names[fc])
        parts = []
        absent = [fc for fc in by_name if not present[fc]]
        if absent:
            listed = []
            for fc in absent:
                near = suggest(names[fc], self._unmatched)
                listed.append(names[fc] + (f" (did you mean the NAV's {near!r}?)" if near else ""))
            parts.append(f"no NAV rows at all for {len(absent)} covered fund-class(es): {_listing(listed)}")
        partial = [fc for fc in by_name if present[fc]]
        if partial:
            n_days = sum(len(missing[fc]) for fc in partial)
            gaps = [f"{names[fc]}: {_dates(missing[fc])}" for fc in partial]
            parts.append(f"no NAV for {n_days} covered NYSE day(s): {_listing(gaps)}")
        return "; ".join(parts) + " (--carry-missing carries the last NAV)"

    def _carry(
        self, missing: dict[int, list[date]], present: dict[int, dict[date, Decimal]], names: dict[int, str]
    ) -> None:
        before = self._latest_before(
            [fc for fc, days in missing.items() if not present[fc] or min(present[fc]) > min(days)]
        )
        out: dict[str, list[object]] = {
            "fund": [],
            "share_class": [],
            "strike": [],
            "nav_date": [],
            "na": [],
            "a": [],
        }
        for fc, days in sorted(missing.items()):
            known = sorted(present[fc])
            for day in sorted(set(days)):
                i = bisect.bisect_left(known, day) - 1
                if i >= 0:
                    src, na = known[i], present[fc][known[i]]
                elif fc in before:
                    src, na = before[fc]
                else:
                    raise InputError(
                        f"{self.where}: no NAV on or before {day} for {names[fc]} to carry forward"
                    )
                fund, share_class = self._nav_name[fc]
                out["fund"].append(fund)
                out["share_class"].append(share_class)
                out["strike"].append(day)
                out["nav_date"].append(src)
                out["na"].append(na)
                out["a"].append(int(na * 100) if self.mode != "exact" else 0)
            self.warnings.append(
                Diagnostic(
                    "warning",
                    f"{self.where}: carried the last NAV over missing days for {names[fc]}: {_dates(days)}",
                )
            )
        fields = [
            ("fund", pa.string()),
            ("share_class", pa.string()),
            ("strike", pa.date32()),
            ("nav_date", pa.date32()),
            ("na", pa.decimal128(38, 10)),
            ("a", pa.int64()),
        ]
        carried = pa.table(out, schema=pa.schema(fields))
        self.carried = carried if self.mode != "exact" else carried.drop_columns(["a"])

    def _latest_before(self, fcs: Sequence[int]) -> dict[int, tuple[date, Decimal]]:
        """The last NAV struck on a session before the range, for fund-classes missing it."""
        if not fcs:
            return {}
        nav = self.mapped_nav(lower_bound=False)
        first = self.cal.sessions[0]
        prior = nav.filter(nav.fc_id.isin(list(fcs)) & (nav.strike < first))
        last = prior.group_by("fc_id").aggregate(d=prior.strike.max())
        j = prior.join(last, (prior.fc_id == last.fc_id) & (prior.strike == last.d))
        out: dict[int, tuple[date, Decimal]] = {}
        for row in self.engine.to_arrow(j.select(fc_id=prior.fc_id, d=last.d, na=prior.na)).to_pylist():
            out[row["fc_id"]] = (row["d"], row["na"])
        return out

    def _labels(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for p in self.cov.periods:
            out.setdefault(p.fc_id, label(p.fund, p.share_class))
        return out


def _values_ok(stats: Stats | None) -> bool:
    """The whole input has net assets everywhere, none negative, none beyond the limit."""
    if stats is None or stats.null_net_assets:
        return False
    if stats.min_net_assets is None or stats.max_net_assets is None:
        return stats.min_net_assets is None and stats.max_net_assets is None  # no rows at all
    return stats.min_net_assets >= 0 and stats.max_net_assets < MAX_NET_ASSETS


def cents_to_dollars(cents: pa.ChunkedArray) -> pa.Array:
    """int64 cents -> decimal128(38, 2) dollars, exactly: a decimal128 *is* its unscaled
    integer (little-endian, two's complement), so the int64 is widened to 128 bits in place."""
    if cents.null_count:  # pragma: no cover - aggregates of non-null ints
        raise RuntimeError("null cents in payables")
    values = cents.to_numpy()
    lanes = np.empty((len(values), 2), dtype="<i8")
    lanes[:, 0] = values
    lanes[:, 1] = values >> 63  # sign extension
    return pa.Array.from_buffers(pa.decimal128(38, 2), len(values), [None, pa.py_buffer(lanes)])


def _rate_units(rate: Decimal) -> int:
    """A rate in 1e-4 percent for the cents mode (0 when it does not fit: exact mode then)."""
    units = rate * ex.RATE_UNITS
    return int(units) if units == units.to_integral_value() else 0


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"))) if value == value.quantize(Decimal("0.01")) else str(value)


def _dates(days: Sequence[date]) -> str:
    days = sorted(set(days))
    shown = ", ".join(d.isoformat() for d in days[:_LIST])
    return shown + (f" and {len(days) - _LIST} more" if len(days) > _LIST else "")


def _listing(items: Sequence[str]) -> str:
    shown = "; ".join(items[:_LIST])
    return shown + (f"; and {len(items) - _LIST} more" if len(items) > _LIST else "")


def _public(table: pa.Table) -> pa.Table:
    return table.select(list(PAYABLE_COLUMNS))


def _engine(engine: Engine | None) -> tuple[Engine, bool]:
    return (engine, False) if engine is not None else (Engine.duckdb(), True)


def payables(
    coverage: Iterable[CoverageLike],
    nav: NavSource,
    start: date,
    end: date,
    *,
    engine: Engine | None = None,
    options: FeeOptions | None = None,
    progress: Progress | None = None,
) -> FeeResult:
    """Monthly payables for the months in `[start, end)` (a partial month covers its days in
    range). Columns: PAYABLE_COLUMNS. Raises InputError on missing NAV unless carrying."""
    eng, own = _engine(engine)
    try:
        run = _Run(eng, coverage, nav, start, end, options or FeeOptions(), progress)
        table = run.payables()
        return FeeResult(_public(table), tuple(run.warnings), start, end)
    finally:
        if own:
            eng.close()


def accrue(
    coverage: Iterable[CoverageLike],
    nav: NavSource,
    start: date,
    end: date,
    out: Path | None = None,
    *,
    engine: Engine | None = None,
    options: FeeOptions | None = None,
    progress: Progress | None = None,
) -> FeeResult:
    """Daily accrual rows for `[start, end)`. With `out` the engine writes them to that .csv or
    .parquet file (nothing is written if a check fails) and `table` holds the payables that
    checked them; without `out` the daily rows come back as the result's `table`."""
    eng, own = _engine(engine)
    try:
        run = _Run(eng, coverage, nav, start, end, options or FeeOptions(), progress)
        checked = run.payables()  # proves NAV completeness (or carries) before any output
        if out is None:
            run.progress("computing daily accruals")
            return FeeResult(eng.to_arrow(run.daily_expr()), tuple(run.warnings), start, end)
        run.progress(f"writing {out}")
        eng.write(run.daily_expr(), out)
        days = pc.sum(checked["days"]).as_py() or 0
        return FeeResult(_public(checked), tuple(run.warnings), start, end, rows_written=int(days))
    finally:
        if own:
            eng.close()


def totals(table: pa.Table) -> dict[str, list[dict[str, object]]]:
    """Totals per registrant (within plan) and per plan, as Decimal: the fee by component and
    `payable`, what is paid: the fee, or for a reimbursement plan (rows with `paid`) the amount
    reimbursed, never the cap."""
    by_plan: dict[str, dict[str, Decimal]] = {}
    by_reg: dict[tuple[str, str], dict[str, Decimal]] = {}
    paid = "paid" if "paid" in table.column_names else "fee"
    cols = ("fee_distribution", "fee_service", "fee", "payable")
    for row in table.select(
        ["plan", "registrant", "fee_distribution", "fee_service", "fee", paid]
    ).to_pylist():
        row["payable"] = row[paid]
        for bucket in (
            by_plan.setdefault(row["plan"], dict.fromkeys(cols, Decimal("0.00"))),
            by_reg.setdefault((row["plan"], row["registrant"] or ""), dict.fromkeys(cols, Decimal("0.00"))),
        ):
            for c in cols:
                bucket[c] += row[c]
    return {
        "plans": [{"plan": p, **v} for p, v in sorted(by_plan.items())],
        "registrants": [{"plan": p, "registrant": r, **v} for (p, r), v in sorted(by_reg.items())],
    }
