"""Every bad-input case gets a DataError naming the file, the feature and the field."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

import corridor as cr
from corridor import DataError

Json = dict[str, Any]
Change = Callable[[Json, Json], None]


def _props(fc: Json, ident: str) -> Json:
    return next(f["properties"] for f in fc["features"] if f["properties"]["id"] == ident)


def _feature(fc: Json, ident: str) -> Json:
    return next(f for f in fc["features"] if f["properties"]["id"] == ident)


def _load_error(paths: tuple[Path, Path]) -> DataError:
    with pytest.raises(DataError) as info:
        cr.load_network(*paths)
    assert isinstance(info.value, ValueError)
    return info.value


def test_tiny_network_is_valid(tiny: tuple[Json, Json], write: Callable[..., Path]) -> None:
    net = cr.load_network(write(tiny[0], "n.geojson"), write(tiny[1], "e.geojson"))
    assert len(net.nodes) == 3
    assert len(net.edges) == 2


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (
            lambda n, e: _props(n, "beta").pop("kind"),
            r"nodes\.geojson: feature 'beta': field 'kind': is missing",
        ),
        (
            lambda n, e: _props(e, "ab").pop("length_km"),
            r"feature 'ab': field 'length_km': is missing",
        ),
        (
            lambda n, e: _props(e, "ab").update(source=None),
            r"feature 'ab': field 'source': must not be null",
        ),
        (
            lambda n, e: _props(e, "ab").update(length_km="120"),
            r"feature 'ab': field 'length_km': must be a number, got str",
        ),
        (
            lambda n, e: _props(n, "alpha").update(aliases="A;B"),
            r"feature 'alpha': field 'aliases': must be a list of strings",
        ),
        (
            lambda n, e: _props(e, "ac").update(bidirectional="yes"),
            r"feature 'ac': field 'bidirectional': must be true or false",
        ),
        (
            lambda n, e: _props(e, "ab").update(opens=2021.5),
            r"feature 'ab': field 'opens': must be a whole number",
        ),
        (
            lambda n, e: _props(n, "beta").update(country="China"),
            r"feature 'beta': field 'country': must be an ISO 3166 alpha-3 code",
        ),
    ],
    ids=[
        "missing-kind",
        "missing-length",
        "null-source",
        "length-as-text",
        "aliases-not-list",
        "bidirectional-not-bool",
        "opens-not-integer",
        "country-not-iso3",
    ],
)
def test_missing_or_wrongly_typed_fields(
    broken: Callable[[Change], tuple[Path, Path]], change: Change, pattern: str
) -> None:
    exc = _load_error(broken(change))
    assert any(p.feature for p in exc.problems)
    with pytest.raises(DataError, match=pattern):
        raise exc


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (
            lambda n, e: _props(e, "ab").update(mode="hyperloop"),
            r"feature 'ab': field 'mode': unknown value 'hyperloop'",
        ),
        (
            lambda n, e: _props(n, "beta").update(kind="spaceport"),
            r"feature 'beta': field 'kind': unknown value 'spaceport'",
        ),
        (
            lambda n, e: _props(n, "beta").update(modes=["rail", "teleport"]),
            r"feature 'beta': field 'modes': unknown value 'teleport'",
        ),
        (
            lambda n, e: _props(e, "ab").update(status="dreamt"),
            r"feature 'ab': field 'status': unknown value 'dreamt'",
        ),
        (
            lambda n, e: _props(e, "ab").update(gauge_mm=1600),
            r"feature 'ab': field 'gauge_mm': unknown value 1600",
        ),
    ],
    ids=["mode", "kind", "modes", "status", "gauge"],
)
def test_unknown_values(
    broken: Callable[[Change], tuple[Path, Path]], change: Change, pattern: str
) -> None:
    with pytest.raises(DataError, match=pattern):
        cr.load_network(*broken(change))


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        ("length_km", -3.0, r"must be > 0, got -3\.0"),
        ("length_km", 0, r"must be > 0, got 0"),
        ("speed_kmh", 0.0, r"must be > 0"),
        ("speed_kmh", -60.0, r"must be > 0"),
        ("tariff_usd_per_teu_km", 0.0, r"must be > 0"),
        ("transit_hours", -1.0, r"must be > 0"),
    ],
)
def test_negative_or_zero_link_numbers(
    broken: Callable[[Change], tuple[Path, Path]], field: str, value: float, pattern: str
) -> None:
    paths = broken(lambda n, e: _props(e, "ab").update({field: value}))
    with pytest.raises(DataError, match=rf"feature 'ab': field '{field}': {pattern}"):
        cr.load_network(*paths)


@pytest.mark.parametrize(
    "field", ["handling_usd", "dwell_hours", "crossing_hours", "crossing_usd", "gauge_change_usd"]
)
def test_negative_hub_costs(broken: Callable[[Change], tuple[Path, Path]], field: str) -> None:
    paths = broken(lambda n, e: _props(n, "beta").update({field: -5.0}))
    with pytest.raises(
        DataError, match=rf"feature 'beta': field '{field}': must be >= 0, got -5\.0"
    ):
        cr.load_network(*paths)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_a_file(
    tiny: tuple[Json, Json], write: Callable[..., Path], token: str
) -> None:
    text = json.dumps(tiny[1]).replace('"length_km": 120.0', f'"length_km": {token}')
    assert token in text
    with pytest.raises(DataError, match=r"feature 'ab': field 'length_km': must be finite"):
        cr.load_network(write(tiny[0], "n.geojson"), write(text, "e.geojson"))


def test_non_finite_numbers_in_a_geodataframe(tiny: tuple[Json, Json]) -> None:
    edges = gpd.GeoDataFrame.from_features(tiny[1]["features"], crs=4326)
    edges["id"] = ["ab", "ac"]
    edges.loc[1, "speed_kmh"] = math.inf
    nodes = gpd.GeoDataFrame.from_features(tiny[0]["features"], crs=4326)
    with pytest.raises(DataError, match=r"edges: feature 'ac': field 'speed_kmh': must be finite"):
        cr.load_network(nodes, edges)


def test_duplicate_ids(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    def change(n: Json, e: Json) -> None:
        _props(n, "gamma")["id"] = "beta"
        _props(e, "ac")["id"] = "ab"
        _props(e, "ab")["to"] = "beta"

    exc = _load_error(broken(change))
    text = str(exc)
    assert "nodes.geojson: feature 'beta': field 'id': duplicate id: used by 2 features" in text
    assert "edges.geojson: feature 'ab': field 'id': duplicate id: used by 2 features" in text


def test_edge_to_unknown_hub_suggests_names(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(lambda n, e: _props(e, "ab").update(to="betta"))
    with pytest.raises(
        DataError, match=r"feature 'ab': field 'to': unknown hub 'betta'; did you mean 'beta'"
    ):
        cr.load_network(*paths)


def test_mode_not_served_by_hub(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(lambda n, e: _props(n, "beta").update(modes=["road"]))
    with pytest.raises(
        DataError, match=r"feature 'ab': field 'mode': 'rail' is not among the modes of hub 'beta'"
    ):
        cr.load_network(*paths)


def test_self_loop(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    def change(n: Json, e: Json) -> None:
        f = _feature(e, "ab")
        f["properties"]["to"] = "alpha"
        f["geometry"]["coordinates"] = [[106.0, 26.0], [106.3, 26.2], [106.0, 26.0]]

    with pytest.raises(
        DataError, match=r"feature 'ab': field 'to': link starts and ends at the same hub"
    ):
        cr.load_network(*broken(change))


def test_gauge_rules(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    def change(n: Json, e: Json) -> None:
        _props(e, "ab")["gauge_mm"] = None
        _props(e, "ac")["gauge_mm"] = 1435

    text = str(_load_error(broken(change)))
    assert "feature 'ab': field 'gauge_mm': is required for a rail link" in text
    assert "feature 'ac': field 'gauge_mm': must be null for a road link" in text


def test_opening_year_required_unless_operational(
    broken: Callable[[Change], tuple[Path, Path]],
) -> None:
    paths = broken(lambda n, e: _props(e, "ab").update(status="under_construction"))
    with pytest.raises(
        DataError,
        match=r"feature 'ab': field 'opens': is required when status is 'under_construction'",
    ):
        cr.load_network(*paths)


def test_geometry_end_far_from_hub(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(
        lambda n, e: _feature(e, "ab")["geometry"].update(
            coordinates=[[106.0, 26.0], [107.2, 26.0]]
        )
    )
    with pytest.raises(
        DataError,
        match=r"feature 'ab': field 'geometry': end is 2\d\.\d km from hub 'beta' \(at most 5 km allowed\)",
    ):
        cr.load_network(*paths)


def test_geometry_reversed(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(
        lambda n, e: _feature(e, "ab")["geometry"].update(
            coordinates=[[107.0, 26.0], [106.0, 26.0]]
        )
    )
    with pytest.raises(
        DataError, match=r"feature 'ab': field 'geometry': runs from 'beta' to 'alpha', the reverse"
    ):
        cr.load_network(*paths)


def test_length_shorter_than_straight_line(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(lambda n, e: _props(e, "ab").update(length_km=12.0))
    with pytest.raises(
        DataError,
        match=r"feature 'ab': field 'length_km': 12 km is shorter than the 100 km straight-line",
    ):
        cr.load_network(*paths)


@pytest.mark.parametrize(
    ("geometry", "pattern"),
    [
        ({"type": "LineString", "coordinates": []}, r"field 'geometry': is empty"),
        (
            {"type": "LineString", "coordinates": [[106.0, 26.0], [106.0, 26.0]]},
            r"field 'geometry': is invalid: needs two or more distinct points",
        ),
        (
            {"type": "Point", "coordinates": [106.0, 26.0]},
            r"field 'geometry': must be a LineString, got Point",
        ),
        (
            {"type": "LineString", "coordinates": [[106.0]]},
            r"field 'geometry': is not valid GeoJSON geometry",
        ),
        (None, r"field 'geometry': is missing"),
        (
            {"type": "LineString", "coordinates": [[600000.0, 2900000.0], [700000.0, 2900000.0]]},
            r"field .geometry.: coordinate .* is outside longitude/latitude range",
        ),
    ],
    ids=["empty", "degenerate", "wrong-type", "malformed", "missing", "projected-coords"],
)
def test_invalid_or_empty_edge_geometry(
    broken: Callable[[Change], tuple[Path, Path]], geometry: Json | None, pattern: str
) -> None:
    paths = broken(lambda n, e: _feature(e, "ab").update(geometry=geometry))
    with pytest.raises(DataError, match=rf"feature 'ab': {pattern}"):
        cr.load_network(*paths)


def test_invalid_node_geometry(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(
        lambda n, e: _feature(n, "gamma").update(geometry={"type": "Point", "coordinates": []})
    )
    with pytest.raises(DataError, match=r"feature 'gamma': field 'geometry': is empty"):
        cr.load_network(*paths)


def test_empty_file(tiny: tuple[Json, Json], write: Callable[..., Path]) -> None:
    empty = write({"type": "FeatureCollection", "features": []}, "empty.geojson")
    with pytest.raises(DataError, match=r"empty\.geojson: contains no features"):
        cr.load_network(write(tiny[0], "n.geojson"), empty)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("id,name\nx,y\n", r"not GeoJSON: invalid JSON at line 1, column 1"),
        ("[1, 2, 3]", r"not GeoJSON: expected a FeatureCollection, got 'list'"),
        ('{"type": "Feature"}', r"not GeoJSON: expected a FeatureCollection, got 'Feature'"),
        (
            '{"type": "FeatureCollection", "features": {}}',
            r"field 'features': not GeoJSON: 'features' must be a list",
        ),
        (
            '{"type": "FeatureCollection", "features": [1]}',
            r"feature #0: is not a GeoJSON Feature object",
        ),
        ("", r"not GeoJSON: invalid JSON"),
    ],
    ids=["csv", "array", "single-feature", "features-not-list", "feature-not-object", "zero-bytes"],
)
def test_file_that_is_not_geojson(
    tiny: tuple[Json, Json], write: Callable[..., Path], text: str, pattern: str
) -> None:
    with pytest.raises(DataError, match=r"bad\.geojson: " + pattern):
        cr.load_network(write(tiny[0], "n.geojson"), write(text, "bad.geojson"))


def test_binary_file_is_not_geojson(
    tiny: tuple[Json, Json], tmp_path: Path, write: Callable[..., Path]
) -> None:
    path = tmp_path / "bin.geojson"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(DataError, match=r"bin\.geojson: not GeoJSON: not UTF-8 text"):
        cr.load_network(write(tiny[0], "n.geojson"), path)


def test_missing_file(tiny: tuple[Json, Json], write: Callable[..., Path], tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nope\.geojson: file not found"):
        cr.load_network(write(tiny[0], "n.geojson"), tmp_path / "nope.geojson")


def test_every_problem_is_reported_at_once(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    def change(n: Json, e: Json) -> None:
        _props(n, "alpha")["kind"] = "spaceport"
        _props(n, "beta")["handling_usd"] = -1
        _props(e, "ab")["length_km"] = -1
        _props(e, "ac")["mode"] = "hyperloop"
        _props(e, "ac")["to"] = "nowhere"

    exc = _load_error(broken(change))
    located = {(p.feature, p.field) for p in exc.problems}
    assert {
        ("alpha", "kind"),
        ("beta", "handling_usd"),
        ("ab", "length_km"),
        ("ac", "mode"),
        ("ac", "to"),
    } <= located
    assert str(exc).startswith(f"{len(exc.problems)} problems in the network data:")


def test_problems_of_both_files_together(
    tiny: tuple[Json, Json], write: Callable[..., Path]
) -> None:
    nodes = write("not json", "n.geojson")
    edges = write({"type": "FeatureCollection", "features": []}, "e.geojson")
    exc = _load_error((nodes, edges))
    assert [p.source.rsplit("/", 1)[-1] for p in exc.problems] == ["n.geojson", "e.geojson"]


def test_ambiguous_alias(broken: Callable[[Change], tuple[Path, Path]]) -> None:
    paths = broken(lambda n, e: _props(n, "gamma").update(aliases=["alpha town"]))
    with pytest.raises(
        DataError,
        match=r"feature 'gamma': field 'aliases': name 'alphatown' is ambiguous: also used by 'alpha'",
    ):
        cr.load_network(*paths)


def test_unlabelled_feature_is_named_by_position(
    broken: Callable[[Change], tuple[Path, Path]],
) -> None:
    paths = broken(lambda n, e: _props(n, "gamma").pop("id"))
    with pytest.raises(DataError, match=r"nodes\.geojson: feature #2: field 'id': is missing"):
        cr.load_network(*paths)


def test_geodataframes_in_another_crs_are_reprojected(tiny: tuple[Json, Json]) -> None:
    nodes = gpd.GeoDataFrame.from_features(tiny[0]["features"], crs=4326).to_crs(3857)
    edges = gpd.GeoDataFrame.from_features(tiny[1]["features"], crs=4326).to_crs(3857)
    net = cr.load_network(nodes, edges)
    assert net.nodes.crs.to_epsg() == 4326
    assert net.hub("beta").lon == pytest.approx(107.0)


def test_legacy_crs_member_is_honoured(tiny: tuple[Json, Json], write: Callable[..., Path]) -> None:
    projected = gpd.GeoDataFrame.from_features(tiny[0]["features"], crs=4326).to_crs(32648)
    doc = json.loads(projected.to_json())
    doc["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}}
    net = cr.load_network(write(doc, "n.geojson"), write(tiny[1], "e.geojson"))
    assert net.hub("gamma").lat == pytest.approx(27.0)


def test_unreadable_crs_member(tiny: tuple[Json, Json], write: Callable[..., Path]) -> None:
    doc = dict(tiny[0], crs={"type": "name", "properties": {"name": "EPSG:not-a-code"}})
    with pytest.raises(DataError, match=r"n\.geojson: field 'crs': unreadable CRS member"):
        cr.load_network(write(doc, "n.geojson"), write(tiny[1], "e.geojson"))


def test_other_vector_formats(tiny: tuple[Json, Json], tmp_path: Path) -> None:
    nodes = gpd.GeoDataFrame.from_features(tiny[0]["features"], crs=4326)
    edges = gpd.GeoDataFrame.from_features(tiny[1]["features"], crs=4326)
    # GeoPackage has no list type: keep list fields as they must be, in GeoJSON, for edges
    path = tmp_path / "nodes.gpkg"
    nodes.drop(columns=["aliases", "modes"]).to_file(path)
    with pytest.raises(DataError, match=r"nodes\.gpkg: feature 'alpha': field 'modes': is missing"):
        cr.load_network(path, edges)


def test_unreadable_vector_file(tiny: tuple[Json, Json], tmp_path: Path) -> None:
    path = tmp_path / "nodes.shp"
    path.write_bytes(b"not a shapefile")
    with pytest.raises(DataError, match=r"nodes\.shp: cannot be read as vector data"):
        cr.load_network(path, gpd.GeoDataFrame.from_features(tiny[1]["features"], crs=4326))


def test_wrong_argument_types() -> None:
    with pytest.raises(DataError, match=r"nodes: expected a path or GeoDataFrame, got int"):
        cr.load_network(42)  # type: ignore[arg-type]
    import pandas as pd

    with pytest.raises(DataError, match=r"edges: a DataFrame without geometry"):
        cr.load_network(None, pd.DataFrame({"id": ["x"]}))


def test_extra_properties_are_kept(tiny: tuple[Json, Json], write: Callable[..., Path]) -> None:
    tiny[1]["features"][0]["properties"]["operator"] = "CR Kunming"
    net = cr.load_network(write(tiny[0], "n.geojson"), write(tiny[1], "e.geojson"))
    assert net.edges.loc["ab", "operator"] == "CR Kunming"
    assert net.edges.loc["ac", "operator"] is None or math.isnan(net.edges.loc["ac", "operator"])


def test_geometry_objects_kept_exactly(tiny: tuple[Json, Json]) -> None:
    nodes = gpd.GeoDataFrame.from_features(tiny[0]["features"], crs=4326)
    edges = gpd.GeoDataFrame.from_features(tiny[1]["features"], crs=4326)
    net = cr.load_network(nodes, edges)
    assert net.edges.loc["ab"].geometry.equals(LineString([(106, 26), (107, 26)]))
    assert net.nodes.loc["alpha"].geometry.equals(Point(106, 26))
