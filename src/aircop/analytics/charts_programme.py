"""Charts of the programme dashboard that charts.py does not have (docs/analytics.md,
"The programme dashboard"), drawn the same way: ``matplotlib.figure.Figure`` only, text
kept as text, no pyplot.

``inline`` places a chart inside a page served under the strict content security policy
(``style-src 'self'``, no ``unsafe-inline``): reports.inline_svg turns matplotlib's style
attributes into SVG presentation attributes, and the one ``<style>`` element matplotlib
writes is replaced by the same two properties as attributes of the root element (they are
inherited), so the browser has no inline style to refuse."""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure

from aircop.analytics.charts import ACCENT, _empty, to_svg
from aircop.analytics.dashboard import Table
from aircop.analytics.reports import inline_svg

EARLIER = "#b9cde3"
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)


def growth_columns(
    table: Table,
    *,
    new_label: str,
    before_label: str,
    axis_label: str,
    empty: str,
    x: str = "year",
    new: str = "new",
    total: str = "total",
) -> bytes:
    """One column per row (a year): the running ``total``, its top part the ``new`` ones of
    that row, the total written above the column."""
    rows = table.dicts()
    fig = Figure(figsize=(7, 3.2), layout="constrained")
    ax = fig.add_subplot()
    if not any(r[total] for r in rows):
        _empty(fig, ax, empty)
        return to_svg(fig)
    xs = list(range(len(rows)))
    before = [r[total] - r[new] for r in rows]
    ax.bar(xs, before, color=EARLIER, label=before_label)
    ax.bar(xs, [r[new] for r in rows], bottom=before, color=ACCENT, label=new_label)
    top = max(r[total] for r in rows)
    for i, r in enumerate(rows):
        ax.text(i, r[total] + top * 0.015, str(r[total]), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(xs, [str(r[x]) for r in rows], rotation=45 if len(rows) > 8 else 0)
    ax.set_ylabel(axis_label)
    ax.set_ylim(0, top * 1.12)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return to_svg(fig)


def inline(svg: bytes, prefix: str) -> SafeString:
    """The chart as an ``<svg>`` element of an HTML page, with no inline style at all."""
    text = _STYLE_ELEMENT.sub("", str(inline_svg(svg, prefix)))
    text = text.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    # Our own chart: matplotlib escaped every text it wrote.
    return mark_safe(text)
