"""Static maps of networks and routes (matplotlib + geopandas), with a shipped basemap.

Every function draws into ``ax=`` when given and returns ``(fig, ax)``. Maps use an Albers
equal-area projection centred on what is drawn, so a map from Singapore to Duisburg is not
stretched at Moscow's latitude as plate carrée would be.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS
from shapely.geometry import box

from corridor._checks import check_bool, check_names, check_network, shown
from corridor.io import bundled_data_path
from corridor.network import Network

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from numpy.typing import ArrayLike, NDArray

    from corridor.flows import Assignment
    from corridor.reliability import TransitTime
    from corridor.routing import Route
    from corridor.sensitivity import SensitivityResult

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "MODE_COLORS",
    "plot_comparison",
    "plot_network",
    "plot_route",
    "plot_routes",
    "plot_sensitivity",
    "plot_tcd",
    "plot_tradeoff",
]

#: one colour per mode, used by every map
MODE_COLORS = {
    "rail": "#c0392b",
    "road": "#7d6608",
    "sea": "#1f618d",
    "inland_waterway": "#117a65",
    "air": "#7d3c98",
}
#: colours for routes drawn side by side
#: colours of the services a route rides, in order (Okabe–Ito, colour-blind safe)
SERVICE_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]
#: colours of the corridors stacked in a market-share chart
SHARE_COLORS = [*SERVICE_COLORS[:6], "#7d6608", "#aab7b8", "#7d3c98", "#a04000", "#2e4053"]

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


def _plain_text(fn: Callable[P, R]) -> Callable[P, R]:
    """Draw every text of the figure as given: a ``$`` in a hub or line name is a dollar
    sign, not the start of a formula (matplotlib's mathtext would fail on it). Texts are
    parsed when drawn, so switching the parsing off once the figure is built is enough (an
    ``rc_context`` would not do: leaving it can reset the backend and close the figures)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from matplotlib.figure import Figure
        from matplotlib.text import Text

        out = fn(*args, **kwargs)
        fig = out[0] if isinstance(out, tuple) and out and isinstance(out[0], Figure) else None
        if fig is not None:
            for text in fig.findobj(Text):
                text.set_parse_math(False)
        return out

    return wrapper


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


def _axes(
    ax: Axes | None, crs: CRS | None = None, bounds: Sequence[float] | None = None
) -> tuple[Figure, Axes]:
    """The axes to draw on: the caller's, or a new figure shaped like the map."""
    import matplotlib.pyplot as plt

    if ax is not None:
        return _figure(ax), ax
    width, height = 11.0, 8.0
    if crs is not None and bounds is not None:
        x0, y0, x1, y1 = _projected(crs, bounds)
        height = float(np.clip(width * (y1 - y0) / max(x1 - x0, 1.0), 4.5, 12.0)) + 0.6
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def _figure(ax: Axes) -> Figure:
    """The top-level figure an axes belongs to."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    return fig


def _projected(crs: CRS, bounds: Sequence[float]) -> tuple[float, float, float, float]:
    """Projected extent of a lon/lat box (edges sampled, so curved edges count)."""
    minx, miny, maxx, maxy = bounds
    xs = np.concatenate(
        [
            np.linspace(minx, maxx, 25),
            np.linspace(minx, maxx, 25),
            np.full(25, minx),
            np.full(25, maxx),
        ]
    )
    ys = np.concatenate(
        [
            np.full(25, miny),
            np.full(25, maxy),
            np.linspace(miny, maxy, 25),
            np.linspace(miny, maxy, 25),
        ]
    )
    x0, y0, x1, y1 = gpd.GeoSeries.from_xy(xs, ys, crs=4326).to_crs(crs).total_bounds
    return float(x0), float(y0), float(x1), float(y1)


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


def _frame(ax: Axes, crs: CRS, bounds: Sequence[float], pad: float = 0.06) -> None:
    x0, y0, x1, y1 = _projected(crs, bounds)
    dx, dy = (x1 - x0) * pad + 1e5, (y1 - y0) * pad + 1e5
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect("equal")
    ax.annotate(
        "Basemap: Natural Earth (public domain) · Albers equal-area",
        (1.0, -0.004),
        xycoords="axes fraction",
        ha="right",
        va="top",
        fontsize=6.5,
        color="#7b7d7d",
    )


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


def _event_legend(ax: Axes, routes: Sequence[Route], *, upper: bool) -> None:
    from matplotlib.lines import Line2D

    kinds = {k for r in routes for k in r.legs["kind"]}
    marks = [
        ("wait", "P", "#f5b041", "wait for a departure"),
        ("transfer", "o", "#ffffff", "change of mode"),
        ("gauge_change", "s", "#f4d03f", "gauge change"),
        ("crossing", "D", "#ffffff", "border / passage"),
    ]
    handles = [
        Line2D([], [], ls="", marker=mk, markerfacecolor=fc, markeredgecolor="#1b2631", label=lab)
        for kind, mk, fc, lab in marks
        if kind in kinds
    ]
    if handles:
        ax.add_artist(
            ax.legend(handles=handles, loc="upper left" if upper else "lower left", fontsize=7.5)
        )


@_plain_text
def plot_network(net: Network, *, by: str = "mode", ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Every link of the network, coloured by mode (``by="mode"``) or status (``"status"``)."""
    check_network(net)
    if not isinstance(by, str) or by not in ("mode", "status"):
        from corridor._errors import DataError

        raise DataError(f"by={shown(by)}: plot_network colours by 'mode' or 'status'")
    edges, nodes = net.edges, net.nodes
    bounds = [float(x) for x in edges.total_bounds]
    crs = projection(bounds)
    fig, ax = _axes(ax, crs, bounds)
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
    """Lon/lat box around the routes, widened so the map is not a sliver (aspect >= 3:4)."""
    b = np.array([r.to_geodataframe().total_bounds for r in routes if r.hubs])
    minx, miny, maxx, maxy = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    lat_scale = max(np.cos(np.radians(cy)), 0.2)
    w, h = max(maxx - minx, 3.0) * lat_scale, max(maxy - miny, 3.0)
    w, h = max(w, 0.75 * h), max(h, 0.5 * w)
    half_x, half_y = w / lat_scale / 2, h / 2
    return [
        float(cx - half_x),
        float(max(cy - half_y, -80)),
        float(cx + half_x),
        float(min(cy + half_y, 80)),
    ]


def _draw_route(
    ax: Axes,
    route: Route,
    crs: CRS,
    *,
    color: str | None,
    lw: float,
    label: str | None,
    z: int = 4,
    by_service: bool = False,
) -> None:
    gdf = route.to_geodataframe().to_crs(crs)
    links = gdf[gdf["kind"] == "link"]
    services = list(route.services)
    for i, (_, leg) in enumerate(links.iterrows()):
        c = color or MODE_COLORS[leg["mode"]]
        style = "-"
        if by_service:
            if leg["service"]:
                c = SERVICE_COLORS[services.index(leg["service"]) % len(SERVICE_COLORS)]
            elif leg["mode"] != "road":
                style = "--"  # run outside any listed timetable
        ax.plot(
            *leg.geometry.xy,
            color=c,
            lw=lw,
            ls=style,
            solid_capstyle="round",
            zorder=z,
            label=label if i == 0 else None,
        )
    events = gdf[gdf["kind"] != "link"]
    marks = {
        "wait": ("P", "#f5b041"),
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
                zorder=20,
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


@_plain_text
def plot_route(
    route: Route, *, ax: Axes | None = None, label_hubs: bool = True, by: str = "service"
) -> tuple[Figure, Axes]:
    """One route; waits, transfers, gauge changes and borders marked.

    ``by="service"`` (the default) colours each leg by the service it rides, named in the
    legend with its departures a week; road legs keep the road colour, and rail, sea or
    river legs no listed service runs are dashed. ``by="mode"`` colours legs by mode.
    """
    from corridor._errors import DataError
    from corridor.routing import Route

    if not isinstance(route, Route):
        raise DataError(f"route must be a corridor.Route, got {type(route).__name__}")
    if not isinstance(by, str) or by not in ("service", "mode"):
        raise DataError(f"by={shown(by)}: plot_route colours legs by 'service' or 'mode'")
    label_hubs = check_bool("label_hubs", label_hubs)
    return plot_routes(
        [route], ax=ax, by_mode=by == "mode", by_service=by == "service", label_hubs=label_hubs
    )


def _service_legend(ax: Axes, route: Route) -> None:
    from matplotlib.lines import Line2D

    services = route._graph.net._services
    per_week = dict(zip(services.index, services["departures_per_week"].tolist(), strict=True))
    handles = [
        Line2D(
            [], [], color=SERVICE_COLORS[i % len(SERVICE_COLORS)], lw=2.5,
            label=f"{_short(str(services.at[s, 'name']), 48)} "
            f"({per_week[s]:g}/week)".replace("\n", " "),
        )
        for i, s in enumerate(route.services)
    ]  # fmt: skip
    legs = route.legs
    if ((legs["kind"] == "link") & (legs["service"] == "") & (legs["mode"] != "road")).any():
        handles.append(Line2D([], [], color="#566573", lw=2, ls="--", label="no listed service"))
    used = sorted(set(legs.loc[(legs["kind"] == "link") & (legs["service"] == ""), "mode"]))
    if "road" in used:
        handles.append(Line2D([], [], color=MODE_COLORS["road"], lw=2.5, label="road"))
    if handles:
        ax.add_artist(
            ax.legend(handles=handles, title="service", loc="lower left", fontsize=7,
                      title_fontsize=8, framealpha=0.9)
        )  # fmt: skip


def _routes_and_labels(
    routes: Route | Sequence[Route], labels: Sequence[str] | None
) -> tuple[list[Route], list[str] | None]:
    """The ``routes`` argument of a plot as a list (one Route, or a list of them), and
    ``labels``, one per route, checked."""
    from corridor._errors import DataError
    from corridor.routing import Route

    given: object = routes
    if isinstance(given, Route):
        out = [given]
    elif isinstance(given, str | bytes) or not isinstance(given, Sequence):
        raise DataError(f"routes must be a list of corridor.Route, got {shown(given)}")
    else:
        out = list(given)
    for i, r in enumerate(out):
        if not isinstance(r, Route):
            raise DataError(f"routes[{i}] must be a corridor.Route, got {type(r).__name__}")
    if labels is None:
        return out, None
    names = list(check_names("labels", labels))
    if len(names) != len(out):
        raise DataError(f"labels: {len(names)} given for {len(out)} routes")
    return out, names


@_plain_text
def plot_routes(
    routes: Sequence[Route],
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
    by_mode: bool = False,
    by_service: bool = False,
    label_hubs: bool = True,
    title: str | None = None,
) -> tuple[Figure, Axes]:
    """Several routes on one map, each in its own colour (or coloured by mode, or by
    service for a single route)."""
    from corridor._errors import DataError

    routes, labels = _routes_and_labels(routes, labels)
    if title is not None and not isinstance(title, str):
        raise DataError(f"title must be text, got {shown(title)}")
    by_mode, by_service = check_bool("by_mode", by_mode), check_bool("by_service", by_service)
    label_hubs = check_bool("label_hubs", label_hubs)
    routes = [r for r in routes if r.hubs]
    if not routes:
        from corridor._errors import DataError

        raise DataError("plot_routes needs at least one non-empty route")
    if labels is not None and len(labels) != len(routes):
        from corridor._errors import DataError

        raise DataError(f"labels: {len(labels)} given for {len(routes)} routes")
    bounds = _route_bounds(routes)
    crs = projection(bounds)
    fig, ax = _axes(ax, crs, bounds)
    _backdrop(ax, crs, bounds)
    net = routes[0]._graph.net
    n = len(routes)
    for i, r in enumerate(routes):
        color = None if by_mode or by_service else ROUTE_COLORS[i % len(ROUTE_COLORS)]
        label = labels[i] if labels is not None else None
        # earlier routes wider and underneath, so shared stretches show every colour
        _draw_route(
            ax, r, crs, color=color, lw=2.4 + 2.2 * (n - 1 - i), label=label, z=4 + i,
            by_service=by_service,
        )  # fmt: skip
    if label_hubs:
        ends = [h for r in routes for h in (r.origin, r.destination)]
        events = [h for r in routes for h in r.to_geodataframe().query("kind != 'link'")["from"]]
        corners = gpd.GeoSeries.from_xy([bounds[0], bounds[2]], [bounds[1], bounds[3]], crs=4326)
        x0, y0, x1, y1 = corners.to_crs(crs).total_bounds
        _label_hubs(ax, net, [*ends, *events], crs, min_gap=0.025 * max(x1 - x0, y1 - y0))
    if by_mode:
        used = sorted({m for r in routes for m in r.modes})
        _mode_legend(ax, used)
    if by_service:
        _service_legend(ax, routes[0])
    _event_legend(ax, routes, upper=labels is None)
    if labels is not None:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    if title:
        ax.set_title(title, fontsize=11)
    _frame(ax, crs, bounds)
    return fig, ax


# ---------------------------------------------------------------- charts


def _served(df: pd.DataFrame, include_best: bool = False) -> pd.DataFrame:
    from corridor._errors import DataError

    if not isinstance(df, pd.DataFrame):
        raise DataError(
            f"expected the DataFrame of corridor.compare(), got {type(df).__name__} {shown(df)}"
        )
    if "scenario" in df.columns and "origin" in df.columns:
        raise DataError(
            "expected the DataFrame of corridor.compare() (one row per corridor), got the "
            "frame of corridor.sweep() (one row per scenario and pair): chart one pair with "
            "corridor.compare(net, origin, destination)"
        )
    missing = [c for c in ("name", "status", "usd", "days", "co2_kg") if c not in df.columns]
    if missing:
        raise DataError(
            "expected the DataFrame of corridor.compare() (one row per corridor); this one "
            f"lacks column(s) {', '.join(missing)}"
        )
    ok = df[df["status"] == "ok"]
    if not include_best:
        ok = ok[ok.index != "best"]
    if ok.empty:
        from corridor._errors import DataError

        raise DataError("the comparison has no corridor with a route to chart")
    return ok


def _short(name: str, width: int = 30) -> str:
    """A label wrapped onto at most two lines."""
    import textwrap

    lines = textwrap.wrap(name, width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


@_plain_text
def plot_comparison(
    df: pd.DataFrame, *, axes: Sequence[Axes] | None = None
) -> tuple[Figure, Sequence[Axes]]:
    """Corridors side by side: USD, days and t CO2 per TEU, from a compare() table."""
    import matplotlib.pyplot as plt

    ok = _served(df).iloc[::-1]
    if axes is None:
        fig, axs = plt.subplots(
            1, 3, figsize=(13, 0.45 * len(ok) + 1.6), sharey=True, layout="constrained"
        )
        axes = list(axs)
    fig = _figure(axes[0])
    labels = [_short(str(n)) for n in ok["name"]]
    y = np.arange(len(ok))
    for ax, col, title, scale, color in zip(
        axes,
        ("usd", "days", "co2_kg"),
        ("USD per TEU", "days", "t CO2 per TEU"),
        (1.0, 1.0, 1e-3),
        ("#1f618d", "#c0392b", "#117a65"),
        strict=True,
    ):
        vals = ok[col].to_numpy(dtype=float) * scale
        ax.barh(y, vals, color=color, alpha=0.85)
        for yi, v in zip(y, vals, strict=True):
            ax.annotate(
                f"{v:,.1f}" if v < 100 else f"{v:,.0f}",
                (v, yi),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
            )
        ax.set_title(title, fontsize=10)
        ax.set_yticks(y, labels, fontsize=8)
        ax.margins(x=0.18)
        ax.grid(axis="x", alpha=0.3)
    return fig, axes


@_plain_text
def plot_tradeoff(df: pd.DataFrame, *, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Time against cost for each corridor; the ones no other beats on both are ringed.

    Parameters
    ----------
    df : pandas.DataFrame
        The table of :func:`corridor.compare` (one row per corridor, with ``name``,
        ``status``, ``usd``, ``days`` and ``co2_kg``); any other frame (a sweep's, say) is a
        DataError saying so.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if omitted.
    """
    import matplotlib.pyplot as plt

    ok = _served(df)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")
    fig = _figure(ax)
    days, usd, co2 = (ok[c].to_numpy(dtype=float) for c in ("days", "usd", "co2_kg"))
    front = [
        not any(
            (days[j] <= days[i] and usd[j] <= usd[i]) and (days[j] < days[i] or usd[j] < usd[i])
            for j in range(len(ok))
        )
        for i in range(len(ok))
    ]
    sizes = 30 + 170 * co2 / max(co2.max(), 1.0)
    ax.scatter(
        days, usd, s=sizes, c=["#c0392b" if f else "#85929e" for f in front], alpha=0.85, zorder=3
    )
    for x, yv, name in zip(days, usd, ok["name"], strict=True):
        ax.annotate(
            _short(str(name), 30), (x, yv), xytext=(5, 4), textcoords="offset points", fontsize=7.5
        )
    ax.set_xlabel("days door to door")
    ax.set_ylabel("USD per TEU")
    ax.set_title("Time against cost (marker area: CO2; red: not beaten on both)", fontsize=10)
    ax.grid(alpha=0.3)
    return fig, ax


@_plain_text
def plot_sensitivity(
    result: SensitivityResult, *, axes: Sequence[Axes] | None = None
) -> tuple[Figure, Sequence[Axes]]:
    """How often each corridor wins, and the spread (10th-90th percentile) of its cost."""
    import matplotlib.pyplot as plt

    from corridor.sensitivity import SensitivityResult

    given: object = result
    if not isinstance(given, SensitivityResult):
        from corridor._errors import DataError

        raise DataError(
            f"result must be the SensitivityResult of corridor.sensitivity(), got "
            f"{type(given).__name__}"
        )

    summ = result.summary[(result.summary["status"] == "ok") & (result.summary.index != "best")]
    if summ.empty:
        from corridor._errors import DataError

        raise DataError("the sensitivity result has no corridor with a route")
    summ = summ.sort_values("win_share").copy()
    if axes is None:
        fig, axs = plt.subplots(
            1, 2, figsize=(12, 0.45 * len(summ) + 1.8), sharey=True, layout="constrained"
        )
        axes = list(axs)
    fig = _figure(axes[0])
    y = np.arange(len(summ))
    axes[0].barh(y, summ["win_share"] * 100, color="#1f618d")
    axes[0].set_yticks(y, [str(i) for i in summ.index], fontsize=8)
    axes[0].set_xlabel("% of samples in which the corridor is best")
    axes[0].set_xlim(0, 105)
    col = f"{'co2_kg' if result.by == 'co2' else result.by if result.by != 'hours' else 'days'}"
    col = col if f"{col}_p50" in summ else "generalized"
    lo, mid, hi = (summ[f"{col}_{p}"].to_numpy(dtype=float) for p in ("p10", "p50", "p90"))
    axes[1].errorbar(mid, y, xerr=[mid - lo, hi - mid], fmt="o", color="#c0392b", capsize=3)
    axes[1].set_xlabel(f"{col} per TEU: median and 10th-90th percentile")
    for ax in axes:
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"{len(result.samples):,} samples, best by {result.by}", fontsize=10)
    return fig, axes


# ------------------------------------------------- time/cost–distance charts

#: colours of the stops (vertical steps) of a time/cost–distance chart, by category
STOP_COLORS = {
    "border": "#1b2631",
    "passage": "#cc79a7",
    "transfer": "#566573",
    "wait": "#e69f00",
    "other": "#aab7b8",
}
_STOP_NAMES = {
    "border": "border crossing",
    "passage": "canal / strait passage",
    "transfer": "transfer, gauge change, port",
    "wait": "wait for a departure",
    "other": "other stop",
}
#: a stop is named on the chart when it is more than this share of its route's total
TCD_LABEL_SHARE = 0.05
_ROUTE_STYLES = ["-", "--", ":", "-."]


def _stop_text(row: pd.Series, hub_names: pd.Series, y: str) -> str:
    """What a stop of a time/cost–distance chart is, where, and how long or dear."""
    kind, line, hub = str(row["kind"]), str(row["line"]), str(row["from"])
    at = str(hub_names.get(hub, hub))
    if kind == "crossing":
        what = line.replace("border crossing", "border", 1) if row["category"] == "border" else line
    elif kind == "wait":
        what = f"wait for departure at {at}"
    elif kind == "transfer":
        what = f"transfer {row['mode']} at {at}"
    elif kind == "gauge_change":
        what = f"gauge change at {at}"
    elif kind == "port":
        what = line or f"port at {at}"
    else:
        what = f"{kind.replace('_', ' ')} at {at}"
    v = float(row[y])
    if y == "usd":
        return f"{what}: USD {v:,.0f}"
    return f"{what}: {v:,.0f} h" + (f" ({v / 24:.1f} days)" if v >= 48 else "")


class _Spots:
    """Places labels where they hide no line, marker or other label (in axes fractions).

    Text extents are estimated from the font size (no renderer needed): good enough to
    keep short labels off the lines of a chart.
    """

    def __init__(self, ax: Axes, points: list[NDArray[np.float64]]) -> None:
        fig = _figure(ax)
        fig.draw_without_rendering()  # lay the figure out, so extents are final
        extent = ax.get_window_extent()
        self.w_pt, self.h_pt = extent.width * 72 / fig.dpi, extent.height * 72 / fig.dpi
        self.points = np.concatenate(points) if points else np.zeros((0, 2))
        to_axes = ax.transAxes.inverted()
        self.boxes: list[tuple[float, float, float, float]] = []
        for legend in [*ax.artists, ax.get_legend()]:
            if legend is not None:
                (x0, y0), (x1, y1) = to_axes.transform(legend.get_window_extent().get_points())
                self.boxes.append((float(x0), float(y0), float(x1), float(y1)))

    def size(self, text: str, fontsize: float) -> tuple[float, float]:
        lines = text.split("\n")
        w = max(len(s) for s in lines) * fontsize * 0.56 + 6
        h = len(lines) * fontsize * 1.25 + 4
        return w / self.w_pt, h / self.h_pt

    def _hits(self, box: tuple[float, float, float, float]) -> int:
        x0, y0, x1, y1 = box
        p = self.points
        inside = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
        overlaps = sum(1 for a, b, c, d in self.boxes if x0 < c and a < x1 and y0 < d and b < y1)
        out_of_axes = x0 < 0 or y0 < 0 or x1 > 1 or y1 > 1
        return int(inside.sum()) + 100 * overlaps + 1000 * out_of_axes

    def take(
        self, text: str, fontsize: float, candidates: Sequence[tuple[float, float, str, str]]
    ) -> tuple[float, float, str, str]:
        """The first ``(x, y, ha, va)`` whose box is free, else the least crowded."""
        w, h = self.size(text, fontsize)
        best: tuple[int, tuple[float, float, str, str], tuple[float, float, float, float]]
        best = (1 << 30, candidates[0], (0.0, 0.0, 0.0, 0.0))
        for cand in candidates:
            x, y, ha, va = cand
            x0 = x - w if ha == "right" else x
            y0 = {"top": y - h, "bottom": y}.get(va, y - h / 2)
            box = (x0, y0, x0 + w, y0 + h)
            hits = self._hits(box)
            if hits < best[0]:
                best = (hits, cand, box)
            if hits == 0:
                break
        self.boxes.append(best[2])
        return best[1]


def _hours_to_days(hours: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(hours, dtype=np.float64) / 24.0


def _days_to_hours(days: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(days, dtype=np.float64) * 24.0


def _samples(x: Sequence[float], y: Sequence[float], n: int = 40) -> NDArray[np.float64]:
    """Points along a segment (for :class:`_Spots`)."""
    t = np.linspace(0.0, 1.0, n)[:, None]
    a, b = np.array([x[0], y[0]]), np.array([x[1], y[1]])
    return np.asarray(a + t * (b - a), dtype=np.float64)


@_plain_text
def plot_tcd(
    routes: Route | Sequence[Route],
    *,
    y: str = "hours",
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> tuple[Figure, Axes]:
    """Time/cost–distance chart of one route or several (UNESCAP method, as in CAREC CPMM).

    Cumulative time (``y="hours"``, with days on the right-hand axis) or cumulative cost
    (``y="usd"``, USD per TEU) against cumulative distance, from origin to destination.
    Each link is a sloped segment coloured by mode (:data:`MODE_COLORS`); each stop — a
    border crossing, a canal passage, a transfer, gauge change or port process, a wait for
    a departure — is a vertical step coloured by kind (:data:`STOP_COLORS`), named where it
    is more than :data:`TCD_LABEL_SHARE` of its route's total. Border crossings are also
    marked with a diamond, so one whose time is inside a published transit (a step of
    0 hours) still shows. Several routes are told apart by line style and named at their
    ends.

    The segments are those of :func:`corridor.indicators.tcd_table`: the ``j``-th leg of the
    ``i``-th route is the :class:`~matplotlib.lines.Line2D` with gid ``"tcd:i:j"``, drawn
    from ``(km_start, y_start)`` to ``(km_end, y_end)``.

    Method: UNESCAP, *Time/Cost-Distance Methodology* (2004),
    https://www.unescap.org/resources/timecost-distance-methodology; CAREC Corridor
    Performance Measurement and Monitoring, https://cpmm.carecprogram.org/2023-report.

    Parameters
    ----------
    routes : corridor.Route or list of corridor.Route
    y : {"hours", "usd"}
        What accumulates on the y-axis.
    labels : list of str, optional
        One name per route (default: the modes it uses).
    ax : matplotlib Axes, optional
        Draw here; else on a new figure.

    Returns
    -------
    (Figure, Axes)

    Examples
    --------
    >>> import corridor as cr
    >>> r = cr.route(cr.load_network(), "Kunming", "Vientiane", modes=["rail"])
    >>> fig, ax = plot_tcd(r, y="usd")
    >>> len([ln for ln in ax.lines if str(ln.get_gid()).startswith("tcd:")]) == len(r.legs)
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes as _Axes
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from corridor._errors import DataError
    from corridor.indicators import tcd_table

    if not isinstance(y, str) or y not in ("hours", "usd"):
        raise DataError(f"y={shown(y)}: plot_tcd draws cumulative 'hours' or 'usd'")
    routes, labels = _routes_and_labels(routes, labels)
    if not routes:
        raise DataError("routes: plot_tcd needs at least one route")
    if ax is not None and not isinstance(ax, _Axes):
        raise DataError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    if labels is None:
        labels = [" + ".join(m.replace("_", " ") for m in r.modes) or "route" for r in routes]
        if len(routes) > 1:
            labels = [f"{i + 1}. {lab}" for i, lab in enumerate(labels)]
    tables = [tcd_table(r) for r in routes]

    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 6.5), layout="constrained")
    else:
        fig = _figure(ax)
    names = routes[0]._graph.net._nodes["name"]
    x_top = 1.02 * max(max((float(t["km_end"].max()) for t in tables if len(t)), default=0), 1)
    y_top = 1.12 * max(max((float(t[f"{y}_end"].max()) for t in tables if len(t)), default=0), 1)
    ax.set_xlim(0, x_top)
    ax.set_ylim(0, y_top)

    modes_used: list[str] = []
    stops_used: list[str] = []
    drawn: list[NDArray[np.float64]] = []  # points of every line, in axes fractions
    to_name: list[tuple[str, float, float, float]] = []  # stop labels: text, x, y0, y1
    for i, t in enumerate(tables):
        style = _ROUTE_STYLES[i % len(_ROUTE_STYLES)]
        total = float(t[y].sum())
        for j, row in t.iterrows():
            xs = [float(row["km_start"]), float(row["km_end"])]
            ys = [float(row[f"{y}_start"]), float(row[f"{y}_end"])]
            moving = row["kind"] == "link"
            if moving:
                mode = str(row["mode"])
                color = MODE_COLORS.get(mode, "#566573")
                modes_used += [] if mode in modes_used else [mode]
            else:
                category = str(row["category"])
                color = STOP_COLORS.get(category, STOP_COLORS["other"])
                stops_used += [] if category in stops_used else [category]
            (line,) = ax.plot(
                xs, ys, color=color, lw=2.6 if moving else 3.4, ls=style, solid_capstyle="butt",
                zorder=3 if moving else 4,
            )  # fmt: skip
            line.set_gid(f"tcd:{i}:{j}")
            drawn.append(_samples([xs[0] / x_top, xs[1] / x_top], [ys[0] / y_top, ys[1] / y_top]))
            if row["category"] == "border":  # marked even when it costs no time
                drawn.append(np.array([[xs[0] / x_top, sum(ys) / 2 / y_top]]))
                ax.plot(
                    [xs[0]], [sum(ys) / 2], marker="D", ms=5, mfc="white", mec=color, mew=1.2,
                    ls="", zorder=7,
                )  # fmt: skip
            if not moving and total > 0 and float(row[y]) > TCD_LABEL_SHARE * total:
                to_name.append((_stop_text(row, names, y), xs[0], ys[0], ys[1]))
        end = (float(t["km_end"].iloc[-1]), float(t[f"{y}_end"].iloc[-1])) if len(t) else (0, 0)
        ax.plot(*end, marker="o", ms=5, color="#1b2631", zorder=7)
        drawn.append(np.array([[end[0] / x_top, end[1] / y_top]]))

    handles = [
        Line2D([], [], color=MODE_COLORS.get(m, "#566573"), lw=2.6, label=m.replace("_", " "))
        for m in modes_used
    ]
    handles += [
        Line2D([], [], color=STOP_COLORS[c], lw=3.4, label=f"stop: {_STOP_NAMES[c]}", ms=5,
               marker="D" if c == "border" else None, mfc="white", mew=1.2)
        for c in STOP_COLORS
        if c in stops_used
    ]  # fmt: skip
    legend = ax.legend(
        handles=handles, loc="upper left", fontsize=8, title="legs (slope) and stops (steps)",
        title_fontsize=8, framealpha=0.9,
    )  # fmt: skip
    if len(routes) > 1:
        ax.add_artist(legend)
        ax.legend(
            handles=[
                Line2D([], [], color="#1b2631", lw=1.8, ls=_ROUTE_STYLES[i % 4], label=lab)
                for i, lab in enumerate(labels)
            ],
            loc="lower right", fontsize=8, title="routes", title_fontsize=8, framealpha=0.9,
        )  # fmt: skip

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("cumulative distance (km)")
    if y == "hours":
        ax.set_ylabel("cumulative time (hours)")
        days = ax.secondary_yaxis("right", functions=(_hours_to_days, _days_to_hours))
        days.set_ylabel("days")
    else:
        ax.set_ylabel("cumulative cost (USD per TEU)")
    ends = {(r.origin, r.destination) for r in routes}
    title = f"{'Time' if y == 'hours' else 'Cost'}–distance"
    if len(ends) == 1:
        o, d = next(iter(ends))
        title += f": {names.get(o, o)} → {names.get(d, d)}"
    ax.set_title(f"{title} (per TEU)", fontsize=11)
    ax.grid(alpha=0.3)
    spots = _Spots(ax, drawn)
    for r, t, label in zip(routes, tables, labels, strict=True):
        end_x = float(t["km_end"].iloc[-1]) if len(t) else 0.0
        end_y = float(t[f"{y}_end"].iloc[-1]) if len(t) else 0.0
        summary = (
            f"{r.total_days:,.1f} days" if y == "hours" else f"USD {r.total_usd:,.0f}"
        ) + f", {r.total_km:,.0f} km"
        text = f"{label}\n{summary}"
        xf, yf = end_x / x_top, end_y / y_top
        corners = [(1, -1, "left", "top"), (-1, 1, "right", "bottom")]
        corners += [(1, 1, "left", "bottom"), (-1, -1, "right", "top")]
        candidates = [  # beside the end, then further off
            (xf + sx * dx, yf + sy * dy, ha, va)
            for dx, dy in ((0.008, 0.015), (0.03, 0.015), (0.008, 0.06), (0.06, 0.015))
            for sx, sy, ha, va in corners
        ]
        xt, yt, ha, va = spots.take(text, 8.5, candidates)
        ax.annotate(
            text, (end_x, end_y), xytext=(xt, yt), textcoords="axes fraction", ha=ha, va=va,
            fontsize=8.5, fontweight="bold", color="#1b2631", zorder=6,
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#d5d8dc", "alpha": 0.9},
        )  # fmt: skip
    for text, x, y0, y1 in to_name:  # beside the step: level with it, then further off
        xf, lo, hi = x / x_top, y0 / y_top, y1 / y_top
        mid = (lo + hi) / 2
        heights = [mid, *(mid + d for k in range(1, 8) for d in (0.04 * k, -0.04 * k))]
        candidates = [
            (xf + side * 0.012, yf, "left" if side > 0 else "right", "center")
            for yf in heights
            for side in (1, -1)
        ]
        xt, yt, ha, va = spots.take(text, 7.5, candidates)
        ax.annotate(
            text, (x, (y0 + y1) / 2), xytext=(xt, yt), textcoords="axes fraction", ha=ha,
            va=va, fontsize=7.5, color="#1b2631", zorder=6,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            arrowprops={"arrowstyle": "-", "color": "#808b96", "lw": 0.6},
        )  # fmt: skip

    waits = (
        "waits for departures from the timetable"
        if any(r.departure is not None for r in routes)
        else "expected waits for departures (half the headway) included"
    )
    ax.annotate(
        "Method: UNESCAP Time/Cost-Distance (as in CAREC CPMM): legs slope, stops are "
        f"vertical steps. Source: corridor model, data/ (sources in data/sources/); {waits}.",
        (0.0, 0.0), xycoords="axes fraction", xytext=(0, -30), textcoords="offset points",
        ha="left", va="top", fontsize=6.5, color="#7b7d7d",
    )  # fmt: skip
    return fig, ax


# ------------------------------------------------- reliability and market shares


def _source_note(ax: Axes, text: str) -> None:
    """A small source line at the bottom left of the figure."""
    ax.annotate(
        text, (0, 0), xycoords="figure fraction", xytext=(4, 3), textcoords="offset points",
        fontsize=7, color="#566573",
    )  # fmt: skip


@_plain_text
def plot_transit_time(
    tt: TransitTime, *, ax: Axes | None = None, bins: int = 60
) -> tuple[Figure, Axes]:
    """A histogram of a route's door-to-door days, with its mean and P50/P90/P95 marked.

    Examples
    --------
    >>> import corridor as cr
    >>> t = cr.transit_time(cr.load_network(), "Kunming", "Vientiane", seed=1)
    >>> fig, ax = cr.plot_transit_time(t)
    >>> "days" in ax.get_xlabel()
    True
    """
    import matplotlib.pyplot as plt

    from corridor.reliability import TransitTime

    given: object = tt
    if not isinstance(given, TransitTime):
        from corridor._errors import DataError

        raise DataError(
            f"tt must be the TransitTime of corridor.transit_time(), got {type(given).__name__}"
        )
    bins = int(bins)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    fig = _figure(ax)
    days = tt.hours / 24.0
    ax.hist(days, bins=max(5, min(bins, 500)), color="#aed6f1", edgecolor="#1f618d", lw=0.4)
    p = tt.percentiles([50, 90, 95])["days"]
    for q, style in ((50, "-"), (90, "--"), (95, ":")):
        ax.axvline(p[q], color="#c0392b", ls=style, lw=1.2, label=f"P{q}: {p[q]:.1f} d")
    ax.axvline(
        tt.route.total_days, color="#117a65", lw=1.2, label=f"mean: {tt.route.total_days:.1f} d"
    )
    ax.legend(fontsize=8, frameon=False)
    ax.set_xlabel("door-to-door time, days")
    ax.set_ylabel(f"draws (of {tt.hours.size:,})")
    from corridor._compile import _static

    names = _static(tt.route._graph.net).hub_names
    o = names[tt.route._graph.hub_index[tt.route.origin]]
    d = names[tt.route._graph.hub_index[tt.route.destination]]
    ax.set_title(
        f"{o} → {d}{' (' + tt.corridor + ')' if tt.corridor else ''}: {tt.route.path}",
        fontsize=9,
    )
    fig.suptitle("Distribution of the door-to-door time per TEU", fontsize=11)
    _source_note(
        ax,
        f"Source: corridor model; time distributions fitted to published figures "
        f"(data/sources/reliability.csv); seed {tt.seed}.",
    )
    ax.grid(axis="y", alpha=0.3)
    return fig, ax


@_plain_text
def plot_shares(shares: pd.DataFrame, *, ax: Axes | None = None) -> tuple[Figure, Axes]:
    """Stacked bars of the corridors' market shares by cargo segment (and in total), from
    :func:`corridor.market_shares`.

    Examples
    --------
    >>> import corridor as cr
    >>> s = cr.market_shares(cr.load_network(), "Guiyang", "Vientiane")
    >>> fig, ax = cr.plot_shares(s)
    >>> ax.get_ylabel()
    'share of boxes, %'
    """
    import matplotlib.pyplot as plt

    from corridor._errors import DataError

    if not isinstance(shares, pd.DataFrame) or "total" not in shares.columns:
        raise DataError("shares must be the DataFrame of corridor.market_shares()")
    cols = ["total", *[c for c in shares.columns if c != "total"]]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(7.0, 0.9 * len(cols) + 3), 5), layout="constrained")
    fig = _figure(ax)
    x = np.arange(len(cols))
    bottom = np.zeros(len(cols))
    for i, (alt, row) in enumerate(shares[cols].iterrows()):
        vals = row.to_numpy(dtype=float) * 100
        ax.bar(
            x,
            vals,
            bottom=bottom,
            color=SHARE_COLORS[i % len(SHARE_COLORS)],
            label=str(alt),
            width=0.7,
        )
        bottom += vals
    ax.set_xticks(x, [c.replace("_", " ") for c in cols], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("share of boxes, %")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    scale = shares.attrs.get("scale")
    ax.set_title(
        "Market shares of the corridors by cargo segment"
        + (f" (logit, scale USD {scale:,.0f} a TEU)" if scale else ""),
        fontsize=10,
    )
    _source_note(
        ax,
        "Source: corridor model; segments data/sources/segments.csv, logit calibrated to "
        "Eurostat mode shares (data/share_targets.csv).",
    )
    ax.grid(axis="y", alpha=0.3)
    return fig, ax


@_plain_text
def plot_flows(
    assignment: Assignment, *, ax: Axes | None = None, top: int = 8
) -> tuple[Figure, Axes]:
    """Flows of an assignment on the basemap: links drawn with widths by TEU a year and
    coloured by mode, the capacitated elements that carry flow marked by utilisation, the
    ``top`` most utilised labelled.

    Examples
    --------
    >>> import corridor as cr
    >>> a = cr.assign(cr.load_network(), cr.load_demand(), method="aon")
    >>> fig, ax = cr.plot_flows(a)
    >>> "TEU" in ax.get_title()
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize

    from corridor._errors import DataError
    from corridor.flows import Assignment

    given: object = assignment
    if not isinstance(given, Assignment):
        raise DataError(
            f"assignment must be the Assignment of corridor.assign(), got {type(given).__name__}"
        )
    top = check_int_arg("top", top)
    flows = assignment.flows_frame()
    if flows.empty:
        raise DataError("the assignment carries no flow")
    bounds = [float(x) for x in flows.total_bounds]
    crs = projection(bounds)
    fig, ax = _axes(ax, crs, bounds)
    _backdrop(ax, crs, bounds)
    net = assignment._graph.net
    net.edges.to_crs(crs).plot(ax=ax, color="#d5d8dc", linewidth=0.5, zorder=1)
    f = flows.to_crs(crs)
    peak = float(f["teu_per_year"].max())
    for mode, part in f.groupby("mode"):
        widths = 0.6 + 7.0 * np.sqrt(part["teu_per_year"].to_numpy() / peak)
        part.plot(ax=ax, color=MODE_COLORS[str(mode)], linewidth=widths, zorder=2, alpha=0.85)
    _mode_legend(ax, sorted(f["mode"].unique()))
    el = assignment.elements()
    el = el[el["flow_teu_per_week"] > 1e-9].sort_values("utilisation", ascending=False)
    el = el.drop_duplicates(["kind", "element"])
    g = assignment._graph
    xs, ys, us, names = [], [], [], []
    for rec in el.to_dict("records"):
        hub = str(rec["hub"])
        if hub not in g.hub_index:
            continue
        p = net._nodes.loc[hub, "geometry"]
        xs.append(p.x)
        ys.append(p.y)
        us.append(float(rec["utilisation"]))
        names.append(f"{rec['what']}: {rec['utilisation']:.0%}")
    if xs:
        import geopandas as gpd

        pts = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs="EPSG:4326").to_crs(crs)
        norm = Normalize(0.0, max(1.2, max(us)))
        up = np.argsort(us, kind="stable")  # the most utilised drawn last, on top
        sc = ax.scatter(pts.x.to_numpy()[up], pts.y.to_numpy()[up], c=np.asarray(us)[up],
                        cmap="RdYlGn_r", norm=norm, s=60, zorder=4, edgecolors="#1b2631",
                        linewidths=0.6)  # fmt: skip
        fig.colorbar(sc, ax=ax, shrink=0.6, label="utilisation ((flow + background) / capacity)")
        for x, y, name in list(zip(pts.x, pts.y, names, strict=True))[:top]:
            ax.annotate(name, (x, y), xytext=(5, 4), textcoords="offset points", fontsize=6.5,
                        zorder=5)  # fmt: skip
    total = assignment.demand.total_teu_per_year
    ax.set_title(
        f"Assigned flows, TEU a year ({assignment.method.upper()}, {total:,.0f} TEU a year"
        f"{'; scenario: ' + assignment.scenario.name if assignment.scenario else ''})",
        fontsize=10,
    )
    _source_note(
        ax,
        "Line width: TEU a year. Source: corridor model; demand and capacities with their "
        "sources in data/ (demand_guizhou.csv is an illustration).",
    )
    _frame(ax, crs, bounds)
    plt.setp(ax.get_xticklabels(), visible=False)
    return fig, ax


def check_int_arg(name: str, value: object) -> int:
    from corridor._checks import check_int

    return check_int(name, value, ge=0, le=1000)
