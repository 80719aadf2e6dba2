"""The coverage chart: funds down, time across, one bar per covered stretch, split at each
amendment, the instrument behind it in a tooltip. Geometry only (numbers and plain strings);
the template draws the SVG, so every name is escaped there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from distplan.app.results import CoverageView
from distplan.model import fold_name

ROW_H = 22
LABEL_W = 340
PLOT_W = 720
TOP = 34
MAX_FUNDS = 400  # a bigger plan is filtered by name first


@dataclass(frozen=True)
class Bar:
    x: float
    w: float
    y: float
    title: str
    shade: int  # which instrument (0..n), so neighbouring bars differ
    open_end: bool


@dataclass(frozen=True)
class FundRow:
    y: float
    label: str
    registrant: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    instrument: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_w: int
    rows: list[FundRow]
    bars: list[Bar]
    ticks: list[Tick]
    start: date
    end: date
    shown: int
    total: int


def build(view: CoverageView, query: str = "") -> Chart:
    periods = view.periods
    if query.strip():
        needle = fold_name(query)
        periods = [p for p in periods if needle in fold_name(p.fund)]
    # One row per fund-class, through renames of the fund or its registrant: the latest names.
    latest: dict[tuple[str, str], tuple[date, str, str, str]] = {}
    for p in periods:
        key = (fold_name(p.fund), fold_name(p.share_class or ""))
        if key not in latest or p.start >= latest[key][0]:
            latest[key] = (p.start, p.registrant or "", p.fund, p.share_class or "")
    keys = sorted(latest, key=lambda k: (k[0], k[1]))
    total = len(keys)
    keys = keys[:MAX_FUNDS]
    index = {k: i for i, k in enumerate(keys)}
    cuts = sorted({d for d, _ in view.amendments})
    starts = [p.start for p in periods] + cuts
    start = min(starts) if starts else date(2000, 1, 1)
    ends = [p.end for p in periods if p.end is not None] + cuts
    end = max(ends) if ends else start
    end = max(end, start) + timedelta(days=max(7, (end - start).days // 8))  # room for open bars
    span = (end - start).days or 1

    def x(day: date) -> float:
        return LABEL_W + PLOT_W * (day - start).days / span

    names = {d: n for d, n in view.amendments}
    shade_of = {n: i % 6 for i, (_, n) in enumerate(view.amendments)}
    bars = []
    for p in periods:
        row = index.get((fold_name(p.fund), fold_name(p.share_class or "")))
        if row is None:
            continue
        stop = p.end or end
        edges = [p.start, *[c for c in cuts if p.start < c < stop], stop]
        for a, b in pairwise(edges):
            in_force = max((c for c in cuts if c <= a), default=None)
            rates = ", ".join(
                f"{k.split('_')[0]} {v}%" for k, v in p.to_json()["rates"].items() if v is not None
            )
            title = (
                f"{p.fund} ({p.share_class or 'no class'}), {p.registrant or 'no registrant'}: "
                f"[{a}, {b if b != end or p.end else '…'}) under {p.instrument}"
                + (f"; in force: {names[in_force]}" if in_force in names else "")
                + (f"; {rates}" if rates else "")
            )
            bars.append(
                Bar(
                    x(a),
                    max(x(b) - x(a), 1.0),
                    TOP + row * ROW_H + 3,
                    title,
                    shade_of.get(names.get(in_force, ""), 0) if in_force else 0,
                    p.end is None and b == stop,
                )
            )
    rows = []
    for i, k in enumerate(keys):
        _, registrant, fund, share_class = latest[k]
        rows.append(FundRow(TOP + i * ROW_H, f"{fund} ({share_class})" if share_class else fund, registrant))
    ticks = [Tick(x(d), d.isoformat(), n) for d, n in view.amendments]
    height = TOP + len(keys) * ROW_H + 10
    return Chart(LABEL_W + PLOT_W + 20, height, LABEL_W, rows, bars, ticks, start, end, len(keys), total)
