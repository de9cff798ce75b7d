"""Interactive maps for notebooks (folium): routes with a tooltip on every leg.

Building the map fetches nothing: folium writes an HTML page whose tiles and scripts the
browser loads when a person opens it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from corridor._checks import check_bool, check_names, shown
from corridor._errors import DataError
from corridor.plot import MODE_COLORS, ROUTE_COLORS
from corridor.routing import Route

if TYPE_CHECKING:
    import folium

__all__ = ["explore"]

_FIELDS = ["kind", "mode", "line", "from", "to", "km", "hours", "usd", "co2_kg"]


def explore(
    routes: Route | Sequence[Route],
    *,
    labels: Sequence[str] | None = None,
    tiles: str = "OpenStreetMap",
    by_mode: bool | None = None,
) -> folium.Map:
    """A folium map of one or more routes; hover a leg to see its mode, line, km, hours, USD, CO2.

    Parameters
    ----------
    routes : Route or sequence of Route
    labels : sequence of str, optional
        One per route: names the layers (a layer control lets the reader toggle them).
    tiles : str
        Any folium tile name; fetched by the browser, not while building.
    by_mode : bool, optional
        Colour legs by mode (default for a single route) or by route.

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> m = cr.explore(cr.route(net, "Kunming", "Vientiane", modes=["rail"]))
    >>> html = m.get_root().render()
    >>> all(link in html for link in ("r_kunming_mohan", "r_mohan_boten", "r_boten_vientiane"))
    True
    """
    import folium

    if isinstance(routes, Route):
        rs = [routes]
    elif isinstance(routes, str | bytes | Mapping) or not isinstance(routes, Iterable):
        raise DataError(f"routes must be a Route or a list of Route, got {shown(routes)}")
    else:
        rs = list(routes)
    if not rs or not all(isinstance(r, Route) for r in rs):
        raise DataError("explore needs a Route or a non-empty sequence of Route")
    names = check_names("labels", labels)
    if labels is not None and len(names) != len(rs):
        raise DataError(f"labels: {len(names)} given for {len(rs)} routes")
    if not isinstance(tiles, str) or not tiles.strip():
        raise DataError(f"tiles must be a folium tile name, got {shown(tiles)}")
    colour_by_mode = len(rs) == 1 if by_mode is None else check_bool("by_mode", by_mode)
    fmap = folium.Map(tiles=tiles, control_scale=True)
    bounds: list[list[float]] = []
    for i, r in enumerate(rs):
        # every text from data or the caller is escaped: tooltips and layer names are HTML
        name = escape(names[i] if labels is not None else r._summary())
        group = folium.FeatureGroup(name=name)
        gdf = r.to_geodataframe()
        for col in ("km", "hours", "usd", "co2_kg"):
            gdf[col] = gdf[col].round(1)
        gdf["link"] = gdf["link"].fillna("")
        for col in ("kind", "mode", "line", "from", "to", "link"):
            gdf[col] = [escape(str(v)) if isinstance(v, str) else v for v in gdf[col]]
        links, events = gdf[gdf["kind"] == "link"], gdf[gdf["kind"] != "link"]
        route_colour = ROUTE_COLORS[i % len(ROUTE_COLORS)]

        def style(feature: dict[str, Any], rc: str = route_colour) -> dict[str, Any]:
            mode = feature["properties"]["mode"]
            return {
                "color": MODE_COLORS.get(mode, rc) if colour_by_mode else rc,
                "weight": 4,
                "opacity": 0.85,
            }

        if len(links):
            folium.GeoJson(
                json.loads(links[[*_FIELDS, "link", "geometry"]].to_json(na="null")),
                style_function=style,
                tooltip=folium.GeoJsonTooltip(fields=[*_FIELDS, "link"], localize=True),
                name=name,
            ).add_to(group)
        for _, ev in events.iterrows():
            what = ev["mode"] or ev["line"]
            kind = str(ev["kind"]).replace("_", " ")
            tip = f"{kind} at {ev['from']}: {what}, {ev['hours']} h, USD {ev['usd']}"
            folium.CircleMarker(
                (ev.geometry.y, ev.geometry.x),
                radius=5,
                color="#1b2631",
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1.0,
                tooltip=tip,
            ).add_to(group)
        for end in (r.origin, r.destination):
            hub = r._graph.net._nodes.loc[end]
            folium.Marker(
                (hub.geometry.y, hub.geometry.x), tooltip=escape(str(hub["name"]))
            ).add_to(group)
        group.add_to(fmap)
        x0, y0, x1, y1 = gdf.total_bounds
        bounds += [[float(y0), float(x0)], [float(y1), float(x1)]]
    fmap.fit_bounds(bounds)
    if len(rs) > 1:
        folium.LayerControl(collapsed=False).add_to(fmap)
    return fmap
