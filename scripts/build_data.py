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

Run ``python scripts/build_data.py`` (needs the ``build`` extra: ``pip install -e .[build]``);
``python scripts/build_data.py --check`` exits non-zero if the committed files are stale.
"""

from __future__ import annotations

import argparse
import csv
import json
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


def _num(text: str) -> float | None:
    return float(text) if text.strip() else None


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

    # whole published routes: geometry-derived links on them are scaled so the route adds up
    scale: dict[str, tuple[float, str]] = {}
    by_id = {link["id"]: link for link in links}
    for row in _read("route_totals.csv"):
        members = _split(row["links"])
        fixed = 0.0
        free: list[str] = []
        for lid in members:
            link = by_id.get(lid)
            if link is None:
                raise SystemExit(f"route_totals.csv {row['group']}: unknown link {lid!r}")
            if link["length_km"]:
                fixed += float(link["length_km"])
            elif link["share_of"]:
                raise SystemExit(
                    f"route_totals.csv {row['group']}: {lid} already shares a line length"
                )
            else:
                free.append(lid)
        factor = (float(row["published_km"]) - fixed) / sum(geodesic[lid] for lid in free)
        note = (
            f"length_km: geodesic length x {factor:.3f}, the factor that makes the "
            f"{row['group']} route ({' -> '.join(members)}) add up to its published "
            f"{float(row['published_km']):,.0f} km "
            f"({row['source'].replace(';', ',')}), applied to every rail link tagged "
            f"{row['apply_to_tag']} whose length is not published"
        )
        tag = row["apply_to_tag"]
        targets = set(free) | {
            link["id"]
            for link in links
            if link["mode"] == "rail"
            and tag in _split(link["corridors"])
            and not link["length_km"]
            and not link["share_of"]
        }
        for lid in sorted(targets):
            if lid in scale:
                raise SystemExit(f"route_totals.csv: {lid} is in two groups")
            scale[lid] = (factor, note)

    modes: dict[str, set[str]] = defaultdict(set)
    edge_features = []
    for link in links:
        lid = link["id"]
        methods = [m for m in [link["method"].strip()] if m]
        if link["length_km"]:
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
        elif lid in scale:
            factor, note = scale[lid]
            length = geodesic[lid] * factor
            methods.insert(0, note)
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
            "speed_kmh": _num(link["speed_kmh"]),
            "transit_hours": _num(link["transit_hours"]),
            "tariff_usd_per_teu_km": _num(link["tariff_usd_per_teu_km"]),
            "gauge_mm": int(link["gauge_mm"]) if link["gauge_mm"] else None,
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
            **{k: _num(h[k]) for k in NODE_NUMBERS},
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
    if (SOURCES / "services.csv").is_file():
        out[ROOT / "data" / "services.json"] = _services(nodes, edges)
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
