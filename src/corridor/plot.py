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
    from corridor.routing import Route

    given: object = routes
    if isinstance(given, Route):
        routes = [given]
    elif isinstance(given, str | bytes) or not isinstance(given, Sequence):
        raise DataError(f"routes must be a list of corridor.Route, got {shown(given)}")
    for i, r in enumerate(routes):
        if not isinstance(r, Route):
            raise DataError(f"routes[{i}] must be a corridor.Route, got {type(r).__name__}")
    if labels is not None:
        labels = list(check_names("labels", labels))
        if len(labels) != len(routes):
            raise DataError(f"labels: {len(labels)} given for {len(routes)} routes")
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
    missing = [c for c in ("status", "usd", "days", "co2_kg") if c not in df.columns]
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
    """Time against cost for each corridor; the ones no other beats on both are ringed."""
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
