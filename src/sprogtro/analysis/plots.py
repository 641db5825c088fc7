"""Inline SVG charts for the report: no JavaScript, no external files, readable in print and e-mail.

Each function returns :class:`markupsafe.Markup` (already escaped), to drop into the Jinja2 template.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ("#1b6ca8", "#d1495b", "#edae49", "#66a182", "#8d6a9f", "#00798c", "#6c757d")


@dataclass(frozen=True)
class Point:
    """One estimate with its interval; ``series`` picks the colour, ``note`` goes into the tooltip."""

    row: str
    value: float
    low: float = math.nan
    high: float = math.nan
    series: str = ""
    note: str = ""


def interval_chart(points: list[Point], *, xmin: float = 0.0, xmax: float = 1.0, percent: bool = True,
                   ticks: int = 5, title: str = "", width: int = 680) -> Markup:
    """Dot-and-whisker chart: one line per row (group), one dot per series, 95% interval as a whisker."""
    rows = list(dict.fromkeys(p.row for p in points))
    series = list(dict.fromkeys(p.series for p in points))
    colour = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(series)}
    left, right, top, row_h = 170, 20, 34 if title else 12, 26
    band = row_h * max(1, len(series)) * 0.8 if len(series) > 1 else row_h
    height = int(top + band * len(rows) + 46 + (18 if len(series) > 1 else 0))
    plot_w = width - left - right

    def x(v: float) -> float:
        v = min(max(v, xmin), xmax)
        return left + (v - xmin) / (xmax - xmin) * plot_w

    def fmt(v: float) -> str:
        if v != v:
            return "–"
        return f"{100 * v:.0f}%" if percent else f"{v:.3g}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" class="chart" font-family="system-ui, sans-serif" font-size="12">']
    if title:
        out.append(f'<text x="{left}" y="18" font-weight="600">{escape(title)}</text>')
    bottom = top + band * len(rows)
    for i in range(ticks + 1):
        v = xmin + (xmax - xmin) * i / ticks
        out.append(f'<line x1="{x(v):.1f}" y1="{top}" x2="{x(v):.1f}" y2="{bottom:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{x(v):.1f}" y="{bottom + 14:.1f}" text-anchor="middle" fill="#555">{fmt(v)}</text>')
    for r, row in enumerate(rows):
        y0 = top + band * r
        shown = row if len(row) <= 26 else row[:25] + "…"
        out.append(f'<text x="{left - 8}" y="{y0 + band / 2 + 4:.1f}" text-anchor="end"><title>{escape(row)}</title>'
                   f'{escape(shown)}</text>')
        mine = [p for p in points if p.row == row]
        for p in mine:
            s = series.index(p.series)
            y = y0 + band * (s + 1) / (len(series) + 1) if len(series) > 1 else y0 + band / 2
            c = colour[p.series]
            tip = f"{row} {p.series}: {fmt(p.value)} (95% {fmt(p.low)}–{fmt(p.high)}) {p.note}".strip()
            out.append(f'<g><title>{escape(tip)}</title>')
            if p.low == p.low and p.high == p.high:
                out.append(f'<line x1="{x(p.low):.1f}" y1="{y:.1f}" x2="{x(p.high):.1f}" y2="{y:.1f}" '
                           f'stroke="{c}" stroke-width="2"/>')
            if p.value == p.value:
                out.append(f'<circle cx="{x(p.value):.1f}" cy="{y:.1f}" r="4.5" fill="{c}"/>')
            out.append("</g>")
    if len(series) > 1:
        lx = left
        ly = bottom + 34
        for s in series:
            out.append(f'<circle cx="{lx + 5}" cy="{ly - 4}" r="4.5" fill="{colour[s]}"/>'
                       f'<text x="{lx + 14}" y="{ly}">{escape(s)}</text>')
            lx += 24 + 7 * len(s)
    out.append("</svg>")
    return Markup("".join(out))
