"""When the completeness proof fails: name the gaps and duplicates, or carry the last NAV.

Only the fund-classes that failed the check are looked at (their NAV rows in range). A
duplicate is an error; a gap is an error naming the days (or, for a fund-class with no NAV row
at all, the closest NAV name the plan never covered), unless `carry_missing`: then the last NAV
on or before each missing day is carried, with one warning per fund-class.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pyarrow as pa

from distplan.errors import InputError
from distplan.fees.calendar import month_index
from distplan.fees.coverage import label
from distplan.model import Diagnostic, suggest

if TYPE_CHECKING:
    from distplan.fees.runner import FeeRun

_LIST = 8  # how many gaps/funds an error line names before "and N more"

_CARRIED = pa.schema(
    [
        ("fund", pa.string()),
        ("share_class", pa.string()),
        ("strike", pa.date32()),
        ("nav_date", pa.date32()),
        ("na", pa.decimal128(38, 10)),
        ("a", pa.int64()),
    ]
)


def failing(run: FeeRun, table: pa.Table) -> set[int]:
    """The fund-classes whose period-months are missing from the payables or marked bad."""
    expected: Counter[tuple[int, int]] = Counter()
    for p in run.cov.periods:
        m = month_index(p.start)
        while m <= month_index(p.end) - (p.end.day == 1):
            expected[(p.fc_id, m)] += 1
            m += 1
    fcs, months = table["fc_id"].to_pylist(), table["month_id"].to_pylist()
    got = dict(zip(zip(fcs, months, strict=True), table["n_periods"].to_pylist(), strict=True))
    bad = {fc for (fc, m), n in expected.items() if got.get((fc, m)) != n}
    return bad | {fc for fc, b in zip(fcs, table["bad"].to_pylist(), strict=True) if b}


def repair(run: FeeRun, table: pa.Table) -> pa.Table:
    """The carried NAV rows that complete the failing fund-classes (warnings added to the run),
    or InputError naming the duplicates or the gaps."""
    bad_fc = failing(run, table)
    nav = run.mapped_nav()
    rows = run.engine.to_arrow(
        nav.filter(nav.fc_id.isin(sorted(bad_fc))).select("fc_id", "strike", "na")
    ).to_pylist()
    sessions = set(run.cal.sessions)
    present: dict[int, dict[date, Decimal]] = {fc: {} for fc in bad_fc}
    seen: dict[tuple[int, date], list[Decimal]] = {}
    names = labels(run)
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
        raise InputError(f"{run.where}: duplicate NAV rows: {listing(dups)}")
    missing: dict[int, list[date]] = {}
    for p in run.cov.periods:
        if p.fc_id in bad_fc:
            for k in range(run.cal.idx_le(p.start), run.cal.idx_lt(p.end) + 1):
                day = run.cal.sessions[k]
                if day not in present[p.fc_id]:
                    missing.setdefault(p.fc_id, []).append(day)
    if not missing:  # pragma: no cover - the check and this look disagree: a bug
        raise RuntimeError("NAV completeness check failed but no gap was found")
    if not run.options.carry_missing:
        raise InputError(f"{run.where}: {_gaps(run, missing, present, names)}")
    return _carry(run, missing, present, names)


def _gaps(
    run: FeeRun,
    missing: dict[int, list[date]],
    present: dict[int, dict[date, Decimal]],
    names: dict[int, str],
) -> str:
    """The gaps in one line: fund-classes without a single NAV row (a misspelt name, most
    likely: the closest unmatched NAV name is suggested), then the missing days of others."""
    by_name = sorted(missing, key=lambda fc: names[fc])
    parts = []
    absent = [fc for fc in by_name if not present[fc]]
    if absent:
        listed = []
        for fc in absent:
            near = suggest(names[fc], run.matched.unmatched)
            listed.append(names[fc] + (f" (did you mean the NAV's {near!r}?)" if near else ""))
        parts.append(f"no NAV rows at all for {len(absent)} covered fund-class(es): {listing(listed)}")
    partial = [fc for fc in by_name if present[fc]]
    if partial:
        n_days = sum(len(missing[fc]) for fc in partial)
        gaps = [f"{names[fc]}: {dates(missing[fc])}" for fc in partial]
        parts.append(f"no NAV for {n_days} covered NYSE day(s): {listing(gaps)}")
    return "; ".join(parts) + " (--carry-missing carries the last NAV)"


def _carry(
    run: FeeRun,
    missing: dict[int, list[date]],
    present: dict[int, dict[date, Decimal]],
    names: dict[int, str],
) -> pa.Table:
    before = _latest_before(
        run, [fc for fc, days in missing.items() if not present[fc] or min(present[fc]) > min(days)]
    )
    out: dict[str, list[object]] = {name: [] for name in _CARRIED.names}
    for fc, days in sorted(missing.items()):
        known = sorted(present[fc])
        for day in sorted(set(days)):
            i = bisect.bisect_left(known, day) - 1
            if i >= 0:
                src, na = known[i], present[fc][known[i]]
            elif fc in before:
                src, na = before[fc]
            else:
                raise InputError(f"{run.where}: no NAV on or before {day} for {names[fc]} to carry forward")
            fund, share_class = run.matched.nav_name[fc]
            for name, value in zip(
                _CARRIED.names,
                (fund, share_class, day, src, na, int(na * 100) if run.mode != "exact" else 0),
                strict=True,
            ):
                out[name].append(value)
        run.warnings.append(
            Diagnostic(
                "warning",
                f"{run.where}: carried the last NAV over missing days for {names[fc]}: {dates(days)}",
            )
        )
    carried = pa.table(out, schema=_CARRIED)
    return carried if run.mode != "exact" else carried.drop_columns(["a"])


def _latest_before(run: FeeRun, fcs: Sequence[int]) -> dict[int, tuple[date, Decimal]]:
    """The last NAV struck on a session before the range, for fund-classes missing it."""
    if not fcs:
        return {}
    nav = run.mapped_nav(lower_bound=False)
    first = run.cal.sessions[0]
    prior = nav.filter(nav.fc_id.isin(list(fcs)) & (nav.strike < first))
    last = prior.group_by("fc_id").aggregate(d=prior.strike.max())
    j = prior.join(last, (prior.fc_id == last.fc_id) & (prior.strike == last.d))
    out: dict[int, tuple[date, Decimal]] = {}
    for row in run.engine.to_arrow(j.select(fc_id=prior.fc_id, d=last.d, na=prior.na)).to_pylist():
        out[row["fc_id"]] = (row["d"], row["na"])
    return out


def labels(run: FeeRun) -> dict[int, str]:
    out: dict[int, str] = {}
    for p in run.cov.periods:
        out.setdefault(p.fc_id, label(p.fund, p.share_class))
    return out


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"))) if value == value.quantize(Decimal("0.01")) else str(value)


def dates(days: Sequence[date]) -> str:
    days = sorted(set(days))
    shown = ", ".join(d.isoformat() for d in days[:_LIST])
    return shown + (f" and {len(days) - _LIST} more" if len(days) > _LIST else "")


def listing(items: Sequence[str]) -> str:
    shown = "; ".join(items[:_LIST])
    return shown + (f"; and {len(items) - _LIST} more" if len(items) > _LIST else "")
