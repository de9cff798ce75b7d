"""Bad input through every public entry point of the library: each is refused with a
CorridorError subclass (a DataError for bad values) that names the parameter, field or
feature, never a raw exception from deep inside, and never a silent wrong answer.

The command line has its own suite (``test_fuzz_cli.py``); faults (dying workers, the
workqueue threading layer) are in ``test_faults.py``.
"""

from __future__ import annotations

import contextlib
import copy
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor as cr
from corridor import CorridorError, DataError, NodeNotFound

Json = dict[str, Any]
#: a hub name with everything a renderer might execute: HTML, Rich markup, TeX
EVIL = "<script>alert(1)</script> [/x] [link=http://evil.example]y[/link] $\\frac{a$ 100%"


def _raises(call: Callable[[], object], kind: type[Exception], *words: str) -> str:
    with pytest.raises(kind) as info:
        call()
    message = str(info.value)
    for w in words:
        assert w in message, (w, message)
    return message


# ------------------------------------------------------------------ silent wrong answers


def test_a_string_false_is_not_false(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"name": "x", "open_planned": "false"}]), encoding="utf-8")
    _raises(lambda: cr.load_scenarios(path), DataError, "open_planned", "True or False", "'x'")
    _raises(lambda: cr.Scenario("x", inland_clearance="no"), DataError, "inland_clearance")


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("length_km", 1e308, ("length_km", "must be <= 20040")),
        ("transit_hours", 1e308, ("transit_hours", "must be <= 8760")),
        ("transit_hours", 0.001, ("transit_hours", "km/h, faster than anything by rail")),
        ("speed_kmh", 900.0, ("speed_kmh", "faster than anything by rail (160 km/h")),
        ("tariff_usd_per_teu_km", 1e300, ("tariff_usd_per_teu_km", "must be <= 100")),
    ],
)
def test_links_must_be_physical(
    broken: Callable[..., tuple[Path, Path]], field: str, value: float, words: tuple[str, ...]
) -> None:
    def change(nodes: Json, edges: Json) -> None:
        edges["features"][0]["properties"][field] = value

    _raises(lambda: cr.load_network(*broken(change)), DataError, "feature 'ab'", *words)


@pytest.mark.parametrize(
    ("edge", "props", "words"),
    [
        (0, {"speed_kmh": 50.0, "ordinary_speed_kmh": 500.0}, ("must be <= 160",)),
        (0, {"speed_kmh": 50.0, "ordinary_speed_kmh": "40"}, ("ordinary_speed_kmh", "'40'")),
        (0, {"speed_kmh": 50.0, "ordinary_speed_kmh": float("nan")}, ("ordinary_speed_kmh",)),
        (0, {"ordinary_speed_kmh": 40.0}, ("needs a published speed_kmh", "got None")),
        (0, {"speed_kmh": 30.0, "ordinary_speed_kmh": 40.0}, ("at least as fast", "got 30")),
        (1, {"speed_kmh": 50.0, "ordinary_speed_kmh": 40.0}, ("is for rail links, not road",)),
        (
            0,
            {"speed_kmh": 50.0, "transit_hours": 3.0, "ordinary_speed_kmh": 40.0},
            ("does not apply to a link with a published transit_hours",),
        ),
    ],
)
def test_an_ordinary_train_speed_is_checked(
    broken: Callable[..., tuple[Path, Path]], edge: int, props: Json, words: tuple[str, ...]
) -> None:
    def change(nodes: Json, edges: Json) -> None:
        edges["features"][edge]["properties"].update(props)

    name = ("ab", "ac")[edge]
    message = _raises(
        lambda: cr.load_network(*broken(change)), DataError, f"feature {name!r}", *words
    )
    assert "ordinary_speed_kmh" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ordinary_speed_kmh", 0.0),
        ("speed_kmh", "40"),
        ("length_km", -5.0),
        ("transit_hours", float("inf")),
        ("tariff_usd_per_teu_km", True),
    ],
)
def test_a_network_built_from_frames_refuses_bad_link_figures(
    net: cr.Network, field: str, value: object
) -> None:
    """cr.Network(...) from data frames skips the file checks; a figure a search divides by
    is still refused by name (a 0 km/h was a ZeroDivisionError, a string "40" passed)."""
    edges = net.edges
    edges[field] = edges[field].astype(object)
    edges.loc["r_lanzhou_urumqi", field] = value
    bad = cr.Network(net.nodes, edges, net.services, net.borders, net.ports)
    _raises(
        lambda: cr.route(bad, "Lanzhou", "Urumqi", modes=["rail"]),
        DataError,
        "feature 'r_lanzhou_urumqi'",
        f"field '{field}'",
        "must be a finite number > 0",
    )


@pytest.mark.parametrize("field", ["crossing_hours", "dwell_hours", "handling_usd"])
def test_hub_figures_must_be_physical(broken: Callable[..., tuple[Path, Path]], field: str) -> None:
    def change(nodes: Json, edges: Json) -> None:
        nodes["features"][1]["properties"][field] = 1e308

    _raises(lambda: cr.load_network(*broken(change)), DataError, "feature 'beta'", field)


def test_a_projected_crs_on_longitude_latitude_is_refused(
    tiny: tuple[Json, Json], write: Callable[..., Path]
) -> None:
    nodes, edges = copy.deepcopy(tiny)
    nodes["crs"] = {"type": "name", "properties": {"name": "EPSG:3857"}}
    _raises(
        lambda: cr.load_network(write(nodes, "n.geojson"), write(edges, "e.geojson")),
        DataError,
        "field 'crs'",
        "longitude/latitude",
    )
    import geopandas as gpd

    gdf = gpd.GeoDataFrame.from_features(tiny[0]["features"], crs="EPSG:3857")
    edf = gpd.GeoDataFrame.from_features(tiny[1]["features"], crs="EPSG:4326")
    _raises(lambda: cr.load_network(gdf, edf), DataError, "crs", "longitude/latitude")


def test_zero_tries_is_not_an_empty_answer(net: cr.Network) -> None:
    _raises(
        lambda: cr.alternatives(net, "Guiyang", "Kunming", max_tries=0),
        DataError,
        "max_tries must be >= 1",
    )


# ------------------------------------------------------------ errors that name the culprit


def test_huge_figures_are_refused_where_they_enter(net: cr.Network) -> None:
    _raises(
        lambda: cr.Scenario("slow", border_hours={"Mohan": 1e308}),
        DataError,
        "Scenario 'slow'",
        "border_hours['Mohan']",
        "at most 8760",
    )
    _raises(lambda: cr.CostModel(transfer_hours=1e300), DataError, "CostModel.transfer_hours")
    big = cr.CostModel().tariff_usd_per_teu_km.replace(rail=1e308)
    _raises(
        lambda: cr.CostModel(tariff_usd_per_teu_km=big),
        DataError,
        "CostModel.tariff_usd_per_teu_km.rail must be at most 100",
    )


# ---------------------------------------------------------------- wrong exception classes


def _api_cases(net: cr.Network) -> list[tuple[str, Callable[[], object], str]]:
    g, k = "Guiyang", "Kunming"
    r = cr.route(net, g, k)
    return [
        ("via=5", lambda: cr.route(net, g, k, via=5), "via"),
        ("via=[5]", lambda: cr.route(net, g, k, via=[5]), "via[0]"),
        ("a string for a Network", lambda: cr.route("net", g, k), "net must be a corridor.Network"),
        ("origin=5", lambda: cr.route(net, 5, k), "origin must be a hub name"),
        ("by=5", lambda: cr.route(net, g, k, by=5), "by=5"),
        ("modes=5", lambda: cr.route(net, g, k, modes=5), "modes"),
        ("avoid=5", lambda: cr.route(net, g, k, avoid=5), "avoid"),
        ("depart=5", lambda: cr.route(net, g, k, depart=5), "depart"),
        ("costs={}", lambda: cr.route(net, g, k, costs={"rail": 1}), "costs must be"),
        ("scenario=str", lambda: cr.route(net, g, k, scenario="suez_closed"), "scenario must"),
        ("seed='abc'", lambda: cr.sensitivity(net, g, k, samples=5, seed="abc"), "seed"),
        ("seed=-1", lambda: cr.sensitivity(net, g, k, samples=5, seed=-1), "seed must be >= 0"),
        (
            "vary strings",
            lambda: cr.sensitivity(net, g, k, samples=5, vary={"tariff.rail": ("0.1", "0.2")}),
            "vary['tariff.rail'] low must be a number",
        ),
        ("max_routes=2.5", lambda: cr.pareto(net, g, k, max_routes=2.5), "max_routes"),
        ("criteria='usd'", lambda: cr.pareto(net, g, k, criteria="usd"), "criteria"),
        ("max_overlap='0.5'", lambda: cr.alternatives(net, g, k, max_overlap="0.5"), "max_overlap"),
        ("n=2.0", lambda: cr.alternatives(net, g, k, n=2.0), "n must be a whole number"),
        ("k='3'", lambda: cr.k_shortest(net, g, k, "3"), "k must be a whole number"),
        ("origins=5", lambda: cr.route_matrix(net, 5, [k]), "origins"),
        ("corridors=5", lambda: cr.compare(net, g, k, corridors=5), "corridors"),
        ("scenarios='x'", lambda: cr.compare_scenarios(net, g, k, "x"), "scenarios"),
        (
            "PerMode str",
            lambda: cr.PerMode(rail="1", road=1, sea=1, inland_waterway=1, air=1),
            "PerMode.rail must be a finite number, got '1'",
        ),
        ("costs speed dict", lambda: cr.CostModel(speed_kmh={"rail": 1}), "must be a PerMode"),
        ("close=5", lambda: cr.Scenario("x", close=5), "close"),
        ("load_scenarios(5)", lambda: cr.load_scenarios(5), "path"),
        ("explore('r')", lambda: cr.explore("r"), "routes"),
        ("plot_route('r')", lambda: cr.plot_route("r"), "route must be a corridor.Route"),
        ("plot_routes labels", lambda: cr.plot_routes([r], labels=[5]), "labels[0]"),
        ("plot_comparison('x')", lambda: cr.plot_comparison("x"), "compare()"),
        ("plot_tradeoff(frame)", lambda: cr.plot_tradeoff(pd.DataFrame({"a": [1]})), "lacks"),
        ("plot_sensitivity('x')", lambda: cr.plot_sensitivity("x"), "SensitivityResult"),
        ("plot_network by", lambda: cr.plot_network(net, by=5), "by=5"),
        ("hub_id(None)", lambda: net.hub_id(None), "a hub is named by a string"),
        (
            "depart in year 9999",
            lambda: cr.route(net, g, k, modes=["rail"], depart="9999-12-31T23:00"),
            "depart must fall in the years 1900-2200",
        ),
        ("load_corridors(dir)", lambda: cr.load_corridors(Path(".")), "is a directory"),
        (
            "csgraph indices='a'",
            lambda: cr.csgraph.dijkstra(np.array([[0, 1], [0, 0]]), indices="a"),
            "indices must be node numbers",
        ),
        (
            "csgraph limit='x'",
            lambda: cr.csgraph.dijkstra(np.array([[0, 1], [0, 0]]), limit="x"),
            "limit must be a number",
        ),
    ]


def test_every_bad_argument_is_a_corridor_error_naming_it(net: cr.Network) -> None:
    import matplotlib

    matplotlib.use("Agg")
    for label, call, words in _api_cases(net):
        with pytest.raises(CorridorError) as info:
            call()
        assert words in str(info.value), (label, str(info.value))
        assert isinstance(info.value, DataError | NodeNotFound), label


def test_none_means_nothing_for_every_list_argument(net: cr.Network) -> None:
    base = cr.route(net, "Guiyang", "Kunming")
    assert cr.route(net, "Guiyang", "Kunming", avoid=None, via=None).path == base.path


def test_a_string_is_one_name_not_its_letters(net: cr.Network) -> None:
    one = cr.compare(net, "Guiyang", "Kunming", corridors="china_laos")
    assert list(one.index) == ["best", "china_laos"]
    via = cr.route(net, "Guiyang", "Vientiane", via="Kunming")
    assert "kunming" in via.hubs


# --------------------------------------------------------------------------- injection


def _evil_network(write: Callable[..., Path], factory: Any) -> cr.Network:
    node, edge = factory
    a = node("alpha", 106.0, 26.0, ["rail"], name=EVIL)
    b = node("beta", 107.0, 26.0, ["rail"], name="Beta $x_")
    nodes = {"type": "FeatureCollection", "features": [a, b]}
    edges = {"type": "FeatureCollection", "features": [edge("ab", a, b, "rail", 120.0, line=EVIL)]}
    return cr.load_network(write(nodes, "n.geojson"), write(edges, "e.geojson"))


def test_html_in_names_is_escaped_in_maps(write: Callable[..., Path], factory: Any) -> None:
    net = _evil_network(write, factory)
    r = cr.route(net, "alpha", "beta")
    html = cr.explore(r, labels=["<i>layer</i>"]).get_root().render()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "<i>layer</i>" not in html


def test_tex_in_names_is_drawn_as_text(
    write: Callable[..., Path], factory: Any, tmp_path: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    net = _evil_network(write, factory)
    r = cr.route(net, "alpha", "beta")
    for fig, _ in (cr.plot_route(r), cr.plot_routes([r, r], labels=["$a", "$b$"])):
        fig.savefig(tmp_path / "x.png")  # mathtext would fail on '$\frac{a$' here
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        assert any("$" in t for t in texts)


# ---------------------------------------------------------------------------- unbounded


def test_unbounded_requests_are_refused_at_once(net: cr.Network) -> None:
    start = time.perf_counter()
    _raises(lambda: cr.k_shortest(net, "Guiyang", "Kunming", 10**9), DataError, "k must be at most")
    _raises(
        lambda: cr.sensitivity(net, "Guiyang", "Kunming", samples=10**9),
        DataError,
        "samples must be at most",
    )
    _raises(
        lambda: cr.route_matrix(net, ["Guiyang"] * 5_000, ["Kunming"] * 5_000),
        DataError,
        "more than 10,000,000 pairs",
    )
    from corridor.sweep import MAX_ROWS

    hubs = int((net.nodes["kind"] != "waypoint").sum())
    too_many = MAX_ROWS // (hubs * (hubs - 1)) + 1
    _raises(
        lambda: cr.sweep(net, [cr.Scenario(f"s{i}") for i in range(too_many)], "all"),
        DataError,
        "result rows",
    )
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize("size", [1_000_000, 10_000_000])
def test_a_huge_name_gives_a_short_error_fast(net: cr.Network, size: int) -> None:
    start = time.perf_counter()
    message = _raises(lambda: cr.route(net, "x" * size, "Kunming"), NodeNotFound, "characters)")
    assert len(message) < 300
    assert time.perf_counter() - start < 1.0
    message = _raises(lambda: cr.Scenario("y" * size, border_hours={"a": -1}), DataError)
    assert len(message) < 300


def test_duplicate_checks_are_linear(tmp_path: Path) -> None:
    n = 60_000
    items = [{"name": f"s{i % (n // 2)}"} for i in range(n)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    start = time.perf_counter()
    message = _raises(lambda: cr.load_scenarios(path), DataError, "duplicate scenario names")
    assert time.perf_counter() - start < 10.0
    assert len(message) < 2_000  # the first ten and a count, not 30,000 names


def test_unreadable_network_files_are_named(tmp_path: Path) -> None:
    table = tmp_path / "hubs.csv"
    table.write_text("id,name\na,b\n", encoding="utf-8")
    _raises(lambda: cr.load_network(table), DataError, "hubs.csv", "has no geometry")
    deep = tmp_path / "deep.geojson"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _raises(lambda: cr.load_network(deep), DataError, "deep.geojson", "nested too deeply")
    _raises(lambda: cr.load_network(tmp_path), DataError, "is a directory")


def test_bad_scenario_files(tmp_path: Path) -> None:
    _raises(lambda: cr.load_scenarios(tmp_path), DataError, "is a directory")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _raises(lambda: cr.load_scenarios(deep), DataError, "deep.json")


# --------------------------------------------------------------------------- hypothesis

_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=60))
def test_any_text_as_a_hub_is_found_or_not_found(name: str) -> None:
    net = cr.load_network()
    try:
        r = cr.route(net, name, "Kunming")
    except (NodeNotFound, cr.NoRouteError):
        return
    assert r.destination == "kunming"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(param=st.sampled_from(["by", "modes", "via", "avoid", "costs", "scenario"]), value=_ANY)
def test_any_value_for_a_route_argument_is_taken_or_refused(param: str, value: object) -> None:
    net = cr.load_network()
    with contextlib.suppress(CorridorError):
        cr.route(net, "Guiyang", "Kunming", **{param: value})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    param=st.sampled_from(["n", "max_overlap", "penalty", "max_tries", "by"]),
    value=_ANY,
)
def test_any_value_for_alternatives_is_taken_or_refused(param: str, value: object) -> None:
    net = cr.load_network()
    with contextlib.suppress(CorridorError):
        cr.alternatives(net, "Guiyang", "Kunming", **{param: value})


@settings(max_examples=150, deadline=None)
@given(
    field=st.sampled_from(["border_hours", "tariffs", "hours_factor", "close", "open"]), value=_ANY
)
def test_any_value_in_a_scenario_is_taken_or_refused(field: str, value: object) -> None:
    with contextlib.suppress(DataError):
        cr.Scenario("s", **{field: value})


@settings(max_examples=100, deadline=None)
@given(
    field=st.sampled_from(["load_t_per_teu", "transfer_hours", "wait_fraction", "truck_team"]),
    value=_ANY,
)
def test_any_value_in_a_cost_model_is_taken_or_refused(field: str, value: object) -> None:
    try:
        cm = cr.CostModel(**{field: value})
    except DataError:
        return
    assert np.isfinite(getattr(cm, field))


def test_a_scenario_may_shorten_a_border_below_the_data(net: cr.Network) -> None:
    """A border faster than the data's, even on a train whose published transit already
    holds it, is a smaller figure, never 'arc costs must be >= 0'."""
    base = cr.route(net, "Kunming", "Vientiane")
    fast = cr.route(
        net, "Kunming", "Vientiane", scenario=cr.Scenario("fast", border_hours={"Mohan": 0})
    )
    assert 0 < fast.total_hours < base.total_hours
    cr.route(net, "Chengdu", "Lodz", scenario=cr.Scenario("a", border_hours={"Alashankou": 0}))


def test_border_crossings_count_every_charged_crossing(net: cr.Network) -> None:
    res = cr.corridor_routes(net, "Guiyang", "Duisburg")
    for key in ("china_europe_horgos", "china_europe_alashankou", "sea_suez"):
        r = res[key].route
        assert r is not None
        charged = int(r.legs["line"].str.startswith("border crossing").sum())
        assert r.border_crossings == charged, key


def test_modes_are_case_insensitive_like_hubs(net: cr.Network) -> None:
    a = cr.route(net, "Kunming", "Vientiane", modes=["RAIL"])
    b = cr.route(net, "Kunming", "Vientiane", modes=["rail"])
    assert a.path == b.path
    m = cr.route_matrix(net, ["Kunming"], ["Vientiane"], modes=["Rail", "ROAD"])
    assert m["days"].iloc[0] == pytest.approx(m["hours"].iloc[0] / 24)


def test_a_sensitivity_result_reads_in_one_line(net: cr.Network) -> None:
    res = cr.sensitivity(net, "Guiyang", "Singapore", samples=50, seed=1)
    text = repr(res)
    assert text.startswith("<SensitivityResult guiyang → singapore: 50 samples")
    assert "\n" not in text
    assert "<table" in res._repr_html_()


def test_default_draws_are_centred_on_the_cost_model(net: cr.Network) -> None:
    from corridor.sensitivity import LITERATURE_RANGES, default_vary

    cm = cr.CostModel()
    ranges = default_vary(cm)
    for mode in ("rail", "road", "sea", "inland_waterway", "air"):
        lo, hi = ranges[f"tariff.{mode}"]
        assert (lo + hi) / 2 == pytest.approx(cm.tariff_usd_per_teu_km[mode])
        assert lo < cm.tariff_usd_per_teu_km[mode] < hi
    lo, hi = ranges["time_value_pct_per_day"]
    assert (lo + hi) / 2 == pytest.approx(cm.time_value_pct_per_day)
    assert set(ranges) == set(LITERATURE_RANGES)
    dear = default_vary(cm.replace(time_value_pct_per_day=2.0))["time_value_pct_per_day"]
    assert sum(dear) / 2 == pytest.approx(2.0)


def test_plot_tradeoff_says_what_frame_it_takes(net: cr.Network) -> None:
    df = cr.sweep(net, [cr.Scenario("baseline")], [("Guiyang", "Duisburg")])
    _raises(lambda: cr.plot_tradeoff(df), DataError, "corridor.sweep()", "corridor.compare(")
