"""Reading and validating network data: GeoJSON files, other vector files, GeoDataFrames.

:func:`load_network` is the one public entry point: it reads hubs and links, reports every
problem of both files in a single :class:`~corridor.DataError`, and returns an immutable
:class:`~corridor.Network`.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.errors import ShapelyError
from shapely.geometry import shape

from corridor._errors import DataError, Problem
from corridor._schema import EDGE_FIELD_NAMES, EDGE_NUMBERS, NODE_FIELD_NAMES
from corridor._validate import Record, validate_edges, validate_nodes
from corridor.network import Network
from corridor.services import read_services
from corridor.tables import check_border_coverage, read_borders, read_ports

__all__ = ["bundled_data_path", "load_network", "read_records", "validate_paths"]

Role = Literal["nodes", "edges"]
Source: TypeAlias = str | os.PathLike[str] | gpd.GeoDataFrame
ServiceSource: TypeAlias = str | os.PathLike[str] | pd.DataFrame
_WGS84 = CRS.from_epsg(4326)
_JSON_SUFFIXES = {".geojson", ".json"}


def bundled_data_path(name: str) -> Path:
    """Path of a file shipped with the package (``nodes.geojson``, ``edges.geojson`` ...).

    Looks inside the installed package first, then in the ``data/`` folder of a source
    checkout (editable installs).

    Examples
    --------
    >>> bundled_data_path("nodes.geojson").name
    'nodes.geojson'
    """
    packaged = Path(str(resources.files("corridor"))) / "data" / name
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "data" / name
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(
        f"bundled data file {name!r} not found in the package or at {checkout}; "
        "the installation is incomplete"
    )


def _plain(value: Any) -> Any:
    """Turn numpy/pandas scalars and arrays into plain Python values; NaN/NA into None."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _label(props: dict[str, Any], index: int) -> str:
    ident = props.get("id")
    if isinstance(ident, str) and ident.strip():
        return ident
    return f"#{index}"


def _crs_of_member(doc: dict[str, Any], src: str) -> CRS | None:
    """The legacy (pre-RFC 7946) ``crs`` member of a GeoJSON file, if any."""
    member = doc.get("crs")
    if member is None:
        return None
    try:
        name = member["properties"]["name"]
        crs = CRS.from_user_input(name)
    except (KeyError, TypeError, CRSError) as exc:
        raise DataError(
            [Problem(src, None, "crs", f"unreadable CRS member {member!r}: {exc}")]
        ) from None
    return crs


def _to_wgs84(geom: Any, crs: CRS | None) -> Any:
    if crs is None or geom is None or crs.equals(_WGS84, ignore_axis_order=True):
        return geom
    tr = Transformer.from_crs(crs, _WGS84, always_xy=True)
    return shapely.transform(geom, tr.transform, interleaved=False)


def _check_projected(crs: CRS | None, geoms: Sequence[Any], src: str) -> None:
    """A projected CRS (metres) declared on data whose every coordinate lies within
    longitude/latitude bounds is longitude/latitude data mislabelled: reprojecting it
    would put every hub within 200 m of (0, 0)."""
    if crs is None or not crs.is_projected:
        return
    bounds = [g.bounds for g in geoms if g is not None and not g.is_empty]
    if not bounds:
        return
    xs = [b[0] for b in bounds] + [b[2] for b in bounds]
    ys = [b[1] for b in bounds] + [b[3] for b in bounds]
    if max(map(abs, xs)) <= 180.0 and max(map(abs, ys)) <= 90.0:
        raise DataError(
            [
                Problem(
                    src,
                    None,
                    "crs",
                    f"declares the projected {crs.name!r} (coordinates in metres), but every "
                    "coordinate lies within longitude/latitude bounds: longitude/latitude "
                    "data with a wrong CRS? Declare EPSG:4326 or remove the CRS",
                )
            ]
        )


def _read_geojson(path: Path, src: str) -> list[Record]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(src, None, None, "file not found")]) from None
    except IsADirectoryError:
        raise DataError([Problem(src, None, None, "is a directory, not a file")]) from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(
            [Problem(src, None, None, f"not GeoJSON: not UTF-8 text ({exc.reason})")]
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError(
            [
                Problem(
                    src,
                    None,
                    None,
                    f"not GeoJSON: invalid JSON at line {exc.lineno}, "
                    f"column {exc.colno}: {exc.msg}",
                )
            ]
        ) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        got = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise DataError(
            [Problem(src, None, None, f"not GeoJSON: expected a FeatureCollection, got {got!r}")]
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise DataError([Problem(src, None, "features", "not GeoJSON: 'features' must be a list")])
    if not features:
        raise DataError([Problem(src, None, None, "contains no features")])
    crs = _crs_of_member(doc, src)
    records: list[Record] = []
    problems: list[Problem] = []
    for i, feat in enumerate(features):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            problems.append(Problem(src, f"#{i}", None, "is not a GeoJSON Feature object"))
            continue
        props = feat.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            problems.append(Problem(src, f"#{i}", "properties", "must be an object"))
            continue
        label = _label(props, i)
        geom = None
        gj = feat.get("geometry")
        if gj is not None:
            try:
                geom = shape(gj)
            except (
                ShapelyError,
                ValueError,
                TypeError,
                KeyError,
                IndexError,
                AttributeError,
            ) as exc:
                problems.append(
                    Problem(src, label, "geometry", f"is not valid GeoJSON geometry: {exc}")
                )
                continue
        records.append(Record(label, dict(props), geom))
    if problems:
        raise DataError(problems)
    _check_projected(crs, [r.geometry for r in records], src)
    for r in records:
        try:
            r.geometry = _to_wgs84(r.geometry, crs)
        except (ShapelyError, ValueError, TypeError) as exc:
            problems.append(Problem(src, r.label, "geometry", f"cannot be reprojected: {exc}"))
    if problems:
        raise DataError(problems)
    return records


def _records_from_frame(frame: gpd.GeoDataFrame, src: str) -> list[Record]:
    if len(frame) == 0:
        raise DataError([Problem(src, None, None, "contains no features")])
    if frame.crs is not None and not CRS.from_user_input(frame.crs).equals(
        _WGS84, ignore_axis_order=True
    ):
        _check_projected(CRS.from_user_input(frame.crs), list(frame.geometry), src)
        frame = frame.to_crs(_WGS84)
    geom_col = frame.geometry.name
    cols = [c for c in frame.columns if c != geom_col]
    records = []
    for i, (values, geom) in enumerate(
        zip(frame[cols].itertuples(index=False, name=None), frame.geometry, strict=True)
    ):
        props = {c: _plain(v) for c, v in zip(cols, values, strict=True)}
        records.append(Record(_label(props, i), props, geom if geom is not None else None))
    return records


def read_records(source: Source, role: Role) -> tuple[str, list[Record]]:
    """Read one hub or link source into records, without schema validation.

    Parameters
    ----------
    source : path or GeoDataFrame
        A GeoJSON file (read strictly, with a legacy ``crs`` member honoured), any other
        vector file GeoPandas reads, or a GeoDataFrame.
    role : {"nodes", "edges"}
        Used to name in-memory frames in messages.

    Returns
    -------
    name : str
        How problems will name this source.
    records : list of Record
    """
    if isinstance(source, gpd.GeoDataFrame):
        return role, _records_from_frame(source, role)
    if isinstance(source, pd.DataFrame):
        raise DataError(
            [
                Problem(
                    role, None, None, "a DataFrame without geometry was given; pass a GeoDataFrame"
                )
            ]
        )
    if not isinstance(source, str | os.PathLike):
        raise DataError(
            [
                Problem(
                    role,
                    None,
                    None,
                    f"expected a path or GeoDataFrame, got {type(source).__name__}",
                )
            ]
        )
    path = Path(source)
    src = str(path)
    if path.is_dir():
        raise DataError([Problem(src, None, None, "is a directory, not a file")])
    if path.suffix.lower() in _JSON_SUFFIXES or not path.exists():
        try:
            return src, _read_geojson(path, src)
        except RecursionError:
            raise DataError([Problem(src, None, None, "not GeoJSON: nested too deeply")]) from None
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own error types
        raise DataError(
            [Problem(src, None, None, f"cannot be read as vector data: {exc}")]
        ) from None
    if not isinstance(frame, gpd.GeoDataFrame):  # a table without geometry (a CSV, say)
        raise DataError(
            [
                Problem(
                    src,
                    None,
                    None,
                    "has no geometry: give GeoJSON or another vector format GeoPandas reads",
                )
            ]
        )
    return src, _records_from_frame(frame, src)


def _frame(records: Sequence[Record], columns: Sequence[str]) -> gpd.GeoDataFrame:
    extra: list[str] = []
    for r in records:
        extra.extend(k for k in r.props if k not in columns and k not in extra and k != "geometry")
    rows = []
    for r in records:
        row = {c: r.props.get(c) for c in (*columns, *extra)}
        for k, v in row.items():
            if isinstance(v, list):
                row[k] = tuple(v)
        rows.append(row)
    df = pd.DataFrame(rows, columns=[*columns, *extra])
    gdf = gpd.GeoDataFrame(df, geometry=[r.geometry for r in records], crs=_WGS84)
    return gdf.set_index("id", drop=False).rename_axis(None)


def build_network(
    nodes: tuple[str, list[Record]] | None,
    edges: tuple[str, list[Record]] | None,
    read_problems: Sequence[Problem] = (),
    services: ServiceSource | None = None,
    borders: ServiceSource | None = None,
    ports: ServiceSource | None = None,
) -> Network:
    """Validate the records of both files together and build the Network.

    Raises one DataError with the problems met while reading plus every schema problem of
    whichever sources could be read.
    """
    problems = list(read_problems)
    if nodes is not None:
        problems += validate_nodes(*nodes)
    if edges is not None:
        problems += validate_edges(edges[0], edges[1], nodes[1] if nodes is not None else None)
    if problems or nodes is None or edges is None:
        raise DataError(problems)
    node_frame = _frame(nodes[1], NODE_FIELD_NAMES)
    edge_frame = _frame(edges[1], EDGE_FIELD_NAMES)
    node_frame["aliases"] = [v if isinstance(v, tuple) else () for v in node_frame["aliases"]]
    clears = node_frame["clears_for"] if "clears_for" in node_frame else [None] * len(node_frame)
    node_frame["clears_for"] = [v if isinstance(v, tuple) else () for v in clears]
    edge_frame["corridors"] = [v if isinstance(v, tuple) else () for v in edge_frame["corridors"]]
    for col in ("gauge_mm", "opens"):
        edge_frame[col] = pd.array(
            [None if pd.isna(v) else int(v) for v in edge_frame[col]], dtype="Int64"
        )
    for col in EDGE_NUMBERS:
        edge_frame[col] = edge_frame[col].astype(float)
    table = None if services is None else read_services(services, node_frame, edge_frame)
    border_table = None if borders is None else read_borders(borders, node_frame)
    port_table = None if ports is None else read_ports(ports, node_frame)
    if border_table is not None:
        check_border_coverage(border_table, node_frame, edge_frame)
    return Network(node_frame, edge_frame, table, border_table, port_table)


def _read_and_build(
    nodes: Source,
    edges: Source,
    services: ServiceSource | None = None,
    borders: ServiceSource | None = None,
    ports: ServiceSource | None = None,
) -> Network:
    read: list[tuple[str, list[Record]] | None] = []
    problems: list[Problem] = []
    for source, role in ((nodes, "nodes"), (edges, "edges")):
        try:
            read.append(read_records(source, role))  # type: ignore[arg-type]
        except DataError as exc:
            problems.extend(exc.problems)
            read.append(None)
    return build_network(read[0], read[1], problems, services, borders, ports)


@lru_cache(maxsize=1)
def _bundled() -> Network:
    return _read_and_build(
        bundled_data_path("nodes.geojson"),
        bundled_data_path("edges.geojson"),
        bundled_data_path("services.json"),
        bundled_data_path("borders.json"),
        bundled_data_path("ports.json"),
    )


def load_network(
    nodes: Source | None = None,
    edges: Source | None = None,
    *,
    services: ServiceSource | None = None,
) -> Network:
    """Load and validate a corridor network.

    Parameters
    ----------
    nodes, edges : path or GeoDataFrame, optional
        Hubs (points) and links (line strings). Either may be left out to use the bundled
        file of that kind. Data in another CRS is reprojected to EPSG:4326.
    services : path (.csv or .json) or DataFrame, optional
        Scheduled services on those links (see :func:`corridor.services.read_services`).
        The bundled services come with the bundled links; a network built from another
        links file has none unless given (then every rail, sea, river and air link is run
        unscheduled, at the cost model's default frequency).

    Returns
    -------
    Network
        Immutable; the bundled network is read once per process and shared.

    Raises
    ------
    DataError
        Listing every problem of both sources, each naming the file, feature and field.

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> net.hub("Guiyang").country
    'CHN'
    """
    if nodes is None and edges is None and services is None:
        return _bundled()
    bundled_tables: tuple[Path | None, Path | None] = (None, None)
    if edges is None:  # the bundled services and borders belong to the bundled links
        if services is None:
            services = bundled_data_path("services.json")
        if nodes is None:
            bundled_tables = (bundled_data_path("borders.json"), bundled_data_path("ports.json"))
    return _read_and_build(
        nodes if nodes is not None else bundled_data_path("nodes.geojson"),
        edges if edges is not None else bundled_data_path("edges.geojson"),
        services,
        *bundled_tables,
    )


def _role_of(records: Sequence[Record]) -> Role:
    """Links carry 'from'/'to' and line geometry; anything else is taken for hubs."""
    votes = sum(
        1
        for r in records
        if "from" in r.props
        or "to" in r.props
        or (r.geometry is not None and r.geometry.geom_type == "LineString")
    )
    return "edges" if votes * 2 > len(records) else "nodes"


def validate_paths(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Problem], list[str]]:
    """Validate hub and link files the way ``corridor validate`` does.

    Each path is a file (its role, hubs or links, is told from its content) or a folder
    holding ``nodes.geojson`` and ``edges.geojson``. Links are cross-checked against the
    hub files given, or against the bundled hubs when none is given.

    Returns
    -------
    problems : list of Problem
        Every problem found, in file order.
    notes : list of str
        What was checked, one line per file.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = [p / "nodes.geojson", p / "edges.geojson"]
            missing = [f for f in found if not f.is_file()]
            for f in missing:
                problems.append(Problem(str(p), None, None, f"folder has no {f.name}"))
            files.extend(f for f in found if f.is_file())
        else:
            files.append(p)
    nodes: list[tuple[str, list[Record]]] = []
    edges: list[tuple[str, list[Record]]] = []
    for f in files:
        try:
            src, recs = read_records(f, "nodes")
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        (edges if _role_of(recs) == "edges" else nodes).append((src, recs))
    notes: list[str] = []
    all_nodes: list[Record] = [r for _, recs in nodes for r in recs]
    for src, recs in nodes:
        problems += validate_nodes(src, recs)
        notes.append(f"{src}: {len(recs)} hubs")
    if edges and not nodes:
        _, all_nodes = read_records(bundled_data_path("nodes.geojson"), "nodes")
        notes.append("links checked against the bundled hubs (no hub file given)")
    for src, recs in edges:
        problems += validate_edges(src, recs, all_nodes)
        notes.append(f"{src}: {len(recs)} links")
    return problems, notes
