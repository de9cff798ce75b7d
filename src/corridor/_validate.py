"""Schema validation of hub and link records: every problem at once, each located.

The checks work on plain records (a label, a property dict and a shapely geometry) so that
files and GeoDataFrames are validated by the same code. Nothing here raises on bad data; each
check appends :class:`~corridor._errors.Problem` entries and the caller raises them together.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pyproj import Geod
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from corridor._errors import Problem
from corridor._names import normalize
from corridor._schema import (
    EDGE_FIELDS,
    END_TOLERANCE_KM,
    MAX_SPEED_KMH,
    MODES,
    NODE_FIELDS,
    FieldSpec,
)

GEOD = Geod(ellps="WGS84")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


@dataclass(slots=True)
class Record:
    """One feature as read: where it came from, its properties and geometry."""

    label: str
    props: dict[str, Any]
    geometry: BaseGeometry | None


def _type_error(spec: FieldSpec, value: object) -> str | None:
    """Return why ``value`` does not fit ``spec``, or ``None`` when it does."""
    t = spec.type
    if t == "str":
        if not isinstance(value, str):
            return f"must be a string, got {type(value).__name__} {value!r}"
        if not value.strip():
            return "must not be an empty string"
        if spec.choices is not None and value not in spec.choices:
            return f"unknown value {value!r}; expected one of {', '.join(map(str, spec.choices))}"
        return None
    if t == "bool":
        if not isinstance(value, bool):
            return f"must be true or false, got {type(value).__name__} {value!r}"
        return None
    if t == "list[str]":
        if not isinstance(value, list | tuple):
            return f"must be a list of strings, got {type(value).__name__} {value!r}"
        for item in value:
            if not isinstance(item, str) or not item.strip():
                return f"must be a list of non-empty strings, has {item!r}"
            if spec.choices is not None and item not in spec.choices:
                return (
                    f"unknown value {item!r}; expected values from "
                    f"{', '.join(map(str, spec.choices))}"
                )
        return None
    # numbers
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, got {type(value).__name__} {value!r}"
    x = float(value)
    if not math.isfinite(x):
        return f"must be finite, got {value!r}"
    if t == "int":
        if not x.is_integer():
            return f"must be a whole number, got {value!r}"
        if spec.choices is not None and int(x) not in spec.choices:
            return f"unknown value {value!r}; expected one of {', '.join(map(str, spec.choices))}"
    if spec.gt is not None and not x > spec.gt:
        return f"must be > {spec.gt:g}, got {value!r}"
    if spec.ge is not None and not x >= spec.ge:
        return f"must be >= {spec.ge:g}, got {value!r}"
    if spec.le is not None and not x <= spec.le:
        return f"must be <= {spec.le:g}, got {value!r}"
    return None


def check_fields(
    source: str, rec: Record, specs: Sequence[FieldSpec], problems: list[Problem]
) -> None:
    """Check presence, type and bounds of every schema field of one record."""
    for spec in specs:
        present = spec.name in rec.props
        value = rec.props.get(spec.name)
        if value is None:
            if spec.required:
                what = "is missing" if not present else "must not be null"
                problems.append(Problem(source, rec.label, spec.name, what))
            continue
        why = _type_error(spec, value)
        if why is not None:
            problems.append(Problem(source, rec.label, spec.name, why))


def _check_coords(source: str, rec: Record, geom: BaseGeometry, problems: list[Problem]) -> bool:
    coords = list(geom.coords)
    for x, y, *_ in coords:
        if not (math.isfinite(x) and math.isfinite(y)):
            problems.append(Problem(source, rec.label, "geometry", "has non-finite coordinates"))
            return False
        if not (-180.0 <= x <= 180.0 and -90.0 <= y <= 90.0):
            problems.append(
                Problem(
                    source,
                    rec.label,
                    "geometry",
                    f"coordinate ({x:g}, {y:g}) is outside longitude/latitude range; "
                    "is the data in a projected CRS without a CRS declared?",
                )
            )
            return False
    return True


def check_node_geometry(source: str, rec: Record, problems: list[Problem]) -> None:
    """A hub must be a valid, non-empty point in longitude/latitude."""
    g = rec.geometry
    if g is None:
        problems.append(Problem(source, rec.label, "geometry", "is missing"))
    elif not isinstance(g, Point):
        problems.append(
            Problem(source, rec.label, "geometry", f"must be a Point, got {g.geom_type}")
        )
    elif g.is_empty:
        problems.append(Problem(source, rec.label, "geometry", "is empty"))
    else:
        _check_coords(source, rec, g, problems)


def check_edge_geometry(source: str, rec: Record, problems: list[Problem]) -> bool:
    """A link must be a valid LineString of at least two distinct points; True if usable."""
    g = rec.geometry
    if g is None:
        problems.append(Problem(source, rec.label, "geometry", "is missing"))
        return False
    if not isinstance(g, LineString):
        problems.append(
            Problem(source, rec.label, "geometry", f"must be a LineString, got {g.geom_type}")
        )
        return False
    if g.is_empty:
        problems.append(Problem(source, rec.label, "geometry", "is empty"))
        return False
    if not _check_coords(source, rec, g, problems):
        return False
    if len(set(g.coords)) < 2 or not g.is_valid or g.length == 0.0:
        problems.append(
            Problem(source, rec.label, "geometry", "is invalid: needs two or more distinct points")
        )
        return False
    return True


def geodesic_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in km on the WGS84 ellipsoid.

    Examples
    --------
    >>> round(geodesic_km(0.0, 0.0, 1.0, 0.0), 1)
    111.3
    """
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000.0


def check_duplicates(source: str, records: Iterable[Record], problems: list[Problem]) -> None:
    """Report every id used by more than one feature."""
    ids = Counter(r.props.get("id") for r in records if isinstance(r.props.get("id"), str))
    for ident, n in ids.items():
        if n > 1:
            problems.append(
                Problem(source, str(ident), "id", f"duplicate id: used by {n} features")
            )


def check_names(source: str, records: Sequence[Record], problems: list[Problem]) -> None:
    """Every id, name and alias must lead to one hub only once normalised."""
    owners: dict[str, set[str]] = defaultdict(set)
    for r in records:
        ident = r.props.get("id")
        if not isinstance(ident, str):
            continue
        names = [ident, r.props.get("name"), r.props.get("name_zh")]
        aliases = r.props.get("aliases")
        if isinstance(aliases, list | tuple):
            names.extend(aliases)
        for n in names:
            if isinstance(n, str) and normalize(n):
                owners[normalize(n)].add(ident)
    for key, hubs in sorted(owners.items()):
        if len(hubs) > 1:
            for h in sorted(hubs):
                others = ", ".join(repr(o) for o in sorted(hubs - {h}))
                problems.append(
                    Problem(
                        source, h, "aliases", f"name {key!r} is ambiguous: also used by {others}"
                    )
                )


def check_edge_rules(source: str, rec: Record, problems: list[Problem]) -> None:
    """Rules that tie one link's fields together: gauge for rail, opening year if not open."""
    p = rec.props
    mode = p.get("mode")
    if mode == "rail" and p.get("gauge_mm") is None:
        problems.append(Problem(source, rec.label, "gauge_mm", "is required for a rail link"))
    if isinstance(mode, str) and mode != "rail" and p.get("gauge_mm") is not None:
        problems.append(Problem(source, rec.label, "gauge_mm", f"must be null for a {mode} link"))
    status = p.get("status")
    if status in ("under_construction", "planned") and p.get("opens") is None:
        problems.append(
            Problem(source, rec.label, "opens", f"is required when status is {status!r}")
        )
    if isinstance(p.get("from"), str) and p.get("from") == p.get("to"):
        problems.append(Problem(source, rec.label, "to", "link starts and ends at the same hub"))
    top = MAX_SPEED_KMH.get(mode) if isinstance(mode, str) else None
    speed, km, hours = (_positive(p.get(f)) for f in ("speed_kmh", "length_km", "transit_hours"))
    if top is not None and speed is not None and speed > top:
        problems.append(
            Problem(
                source,
                rec.label,
                "speed_kmh",
                f"{speed:g} km/h is faster than anything by {mode} ({top:g} km/h at most)",
            )
        )
    ordinary = _positive(p.get("ordinary_speed_kmh"))
    if ordinary is not None and mode != "rail":
        problems.append(
            Problem(source, rec.label, "ordinary_speed_kmh", f"is for rail links, not {mode}")
        )
    elif ordinary is not None and hours is not None:
        problems.append(
            Problem(
                source,
                rec.label,
                "ordinary_speed_kmh",
                "does not apply to a link with a published transit_hours (which every train "
                "over it takes); give speed_kmh instead",
            )
        )
    elif ordinary is not None and (speed is None or ordinary > speed):
        problems.append(
            Problem(
                source,
                rec.label,
                "ordinary_speed_kmh",
                f"{ordinary:g} km/h needs a published speed_kmh at least as fast "
                f"(the block trains' speed), got {speed}",
            )
        )
    if top is not None and km is not None and hours is not None and km / hours > top:
        problems.append(
            Problem(
                source,
                rec.label,
                "transit_hours",
                f"{hours:g} h over {km:g} km is {km / hours:,.0f} km/h, faster than anything "
                f"by {mode} ({top:g} km/h at most)",
            )
        )


def _positive(x: object) -> float | None:
    """``x`` if it is a finite number > 0, else None (bad values are the field checks')."""
    if isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x > 0:
        return float(x)
    return None


def check_edges_against_nodes(
    source: str,
    edges: Sequence[Record],
    nodes: Mapping[str, Record],
    usable_geometry: Mapping[str, bool],
    problems: list[Problem],
) -> None:
    """Cross-checks: known hubs, modes served, geometry ends and length."""
    known = sorted(nodes)
    for rec in edges:
        p = rec.props
        ends: list[Record | None] = []
        for field in ("from", "to"):
            hub = p.get(field)
            if not isinstance(hub, str):
                ends.append(None)
                continue
            if hub not in nodes:
                close = difflib.get_close_matches(hub, known, n=3)
                hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
                problems.append(Problem(source, rec.label, field, f"unknown hub {hub!r}{hint}"))
                ends.append(None)
            else:
                ends.append(nodes[hub])
        a, b = ends
        mode = p.get("mode")
        for hub_rec in ends:
            if hub_rec is None or mode not in MODES:
                continue
            modes = hub_rec.props.get("modes")
            if isinstance(modes, list | tuple) and mode not in modes:
                problems.append(
                    Problem(
                        source,
                        rec.label,
                        "mode",
                        f"{mode!r} is not among the modes of hub {hub_rec.props['id']!r} "
                        f"({', '.join(map(str, modes))})",
                    )
                )
        if (
            a is None
            or b is None
            or not usable_geometry.get(rec.label, False)
            or not isinstance(a.geometry, Point)
            or not isinstance(b.geometry, Point)
            or a.geometry.is_empty
            or b.geometry.is_empty
        ):
            continue
        _check_ends(source, rec, a, b, problems)


def _check_ends(source: str, rec: Record, a: Record, b: Record, problems: list[Problem]) -> None:
    assert isinstance(rec.geometry, LineString)
    assert isinstance(a.geometry, Point)
    assert isinstance(b.geometry, Point)
    (x0, y0), (x1, y1) = rec.geometry.coords[0][:2], rec.geometry.coords[-1][:2]
    ax, ay, bx, by = a.geometry.x, a.geometry.y, b.geometry.x, b.geometry.y
    d_start, d_end = geodesic_km(x0, y0, ax, ay), geodesic_km(x1, y1, bx, by)
    tol = END_TOLERANCE_KM
    if d_start > tol or d_end > tol:
        if geodesic_km(x0, y0, bx, by) <= tol and geodesic_km(x1, y1, ax, ay) <= tol:
            problems.append(
                Problem(
                    source,
                    rec.label,
                    "geometry",
                    f"runs from {b.props['id']!r} to {a.props['id']!r}, the reverse of "
                    "'from' -> 'to'; reverse the geometry or swap the hubs",
                )
            )
            return
        for end, d, hub in (("start", d_start, a), ("end", d_end, b)):
            if d > tol:
                problems.append(
                    Problem(
                        source,
                        rec.label,
                        "geometry",
                        f"{end} is {d:.1f} km from hub {hub.props['id']!r} "
                        f"(at most {tol:g} km allowed)",
                    )
                )
        return
    length = rec.props.get("length_km")
    if (
        isinstance(length, int | float)
        and not isinstance(length, bool)
        and math.isfinite(length)
        and length > 0
    ):
        direct = geodesic_km(ax, ay, bx, by)
        if length < direct - 2 * tol:
            problems.append(
                Problem(
                    source,
                    rec.label,
                    "length_km",
                    f"{length:g} km is shorter than the {direct:.0f} km straight-line "
                    "distance between its hubs",
                )
            )


def validate_nodes(source: str, records: Sequence[Record]) -> list[Problem]:
    """All problems of a hub file on its own."""
    problems: list[Problem] = []
    for rec in records:
        check_fields(source, rec, NODE_FIELDS, problems)
        country = rec.props.get("country")
        if isinstance(country, str) and country.strip() and not _COUNTRY.match(country):
            problems.append(
                Problem(
                    source,
                    rec.label,
                    "country",
                    f"must be an ISO 3166 alpha-3 code, got {country!r}",
                )
            )
        check_node_geometry(source, rec, problems)
    check_duplicates(source, records, problems)
    check_names(source, records, problems)
    check_clears_for(source, records, problems)
    return problems


def check_clears_for(source: str, records: Sequence[Record], problems: list[Problem]) -> None:
    """Every port an inland port clears for is a seaport of the file."""
    kinds = {r.props.get("id"): r.props.get("kind") for r in records}
    for rec in records:
        ports = rec.props.get("clears_for")
        if not isinstance(ports, list | tuple):
            continue
        for port in ports:
            if port not in kinds:
                problems.append(Problem(source, rec.label, "clears_for", f"unknown hub {port!r}"))
            elif kinds[port] != "seaport":
                problems.append(
                    Problem(
                        source,
                        rec.label,
                        "clears_for",
                        f"{port!r} is a {kinds[port]}, not a seaport",
                    )
                )


def validate_edges(
    source: str, records: Sequence[Record], nodes: Sequence[Record] | None
) -> list[Problem]:
    """All problems of a link file; cross-checked against ``nodes`` when given."""
    problems: list[Problem] = []
    usable: dict[str, bool] = {}
    for rec in records:
        check_fields(source, rec, EDGE_FIELDS, problems)
        check_edge_rules(source, rec, problems)
        usable[rec.label] = check_edge_geometry(source, rec, problems)
    check_duplicates(source, records, problems)
    if nodes is not None:
        by_id: dict[str, Record] = {}
        for n in nodes:
            ident = n.props.get("id")
            if isinstance(ident, str) and ident not in by_id:
                by_id[ident] = n
        check_edges_against_nodes(source, records, by_id, usable, problems)
    return problems
