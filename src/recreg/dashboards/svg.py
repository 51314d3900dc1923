"""A small SVG chart builder: stacked columns (over time) and stacked bars (by category),
drawn on the server with no script and no chart library.

Each chart is an image to assistive technology (role="img" with a <title> and a <desc> that
sums it up); the page puts the full data table beside it. Colour is never the only signal:
every series has its own fill pattern as well as its colour, the legend names each, and every
segment carries its numbers in a tooltip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#0b0c0c"
GRID = "#b1b4b6"
FONT = 'font-family="GDS Transport, arial, sans-serif"'

# Pattern marks drawn over a series' colour, in the order series use them.
PATTERNS = (
    "",  # solid
    '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2" stroke="#fff" stroke-width="1.6"/>',
    '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
    '<path d="M0,4 h8" stroke="#fff" stroke-width="1.6"/>',
    '<path d="M-1,1 l2,-2 M0,8 l8,-8 M7,9 l2,-2 M-1,7 l2,2 M0,0 l8,8 M7,-1 l2,2" '
    'stroke="#fff" stroke-width="1.2"/>',
    '<path d="M4,0 v8" stroke="#fff" stroke-width="1.6"/>',
)


@dataclass
class Series:
    """One series: its name, its colour and a value per category."""

    label: str
    colour: str
    values: list[int | float]


def _fmt(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def nice_max(value: float) -> tuple[float, float]:
    """An axis maximum at or above the value, and its step, in round numbers (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 4, 1
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if step >= raw:
            break
    if step < 1:
        step = 1
    return step * math.ceil(value / step), step


def _defs(chart_id: str, series: list[Series]) -> list[str]:
    out = ["<defs>"]
    for index, s in enumerate(series):
        mark = PATTERNS[index % len(PATTERNS)]
        out.append(
            f'<pattern id="{chart_id}-s{index}" patternUnits="userSpaceOnUse" width="8" '
            f'height="8"><rect width="8" height="8" fill="{escape(s.colour)}"/>{mark}</pattern>'
        )
    out.append("</defs>")
    return out


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="recreg-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _legend(chart_id: str, series: list[Series], y: int, width: int) -> tuple[list[str], int]:
    """The legend in rows that fit the width; returns the markup and the height used."""
    out = []
    x, row = 0, 0
    for index, s in enumerate(series):
        item = 26 + 7 * len(s.label) + 18
        if x and x + item > width:
            x, row = 0, row + 1
        top = y + row * 22
        out.append(
            f'<rect x="{x}" y="{top}" width="18" height="14" fill="url(#{chart_id}-s{index})" '
            f'stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="{x + 24}" y="{top + 12}" font-size="13" fill="{INK}" {FONT}>'
            f"{escape(s.label)}</text>"
        )
        x += item
    return out, (row + 1) * 22


def columns(
    chart_id: str,
    *,
    title: str,
    desc: str,
    categories: list[str],
    series: list[Series],
    unit: str = "responses",
) -> SafeString:
    """Stacked columns, one per category (e.g. a month), left to right."""
    width, left, right, top, plot_h = 640, 52, 8, 12, 220
    n = max(len(categories), 1)
    slot = (width - left - right) / n
    bar_w = min(slot * 0.7, 48)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top_value, step = nice_max(max(totals, default=0))
    scale = plot_h / top_value
    legend, legend_h = _legend(chart_id, series, top + plot_h + 44, width)
    height = top + plot_h + 44 + legend_h
    out = _open(chart_id, width, height, title, desc) + _defs(chart_id, series)
    tick = 0.0
    while tick <= top_value + 1e-9:
        y = top + plot_h - tick * scale
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="{1 if tick else 1.5}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}" {FONT}>{_fmt(tick)}</text>'
        )
        tick += step
    for i, category in enumerate(categories):
        x = left + slot * i + (slot - bar_w) / 2
        base = top + plot_h
        for index, s in enumerate(series):
            value = s.values[i]
            if not value:
                continue
            h = value * scale
            base -= h
            out.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="url(#{chart_id}-s{index})" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(category)}, {escape(s.label)}: {_fmt(value)} {unit}</title>"
                "</rect>"
            )
        out.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 18}" font-size="12" '
            f'text-anchor="middle" fill="{INK}" {FONT}>{escape(category)}</text>'
        )
        if len(categories) <= 16:
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{base - 4:.1f}" font-size="11" '
                f'text-anchor="middle" fill="{INK}" {FONT}>{_fmt(totals[i])}</text>'
            )
    out += legend
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def bars(
    chart_id: str,
    *,
    title: str,
    desc: str,
    categories: list[str],
    series: list[Series],
    unit: str = "responses",
) -> SafeString:
    """Stacked horizontal bars, one per category (e.g. a question area), top to bottom."""
    width, label_w, right, top, row_h, gap = 640, 230, 48, 24, 22, 8
    plot_w = width - label_w - right
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top_value, step = nice_max(max(totals, default=0))
    scale = plot_w / top_value
    plot_h = max(len(categories), 1) * (row_h + gap)
    legend, legend_h = _legend(chart_id, series, top + plot_h + 12, width)
    height = top + plot_h + 12 + legend_h
    out = _open(chart_id, width, height, title, desc) + _defs(chart_id, series)
    tick = 0.0
    while tick <= top_value + 1e-9:
        x = label_w + tick * scale
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="{GRID}" '
            f'stroke-width="{1 if tick else 1.5}"/>'
            f'<text x="{x:.1f}" y="{top - 8}" font-size="12" text-anchor="middle" '
            f'fill="{INK}" {FONT}>{_fmt(tick)}</text>'
        )
        tick += step
    for i, category in enumerate(categories):
        y = top + i * (row_h + gap) + gap / 2
        short = category if len(category) <= 32 else category[:31] + "…"
        out.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end" fill="{INK}" {FONT}>{escape(short)}'
            f"<title>{escape(category)}</title></text>"
        )
        x = float(label_w)
        for index, s in enumerate(series):
            value = s.values[i]
            if not value:
                continue
            w = value * scale
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{row_h}" '
                f'fill="url(#{chart_id}-s{index})" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(category)}, {escape(s.label)}: {_fmt(value)} {unit}</title>"
                "</rect>"
            )
            x += w
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="11" fill="{INK}" '
            f"{FONT}>{_fmt(totals[i])}</text>"
        )
    out += legend
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
