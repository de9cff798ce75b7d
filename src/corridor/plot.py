"""Static maps of networks and routes (matplotlib + geopandas), with a shipped basemap.

Every function draws into ``ax=`` when given and returns ``(fig, ax)``. Maps use an Albers
equal-area projection centred on what is drawn, so a map from Singapore to Duisburg is not
stretched at Moscow's latitude as plate carrée would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
from pyproj import CRS
from shapely.geometry import box

from corridor.io import bundled_data_path
from corridor.network import Network

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from corridor.routing import Route

__all__ = ["MODE_COLORS", "plot_network", "plot_route", "plot_routes"]

#: one colour per mode, used by every map
MODE_COLORS = {
    "rail": "#c0392b",
    "road": "#7d6608",
    "sea": "#1f618d",
    "inland_waterway": "#117a65",
    "air": "#7d3c98",
}
#: colours for routes drawn side by side
ROUTE_COLORS = [
    "#c0392b",
    "#1f618d",
    "#117a65",
    "#d68910",
    "#7d3c98",
    "#2e4053",
    "#a04000",
    "#1abc9c",
]


@cache
def basemap() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m countries (public domain), shipped with the package."""
    return gpd.read_file(bundled_data_path("naturalearth_countries_110m.geojson"))


def projection(bounds: Sequence[float]) -> CRS:
    """An Albers equal-area CRS fitted to ``(minx, miny, maxx, maxy)`` in degrees.

    Examples
    --------
    >>> projection((100, 0, 120, 30)).coordinate_operation.method_name
    'Albers Equal Area'
    """
    minx, miny, maxx, maxy = bounds
    lat0 = (miny + maxy) / 2
    span = max(maxy - miny, 2.0)
    lat1, lat2 = lat0 - span / 3, lat0 + span / 3
    return CRS.from_proj4(
        f"+proj=aea +lat_1={lat1:.3f} +lat_2={lat2:.3f} +lat_0={lat0:.3f} "
        f"+lon_0={(minx + maxx) / 2:.3f} +datum=WGS84 +units=m +no_defs"
    )


def _axes(ax: Axes | None, figsize: tuple[float, float] = (10, 8)) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        return fig, ax
    return ax.figure, ax  # type: ignore[return-value]


def _backdrop(ax: Axes, crs: CRS, bounds: Sequence[float]) -> None:
    minx, miny, maxx, maxy = bounds
    pad_x, pad_y = max(8.0, (maxx - minx) * 0.3), max(6.0, (maxy - miny) * 0.3)
    clip = box(
        max(minx - pad_x, -180),
        max(miny - pad_y, -85),
        min(maxx + pad_x, 180),
        min(maxy + pad_y, 85),
    )
    world = basemap().clip(clip).to_crs(crs)
    world.plot(ax=ax, color="#f2f0eb", edgecolor="#b9b4a8", linewidth=0.5, zorder=0)
    ax.set_facecolor("#dfeaf2")


def _frame(ax: Axes, crs: CRS, bounds: Sequence[float], pad: float = 0.08) -> None:
    minx, miny, maxx, maxy = bounds
    pts = gpd.GeoSeries.from_xy(
        np.linspace(minx, maxx, 20).repeat(2), np.tile([miny, maxy], 20), crs=4326
    ).to_crs(crs)
    x0, y0, x1, y1 = pts.total_bounds
    dx, dy = (x1 - x0) * pad + 1e5, (y1 - y0) * pad + 1e5
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect("equal")


def _mode_legend(ax: Axes, modes: Sequence[str], **kw: Any) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], color=MODE_COLORS[m], lw=2.5, label=m.replace("_", " ")) for m in modes
    ]
    ax.add_artist(
        ax.legend(
            handles=handles, title="mode", loc="lower left", fontsize=8, title_fontsize=8, **kw
        )
    )


def plot_network(net: Network, *, by: str = "mode", ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Every link of the network, coloured by mode (``by="mode"``) or status (``"status"``)."""
    if by not in ("mode", "status"):
        from corridor._errors import DataError

        raise DataError(f"by={by!r}: plot_network colours by 'mode' or 'status'")
    fig, ax = _axes(ax)
    edges, nodes = net.edges, net.nodes
    bounds = [float(x) for x in edges.total_bounds]
    crs = projection(bounds)
    _backdrop(ax, crs, bounds)
    e = edges.to_crs(crs)
    if by == "mode":
        for mode, part in e.groupby("mode"):
            part.plot(ax=ax, color=MODE_COLORS[str(mode)], linewidth=1.0, zorder=2)
        _mode_legend(ax, sorted(e["mode"].unique()))
    else:
        colors = {"operational": "#2e4053", "under_construction": "#d68910", "planned": "#a04000"}
        for status, part in e.groupby("status"):
            part.plot(ax=ax, color=colors[str(status)], linewidth=1.2, zorder=2, label=str(status))
        ax.legend(loc="lower left", fontsize=8)
    nodes.to_crs(crs).plot(ax=ax, color="#1b2631", markersize=4, zorder=3)
    _frame(ax, crs, bounds)
    return fig, ax


def _route_bounds(routes: Sequence[Route]) -> list[float]:
    b = np.array([r.to_geodataframe().total_bounds for r in routes if r.hubs])
    return [float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())]


def _draw_route(
    ax: Axes, route: Route, crs: CRS, *, color: str | None, lw: float, label: str | None
) -> None:
    gdf = route.to_geodataframe().to_crs(crs)
    links = gdf[gdf["kind"] == "link"]
    for i, (_, leg) in enumerate(links.iterrows()):
        c = color or MODE_COLORS[leg["mode"]]
        ax.plot(
            *leg.geometry.xy,
            color=c,
            lw=lw,
            solid_capstyle="round",
            zorder=4,
            label=label if i == 0 else None,
        )
    events = gdf[gdf["kind"] != "link"]
    marks = {
        "transfer": ("o", "#ffffff"),
        "gauge_change": ("s", "#f4d03f"),
        "crossing": ("D", "#ffffff"),
    }
    for kind, (marker, face) in marks.items():
        pts = events[events["kind"] == kind]
        if len(pts):
            ax.scatter(
                pts.geometry.x,
                pts.geometry.y,
                marker=marker,
                s=28,
                facecolor=face,
                edgecolor="#1b2631",
                linewidth=0.8,
                zorder=6,
            )


def _label_hubs(ax: Axes, net: Network, hubs: Sequence[str], crs: CRS, min_gap: float) -> None:
    """Name the hubs, skipping any that would sit on a label already placed."""
    pts = net._nodes.loc[list(dict.fromkeys(hubs))].to_crs(crs)
    placed: list[tuple[float, float]] = []
    for _, row in pts.iterrows():
        x, y = row.geometry.x, row.geometry.y
        if any(abs(x - px) < min_gap * 3 and abs(y - py) < min_gap for px, py in placed):
            continue
        placed.append((x, y))
        ax.annotate(
            row["name"],
            (row.geometry.x, row.geometry.y),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=7.5,
            color="#1b2631",
            zorder=7,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )


def plot_route(
    route: Route, *, ax: Axes | None = None, label_hubs: bool = True
) -> tuple[Figure, Axes]:
    """One route, legs coloured by mode; transfers, gauge changes and borders marked."""
    return plot_routes([route], ax=ax, by_mode=True, label_hubs=label_hubs)


def plot_routes(
    routes: Sequence[Route],
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    by_mode: bool = False,
    label_hubs: bool = True,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Several routes on one map, each in its own colour (or coloured by mode)."""
    routes = [r for r in routes if r.hubs]
    if not routes:
        from corridor._errors import DataError

        raise DataError("plot_routes needs at least one non-empty route")
    if labels is not None and len(labels) != len(routes):
        from corridor._errors import DataError

        raise DataError(f"labels: {len(labels)} given for {len(routes)} routes")
    fig, ax = _axes(ax)
    bounds = _route_bounds(routes)
    crs = projection(bounds)
    _backdrop(ax, crs, bounds)
    net = routes[0]._graph.net
    for i, r in enumerate(routes):
        color = None if by_mode else ROUTE_COLORS[i % len(ROUTE_COLORS)]
        label = labels[i] if labels is not None else None
        _draw_route(ax, r, crs, color=color, lw=2.4, label=label)
    if label_hubs:
        ends = [h for r in routes for h in (r.origin, r.destination)]
        events = [h for r in routes for h in r.to_geodataframe().query("kind != 'link'")["from"]]
        corners = gpd.GeoSeries.from_xy([bounds[0], bounds[2]], [bounds[1], bounds[3]], crs=4326)
        x0, y0, x1, y1 = corners.to_crs(crs).total_bounds
        _label_hubs(ax, net, [*ends, *events], crs, min_gap=0.025 * max(x1 - x0, y1 - y0))
    if by_mode:
        used = sorted({m for r in routes for m in r.modes})
        _mode_legend(ax, used)
    if labels is not None:
        ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title, fontsize=11)
    _frame(ax, crs, bounds)
    return fig, ax
