"""Charts of a report: geometry for the SVG the HTML template draws (HTML and PDF), and PNG
images from matplotlib for DOCX. Numbers and plain strings only: the template escapes names.

The PNG is deterministic: matplotlib's Agg canvas (no pyplot, no global state), its bundled
DejaVu font, and no Software/date metadata.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from distplan.reports.document import Chart

SHADES = ("#23557a", "#8fb3d1", "#c9822b", "#5b8a3a", "#8a4f7d", "#b5b5b5")
LABEL_W = 300
PLOT_W = 520
ROW_H = 16
COL_H = 150
TOP = 24  # the title and legend line
AXIS_W = 20
MAX_BARS = 60  # a larger chart shows its largest bars; the table beside it has every row


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    shade: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Plot:
    width: int
    height: int
    rects: tuple[Rect, ...]
    labels: tuple[Label, ...]
    legend: tuple[tuple[float, str, str], ...]  # x, shade, series name (on the top line)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _money(v: Decimal) -> str:
    return f"{v:,.2f}"


def _top(chart: Chart) -> tuple[list[int], Decimal]:
    totals = [sum((s.values[i] for s in chart.series), Decimal(0)) for i in range(len(chart.categories))]
    keep = sorted(range(len(totals)), key=lambda i: -totals[i])[:MAX_BARS]
    order = [i for i in range(len(totals)) if i in set(keep)]
    return order, max((totals[i] for i in order), default=Decimal(0)) or Decimal(1)


def _legend(chart: Chart, left: float) -> tuple[tuple[float, str, str], ...]:
    return tuple((left + i * 140.0, SHADES[i % len(SHADES)], s.name) for i, s in enumerate(chart.series))


def _stack(chart: Chart, i: int) -> list[tuple[Decimal, str, str]]:
    return [
        (s.values[i], SHADES[k % len(SHADES)], f"{s.name}: {_money(s.values[i])}")
        for k, s in enumerate(chart.series)
    ]


def plot(chart: Chart) -> Plot:
    """Stacked bars: horizontal (one row per category) or vertical (one column per category).
    The title and legend take the top line; bars start below it."""
    order, top = _top(chart)
    rects: list[Rect] = []
    labels: list[Label] = []
    if chart.horizontal:
        for row, i in enumerate(order):
            y = float(TOP + row * ROW_H)
            labels.append(Label(LABEL_W - 6, y + 11, _short(chart.categories[i], 54), "end"))
            x = float(LABEL_W)
            for value, shade, title in _stack(chart, i):
                w = float(PLOT_W * value / top)
                rects.append(Rect(x, y + 2, w, ROW_H - 4, shade, title))
                x += w
            labels.append(Label(x + 4, y + 11, _money(sum((v for v, _, _ in _stack(chart, i)), Decimal(0)))))
        height = TOP + len(order) * ROW_H + 6
        return Plot(LABEL_W + PLOT_W + 100, height, tuple(rects), tuple(labels), _legend(chart, LABEL_W))
    step = min(130.0, PLOT_W / max(len(order), 1))
    base = TOP + 16 + COL_H  # room above the tallest bar for its value
    for col, i in enumerate(order):
        left = AXIS_W + col * step + step * 0.15
        y = float(base)
        for value, shade, title in _stack(chart, i):
            h = float(COL_H * value / top)
            y -= h
            rects.append(Rect(left, y, step * 0.7, h, shade, title))
        total = sum((v for v, _, _ in _stack(chart, i)), Decimal(0))
        labels.append(Label(left + step * 0.35, y - 4, _money(total), "middle"))
        labels.append(Label(left + step * 0.35, base + 14, _short(chart.categories[i], 22), "middle"))
    width = int(AXIS_W + step * len(order) + 20)
    return Plot(max(width, 420), base + 22, tuple(rects), tuple(labels), _legend(chart, 160.0))


def png_of(chart: Chart, width_in: float = 6.5) -> bytes:
    """The chart as a PNG (matplotlib Agg, fixed metadata), for DOCX."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    order, _ = _top(chart)
    cats = [chart.categories[i][:40] for i in order]
    height = max(2.2, 0.2 * len(cats) + 0.9) if chart.horizontal else 2.3
    fig = Figure(figsize=(width_in, height), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    base = [0.0] * len(cats)
    for k, s in enumerate(chart.series):
        vals = [float(s.values[i]) for i in order]
        shade = SHADES[k % len(SHADES)]
        if chart.horizontal:
            ax.barh(range(len(cats)), vals, left=base, color=shade, label=s.name)
        else:
            ax.bar(range(len(cats)), vals, bottom=base, color=shade, label=s.name)
        base = [b + v for b, v in zip(base, vals, strict=True)]
    if chart.horizontal:
        ax.set_yticks(range(len(cats)), cats, fontsize=7)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    else:
        ax.set_xticks(range(len(cats)), cats, fontsize=8)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_title(chart.title, fontsize=10)
    if len(chart.series) > 1:
        ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
