"""Regenerate ``data/nodes.geojson``, ``data/edges.geojson`` and ``data/services.json``
from the source tables.

Every number in the two GeoJSON files comes from a row of ``data/sources/*.csv`` (with its
source) or is derived here, and the derivation is written into the feature's ``method``:

- hub ``modes``: the modes of the links that touch the hub;
- link geometry: rail, road and river links are polylines through the hubs and shape
  points named in ``via``; sea lanes are computed by ``searoute`` (Eurostat MARNET) between
  the two hubs; air links are great circles;
- ``length_km``: the published length when the row gives one; a published line length
  apportioned over the line's links by their geodesic lengths when the row gives
  ``share_of = group:total_km``; else the geodesic length of the geometry (pyproj.Geod).
  ``route_totals.csv`` (whole routes with a published length) is only checked: the sum of
  the route's links is printed against it; nothing is scaled.

Run ``python scripts/build_data.py`` (needs the ``build`` extra: ``pip install -e .[build]``);
``python scripts/build_data.py --check`` exits non-zero if the committed files are stale.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
GEOD = Geod(ellps="WGS84")
DIGITS = 5
AIR_POINTS = 64

NODE_NUMBERS = (
    "handling_usd",
    "dwell_hours",
    "crossing_hours",
    "crossing_usd",
    "gauge_change_hours",
    "gauge_change_usd",
)


def _read(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _num(text: str, where: str = "") -> float | None:
    """A number from a CSV field, None if empty; a field that is not a number stops the build
    with ``where`` (file, row, field) named."""
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise SystemExit(f"{where}: not a number: {text!r}") from None


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(";") if t.strip()]


def _line_km(coords: list[tuple[float, float]]) -> float:
    lons, lats = zip(*coords, strict=True)
    return float(GEOD.line_length(lons, lats)) / 1000.0


def _sea_geometry(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    import searoute

    feature = searoute.searoute(
        list(a), list(b), units="km", append_orig_dest=True, restrictions=[]
    )
    coords = [(float(x), float(y)) for x, y in feature["geometry"]["coordinates"]]
    out: list[tuple[float, float]] = []
    for c in coords:
        r = (round(c[0], DIGITS), round(c[1], DIGITS))
        if not out or out[-1] != r:
            out.append(r)
    return out


def _air_geometry(a: tuple[float, float], b: tuple[float, float]) -> list[tuple[float, float]]:
    inner = GEOD.npts(a[0], a[1], b[0], b[1], AIR_POINTS)
    return [a, *[(float(x), float(y)) for x, y in inner], b]


ROUTE_TOLERANCE = 0.03
#: the Asia–Europe trade lane: sea links of these corridors; its loaded (head-haul) flow
#: runs from Asia to Europe, i.e. away from Singapore, the lane's Asian gateway
LANE_CORRIDORS = frozenset({"sea_suez", "sea_cape"})
LANE_ASIA_END = "singapore"


def _mark_headhaul(features: list[dict[str, Any]]) -> None:
    """Sea links of the Asia–Europe lane get ``headhaul``: the direction ("forward" from
    ``from`` to ``to``, or "backward") that leads away from Singapore by sea distance, the
    loaded direction of the lane; the other direction pays the backhaul rate."""
    import networkx as nx

    sea = nx.Graph()
    for f in features:
        p = f["properties"]
        if p["mode"] == "sea":
            sea.add_edge(p["from"], p["to"], km=p["length_km"])
    dist = nx.single_source_dijkstra_path_length(sea, LANE_ASIA_END, weight="km")
    for f in features:
        p = f["properties"]
        if p["mode"] != "sea" or not LANE_CORRIDORS & set(p["corridors"]):
            continue
        a, b = dist.get(p["from"]), dist.get(p["to"])
        if a is None or b is None or a == b:
            raise SystemExit(f"links.csv: {p['id']}: cannot tell which end faces Asia")
        p["headhaul"] = "forward" if b > a else "backward"
        p["method"] += (
            f"; headhaul: {p['headhaul']} (Asia–Europe lane: the loaded direction runs away "
            "from Singapore by sea distance; the other direction pays "
            "CostModel.sea_backhaul_factor)"
        )


def _check_route_totals(links: list[dict[str, str]], length: dict[str, float]) -> None:
    """``route_totals.csv``: whole routes with a published length. They are only checked
    (no link is scaled to fit): the sum of the member links' lengths is printed against the
    published total, with a warning when it is off by more than 3%."""
    known = {link["id"] for link in links}
    for row in _read("route_totals.csv"):
        members = _split(row["links"])
        unknown = [lid for lid in members if lid not in known]
        if unknown:
            raise SystemExit(f"route_totals.csv {row['group']}: unknown link(s) {unknown}")
        total = sum(length[lid] for lid in members)
        published = float(row["published_km"])
        off = total / published - 1.0
        verdict = "ok" if abs(off) <= ROUTE_TOLERANCE else "WARNING: outside 3%"
        print(
            f"route check {row['group']}: links sum to {total:,.0f} km, published "
            f"{published:,.0f} km ({off:+.1%}) {verdict}"
        )


def _check_roads(
    rows: list[dict[str, str]], links: list[dict[str, str]]
) -> dict[str, dict[str, str]]:
    """``road_links.csv`` rows by link, checked: a road link, a published distance that is
    a finite number > 0 when given, a known class and terrain; exits naming row and field."""
    mode = {link["id"]: link["mode"] for link in links}
    errors = []
    for i, r in enumerate(rows, start=2):
        where = f"road_links.csv line {i} ({r.get('link')!r})"
        if mode.get(r.get("link", "")) != "road":
            errors.append(f"{where}: field 'link': not a road link of links.csv")
        if r.get("published_km"):
            try:
                km = float(r["published_km"])
                ok = km > 0 and km < 20_000
            except ValueError:
                ok = False
            if not ok:
                errors.append(
                    f"{where}: field 'published_km': must be a number of km > 0, "
                    f"got {r['published_km']!r}"
                )
        if r.get("road_class") not in ("expressway", "national", "mountain"):
            errors.append(f"{where}: field 'road_class': got {r.get('road_class')!r}")
        if r.get("terrain") not in ("plain", "hilly", "mountain"):
            errors.append(f"{where}: field 'terrain': got {r.get('terrain')!r}")
        if (r.get("circuity_sample") or "").strip() not in ("", "true", "false"):
            errors.append(
                f"{where}: field 'circuity_sample': must be true, false or empty, "
                f"got {r.get('circuity_sample')!r}"
            )
        elif (r.get("circuity_sample") or "").strip() == "false" and not r.get("published_km"):
            errors.append(
                f"{where}: field 'circuity_sample': false only applies to a published "
                "distance (published_km is empty)"
            )
    if errors:
        raise SystemExit("\n".join(errors))
    return {r["link"]: r for r in rows}


def _drawn_parts(links: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    """``links.csv`` ``drawn_part`` by link, checked: ``from:<point>`` or ``to:<point>`` on a
    rail link with a published ``length_km``, ``<point>`` one of its ``via`` points; the
    published length then covers the rest of the link, and the part between that end and
    the point is drawn and scaled by the rail factor. Exits naming row and field."""
    out: dict[str, tuple[str, str]] = {}
    errors = []
    for i, link in enumerate(links, start=2):
        text = (link.get("drawn_part") or "").strip()
        if not text:
            continue
        where = f"links.csv line {i} ({link['id']!r}): field 'drawn_part'"
        end, _, name = text.partition(":")
        if end not in ("from", "to") or not name:
            errors.append(
                f"{where}: must be 'from:<shape point>' or 'to:<shape point>', got {text!r}"
            )
        elif name not in _split(link["via"]):
            errors.append(f"{where}: {name!r} is not one of the link's via points")
        elif link["mode"] != "rail":
            errors.append(
                f"{where}: only for rail links (it uses the rail factor), not {link['mode']}"
            )
        elif not link["length_km"]:
            errors.append(f"{where}: needs the published length of the rest in length_km")
        else:
            out[link["id"]] = (end, name)
    if errors:
        raise SystemExit("\n".join(errors))
    return out


def _samples_circuity(road: dict[str, str]) -> bool:
    """Whether a road link's published distance is a sample of its terrain's circuity: not
    when ``circuity_sample`` is false (a bridge or causeway drawn as the road runs, whose
    ratio says nothing of how roads wind)."""
    return (road.get("circuity_sample") or "").strip() != "false"


def _circuity(
    links: list[dict[str, str]], roads: dict[str, dict[str, str]], geodesic: dict[str, float]
) -> dict[tuple[str, str], tuple[float, int]]:
    """Median ratio of published length to drawn (geodesic) length: for road links by
    terrain class (all road links where a class has fewer than 3), and for rail links."""
    samples: dict[tuple[str, str], list[float]] = defaultdict(list)
    for link in links:
        lid = link["id"]
        road = roads.get(lid)
        if road is not None and road["published_km"] and _samples_circuity(road):
            ratio = float(road["published_km"]) / geodesic[lid]
            samples[("road", road["terrain"])].append(ratio)
            samples[("road", "")].append(ratio)
        elif link["mode"] == "rail" and link["length_km"] and not link["via"]:
            samples[("rail", "")].append(float(link["length_km"]) / geodesic[lid])
    out: dict[tuple[str, str], tuple[float, int]] = {}
    for key in [("road", t) for t in ("plain", "hilly", "mountain")] + [("rail", "")]:
        values = samples[key] if len(samples[key]) >= 3 else samples[(key[0], "")]
        out[key] = (statistics.median(values) if values else 1.0, len(values))
    return out


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    hubs = _read("hubs.csv")
    shapes = {r["id"]: (float(r["lon"]), float(r["lat"])) for r in _read("shape_points.csv")}
    links = _read("links.csv")
    point = {h["id"]: (float(h["lon"]), float(h["lat"])) for h in hubs}
    errors: list[str] = []

    geometry: dict[str, list[tuple[float, float]]] = {}
    for link in links:
        a, b = point.get(link["from"]), point.get(link["to"])
        if a is None or b is None:
            errors.append(f"links.csv {link['id']}: unknown hub {link['from']!r} or {link['to']!r}")
            continue
        if link["mode"] == "sea" and not link["via"]:
            geometry[link["id"]] = _sea_geometry(a, b)
        elif link["mode"] == "air":
            geometry[link["id"]] = _air_geometry(a, b)
        else:
            via = []
            for name in _split(link["via"]):
                p = shapes.get(name, point.get(name))
                if p is None:
                    errors.append(f"links.csv {link['id']}: unknown shape point {name!r}")
                    continue
                via.append(p)
            geometry[link["id"]] = [a, *via, b]
    if errors:
        raise SystemExit("\n".join(errors))

    geodesic = {k: _line_km(v) for k, v in geometry.items()}
    groups: dict[str, list[str]] = defaultdict(list)
    totals: dict[str, float] = {}
    for link in links:
        if link["share_of"]:
            group, total = link["share_of"].split(":")
            groups[group].append(link["id"])
            totals[group] = float(total)

    roads = _check_roads(_read("road_links.csv"), links)
    drawn_parts = _drawn_parts(links)
    circuity = _circuity(links, roads, geodesic)
    modes: dict[str, set[str]] = defaultdict(set)
    edge_features = []
    for link in links:
        lid = link["id"]
        methods = [m for m in [link["method"].strip()] if m]
        road = roads.get(lid)
        if link["mode"] == "road" and road is None:
            raise SystemExit(f"road_links.csv: no row for road link {lid}")
        if road is not None and road["published_km"]:
            length = float(road["published_km"])
            methods.insert(0, f"length_km: published road distance ({road['source']})")
            if road["method"]:
                methods.append(f"road: {road['method']}")
        elif road is not None:
            factor, n = circuity[("road", road["terrain"])]
            length = geodesic[lid] * factor
            methods.insert(
                0,
                f"length_km: geodesic length of the drawn road x {factor:.3f}, the median "
                f"ratio of published road distance to drawn length over {n} {road['terrain']} "
                "road links with a published distance (road_links.csv)",
            )
        elif lid in drawn_parts:
            end, name = drawn_parts[lid]
            names = [link["from"], *_split(link["via"]), link["to"]]
            k = names.index(name)
            line = geometry[lid][: k + 1] if end == "from" else geometry[lid][k:]
            factor, n = circuity[("rail", "")]
            published, drawn = float(link["length_km"]), _line_km(line)
            length = published + drawn * factor
            methods.insert(
                0,
                f"length_km: {published:g} km published + {drawn * factor:.1f} km between "
                f"{link[end]} and {name} (the drawn line's {drawn:.1f} km x {factor:.3f}, the "
                f"rail factor of {n} links) = {length:.1f} km",
            )
        elif link["length_km"]:
            length = float(link["length_km"])
            if not any(m.startswith("length_km") for m in methods):
                methods.insert(0, "length_km: published (see source)")
        elif link["share_of"]:
            group = link["share_of"].split(":")[0]
            total = sum(geodesic[m] for m in groups[group])
            length = totals[group] * geodesic[lid] / total
            methods.insert(
                0,
                f"length_km: published {totals[group]:g} km of the line "
                f"({', '.join(groups[group])}) "
                "apportioned by the links' geodesic lengths",
            )
        elif link["mode"] == "rail" and not link["via"]:
            factor, n = circuity[("rail", "")]
            length = geodesic[lid] * factor
            methods.insert(
                0,
                f"length_km: geodesic length of the drawn line x {factor:.3f}, the median ratio "
                f"of published length to drawn length over the {n} rail links with a "
                "published length",
            )
        else:
            length = geodesic[lid]
            if link["mode"] == "sea" and not link["via"]:
                how = "geodesic length (pyproj.Geod, WGS84) of the searoute sea lane"
            elif link["mode"] == "air":
                how = "great-circle length (pyproj.Geod, WGS84)"
            else:
                how = "geodesic length (pyproj.Geod, WGS84) of the polyline in the geometry"
            methods.insert(0, f"length_km: {how}")
        if link["mode"] == "sea" and not link["via"]:
            geo_note = "geometry: searoute 1.6.0 sea lane between the hubs"
        elif link["mode"] == "air":
            geo_note = "geometry: great circle"
        else:
            geo_note = "geometry: polyline through " + " -> ".join(
                [link["from"], *_split(link["via"]), link["to"]]
            )
        methods.append(geo_note)
        if link["speed_kmh"] and not any(m.startswith("speed") for m in methods):
            methods.append("speed_kmh: published (see source)")
        modes[link["from"]].add(link["mode"])
        modes[link["to"]].add(link["mode"])
        props: dict[str, Any] = {
            "id": lid,
            "from": link["from"],
            "to": link["to"],
            "mode": link["mode"],
            "line": link["line"],
            "corridors": _split(link["corridors"]),
            "length_km": round(length, 2),
            "speed_kmh": _num(link["speed_kmh"], f"links.csv {lid}: field 'speed_kmh'"),
            "transit_hours": _num(link["transit_hours"], f"links.csv {lid}: field 'transit_hours'"),
            "ordinary_speed_kmh": _num(
                link.get("ordinary_speed_kmh", ""), f"links.csv {lid}: field 'ordinary_speed_kmh'"
            ),
            "tariff_usd_per_teu_km": _num(
                link["tariff_usd_per_teu_km"], f"links.csv {lid}: field 'tariff_usd_per_teu_km'"
            ),
            "gauge_mm": int(link["gauge_mm"]) if link["gauge_mm"] else None,
            **(
                {"road_class": road["road_class"], "terrain": road["terrain"]}
                if road is not None
                else {}
            ),
            "status": link["status"],
            "opens": int(link["opens"]) if link["opens"] else None,
            "bidirectional": link["bidirectional"].strip().lower() == "true",
            "source": link["source"],
            "method": "; ".join(methods),
        }
        coords = [[round(x, DIGITS), round(y, DIGITS)] for x, y in geometry[lid]]
        edge_features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": coords},
            }
        )

    lengths = {f["properties"]["id"]: f["properties"]["length_km"] for f in edge_features}
    _check_route_totals(links, lengths)
    _mark_headhaul(edge_features)

    node_features = []
    for h in hubs:
        method = [m for m in [h["method"].strip()] if m]
        method.append("modes: the modes of the links at this hub")
        props = {
            "id": h["id"],
            "name": h["name"],
            "name_zh": h["name_zh"] or None,
            "aliases": _split(h["aliases"]),
            "kind": h["kind"],
            "country": h["country"],
            "modes": sorted(modes.get(h["id"], set())),
            **{k: _num(h[k], f"hubs.csv {h['id']}: field {k!r}") for k in NODE_NUMBERS},
            **({"clears_for": _split(h["clears_for"])} if h.get("clears_for") else {}),
            "source": h["source"],
            "method": "; ".join(method),
        }
        node_features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "Point", "coordinates": [float(h["lon"]), float(h["lat"])]},
            }
        )
    return (
        {"type": "FeatureCollection", "features": node_features},
        {"type": "FeatureCollection", "features": edge_features},
    )


def _dump(fc: dict[str, Any]) -> str:
    """One feature per line: reviewable diffs, modest size."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _services(nodes: dict[str, Any], edges: dict[str, Any]) -> str:
    """``services.json``: the services table, typed and checked against the new network
    (every problem named by service id and field)."""
    import geopandas as gpd

    from corridor.services import read_services, services_to_json

    def frame(fc: dict[str, Any]) -> gpd.GeoDataFrame:
        df = gpd.GeoDataFrame.from_features(fc["features"])
        return df.set_index("id", drop=False).rename_axis(None)

    table = read_services(SOURCES / "services.csv", frame(nodes), frame(edges))
    return services_to_json(table)


def _tables(nodes: dict[str, Any]) -> dict[Path, str]:
    """``borders.json``, ``ports.json``, ``reliability.json`` and ``segments.json``: the
    border, port, time-distribution and cargo-segment tables, checked (the distributions
    fitted to their published figures)."""
    import geopandas as gpd

    from corridor import emissions, flows, reliability, segments
    from corridor.tables import read_borders, read_ports, to_json

    frame = gpd.GeoDataFrame.from_features(nodes["features"])
    frame = frame.set_index("id", drop=False).rename_axis(None)
    return {
        ROOT / "data" / "borders.json": to_json(read_borders(SOURCES / "borders.csv", frame)),
        ROOT / "data" / "ports.json": to_json(read_ports(SOURCES / "ports.csv", frame)),
        ROOT / "data" / "reliability.json": reliability.to_json(
            reliability.read_distributions(SOURCES / "reliability.csv", frame.index)
        ),
        ROOT / "data" / "segments.json": segments.to_json(
            segments.read_segments(SOURCES / "segments.csv")
        ),
        ROOT / "data" / "emissions.json": emissions.read_emission_tables(SOURCES).to_json(),
        ROOT / "data" / "capacity.json": to_json(
            flows.read_capacity(
                SOURCES / "capacity.csv",
                hubs=[f["properties"]["id"] for f in nodes["features"]],
                services=[r["id"] for r in _read("services.csv")],
            )
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="fail if the committed files are stale"
    )
    args = parser.parse_args(argv)
    nodes, edges = build()
    out = {
        ROOT / "data" / "nodes.geojson": _dump(nodes),
        ROOT / "data" / "edges.geojson": _dump(edges),
    }
    out[ROOT / "data" / "services.json"] = _services(nodes, edges)
    out.update(_tables(nodes))
    if args.check:
        stale = [
            str(p)
            for p, text in out.items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            print("stale: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    for path, text in out.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
