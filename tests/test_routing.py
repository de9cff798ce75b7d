"""The routing API: hand-worked multimodal examples, the bundled network, every error path."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor as cr
from corridor import CostModel, DataError, NodeNotFound, NoRouteError, PerMode, Scenario
from corridor._compile import ATTACH, compiled
from corridor.costs import CRITERIA

Json = dict[str, Any]
FLAT = PerMode(rail=0.2, road=1.0, sea=0.05, inland_waterway=0.1, air=3.0)
SPEED = PerMode(rail=10.0, road=50.0, sea=20.0, inland_waterway=10.0, air=500.0)


def _net(write: Callable[..., Path], nodes: list[Json], edges: list[Json]) -> cr.Network:
    return cr.load_network(
        write({"type": "FeatureCollection", "features": nodes}, "n.geojson"),
        write({"type": "FeatureCollection", "features": edges}, "e.geojson"),
    )


@pytest.fixture
def two_ways(write: Callable[..., Path], factory: Any) -> cr.Network:
    """A and B joined by a 100 km road (fast, dear) and a 100 km railway (slow, cheap)."""
    _node, _edge = factory
    a = _node("a", 106.0, 26.0, ["rail", "road"])
    b = _node("b", 107.0, 26.0, ["rail", "road"])
    return _net(
        write,
        [a, b],
        [_edge("road_ab", a, b, "road", 100.0), _edge("rail_ab", a, b, "rail", 100.0)],
    )


def test_value_of_time_flips_the_choice(two_ways: cr.Network) -> None:
    # road: USD 100, 2 h driving (one spell under 4 h: no stop); rail: USD 20, 10 h.
    # Generalized: road 100 + 2v, rail 20 + 10v.
    # hand-worked without waits for departures (tested on their own in test_services)
    slow = CostModel(
        tariff_usd_per_teu_km=FLAT, speed_kmh=SPEED, time_value_pct_per_day=0.0, wait_fraction=0.0
    )
    r = cr.route(two_ways, "a", "b", costs=slow)
    assert r.modes == ("rail",)
    assert r.total_generalized == pytest.approx(20.0)
    # v = 96,000 x 1% / 24 = USD 40 per hour: road 180 < rail 420
    fast = slow.replace(cargo_value_usd=96_000.0, time_value_pct_per_day=1.0)
    assert fast.value_of_time_usd_per_hour == pytest.approx(40.0)
    r = cr.route(two_ways, "a", "b", costs=fast)
    assert r.modes == ("road",)
    assert r.total_usd == pytest.approx(100.0)
    assert r.total_hours == pytest.approx(2.0)
    assert r.total_generalized == pytest.approx(180.0)
    # below the break-even of USD 10 per hour (100 + 2v = 20 + 10v), rail again
    assert cr.route(two_ways, "a", "b", costs=fast.replace(cargo_value_usd=20_000.0)).modes == (
        "rail",
    )
    # a two-driver team makes no stop on a 2 h trip either, and pays the second driver
    team = fast.replace(truck_team=True)
    r = cr.route(two_ways, "a", "b", costs=team, modes=["road"])
    assert r.total_hours == pytest.approx(2.0)
    assert r.total_usd == pytest.approx(100.0 + 2.0 * team.team_usd_per_hour)


@pytest.fixture
def transfer_net(write: Callable[..., Path], factory: Any) -> Callable[[float | None], cr.Network]:
    """A -road- C directly (300 km), or A -road- B (50 km) then B -rail- C (300 km)."""
    _node, _edge = factory

    def build(handling: float | None) -> cr.Network:
        a = _node("a", 106.0, 26.0, ["road"])
        b = _node("b", 106.3, 26.3, ["road", "rail"], handling_usd=handling, dwell_hours=1.0)
        c = _node("c", 108.0, 26.0, ["road", "rail"])
        edges = [
            _edge("ac", a, c, "road", 300.0),
            _edge("ab", a, b, "road", 50.0),
            _edge("bc", b, c, "rail", 300.0),
        ]
        return _net(write, [a, b, c], edges)

    return build


def test_transfer_cost_flips_the_choice(transfer_net: Callable[[float | None], cr.Network]) -> None:
    cm = CostModel(tariff_usd_per_teu_km=FLAT, speed_kmh=SPEED, wait_fraction=0.0)
    # via B: 50 + 25 (default transfer) + 60 = 135 < 300 by road
    r = cr.route(transfer_net(None), "a", "c", by="usd", costs=cm)
    assert r.hubs == ("a", "b", "c")
    assert r.transfers == 1
    assert r.total_usd == pytest.approx(135.0)
    legs = r.legs
    assert legs["kind"].tolist() == ["link", "transfer", "link"]
    assert legs.loc[1, "mode"] == "road→rail"
    assert legs.loc[1, "hours"] == pytest.approx(1.0)  # the hub's own dwell
    # a hub handling charge of USD 250 makes the direct road (300) cheaper than 360
    r = cr.route(transfer_net(250.0), "a", "c", by="usd", costs=cm)
    assert r.hubs == ("a", "c")
    assert r.transfers == 0
    assert r.total_usd == pytest.approx(300.0)


def test_gauge_break_and_border_are_charged(write: Callable[..., Path], factory: Any) -> None:
    _node, _edge = factory
    a = _node("a", 80.0, 44.0, ["rail"])
    b = _node(
        "b",
        81.0,
        44.0,
        ["rail"],
        kind="border",
        crossing_hours=3.0,
        crossing_usd=40.0,
        gauge_change_hours=2.0,
        gauge_change_usd=30.0,
    )
    c = _node("c", 82.0, 44.0, ["rail"])
    net = _net(
        write,
        [a, b, c],
        [_edge("ab", a, b, "rail", 90.0), _edge("bc", b, c, "rail", 90.0, gauge_mm=1520)],
    )
    cm = CostModel(tariff_usd_per_teu_km=FLAT, speed_kmh=SPEED, wait_fraction=0.0)
    r = cr.route(net, "a", "c", by="usd", costs=cm)
    assert r.legs["kind"].tolist() == ["link", "crossing", "gauge_change", "link"]
    assert r.gauge_changes == 1
    assert r.border_crossings == 1
    assert r.total_usd == pytest.approx(18 + 40 + 30 + 18)
    assert r.total_hours == pytest.approx(9 + 3 + 2 + 9)
    assert r.legs.loc[2, "mode"] == "rail 1435→1520 mm"


def test_legs_add_up_to_totals(net: cr.Network) -> None:
    for dest in ("Singapore", "Duisburg", "Shenzhen", "Bangkok", "Hamburg"):
        for by in CRITERIA:
            r = cr.route(net, "Guiyang", dest, by=by)
            legs = r.legs
            assert legs["usd"].sum() == pytest.approx(r.total_usd)
            assert legs["hours"].sum() == pytest.approx(r.total_hours)
            assert legs["km"].sum() == pytest.approx(r.total_km)
            assert legs["co2_kg"].sum() == pytest.approx(r.total_co2_kg)
            assert legs["generalized"].sum() == pytest.approx(r.total_generalized)
            assert r.hubs[0] == "guiyang"
            assert r.hubs[-1] == r.destination


def test_each_criterion_is_minimal(net: cr.Network) -> None:
    for by in CRITERIA:
        best = getattr(
            cr.route(net, "Guiyang", "Duisburg", by=by), f"total_{'co2_kg' if by == 'co2' else by}"
        )
        for other in CRITERIA:
            r = cr.route(net, "Guiyang", "Duisburg", by=other)
            assert best <= getattr(r, f"total_{'co2_kg' if by == 'co2' else by}") + 1e-9


def _state_graph(g: Any, by: str) -> nx.DiGraph:
    w = g.weights(by)
    d = nx.DiGraph()
    d.add_nodes_from(range(g.n_nodes))
    for e in range(g.indices.size):
        u, v = int(g.tail[e]), int(g.indices[e])
        if not d.has_edge(u, v) or d[u][v]["weight"] > w[e]:
            d.add_edge(u, v, weight=float(w[e]))
    return d


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_route_costs_equal_networkx_on_the_state_graph(data: st.DataObject) -> None:
    net = cr.load_network()
    by = data.draw(st.sampled_from(CRITERIA))
    g = compiled(net, CostModel(), None)
    hubs = list(net.nodes.index)
    a = data.draw(st.sampled_from(hubs))
    b = data.draw(st.sampled_from([h for h in hubs if h != a]))
    expected = nx.dijkstra_path_length(
        _state_graph(g, by), g.source(g.hub_index[a]), g.sink(g.hub_index[b])
    )
    r = cr.route(net, a, b, by=by)
    key = {"co2": "total_co2_kg"}.get(by, f"total_{by}")
    assert getattr(r, key) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_route_matrix_matches_route(net: cr.Network) -> None:
    hubs = ["guiyang", "singapore", "duisburg", "yantian", "vientiane", "hanoi"]
    for by in ("usd", "generalized"):
        m = cr.route_matrix(net, hubs, hubs, by=by)
        assert list(m.columns) == ["usd", "hours", "days", "km", "co2_kg", "generalized"]
        assert np.allclose(m["days"] * 24, m["hours"])
        for a in hubs:
            for b in hubs:
                if a == b:
                    continue
                r = cr.route(net, a, b, by=by)
                row = m.loc[(a, b)]
                assert row["usd"] == pytest.approx(r.total_usd)
                assert row["hours"] == pytest.approx(r.total_hours)
                assert row["co2_kg"] == pytest.approx(r.total_co2_kg)
                assert row["generalized"] == pytest.approx(r.total_generalized)
    square = m["generalized"].unstack()
    assert (np.diag(square.loc[hubs, hubs].to_numpy()) == 0).all()


def test_route_matrix_unreachable_is_inf(net: cr.Network) -> None:
    m = cr.route_matrix(net, ["Guiyang"], ["Singapore"], modes=["rail"])
    assert math.isinf(m.iloc[0]["usd"])


def test_via_avoid_and_modes(net: cr.Network) -> None:
    free = cr.route(net, "Guiyang", "Duisburg", by="hours", modes=["rail"])
    assert set(free.modes) == {"rail"}
    via = cr.route(net, "Guiyang", "Duisburg", by="hours", modes=["rail"], via=["Horgos"])
    assert "khorgos" in via.hubs
    assert via.total_hours >= free.total_hours
    around = cr.route(
        net, "Guiyang", "Duisburg", by="hours", modes=["rail"], avoid=["Alashankou", "Horgos"]
    )
    assert "alashankou" not in around.hubs
    assert "horgos" not in around.hubs
    no_cl = cr.route(net, "Kunming", "Bangkok", avoid=["China–Laos Railway"])
    assert "China–Laos Railway" not in no_cl.lines
    assert (
        cr.route(net, "Kunming", "Bangkok", by="usd", modes=["rail"]).lines[0]
        == "China–Laos Railway"
    )


def test_via_keeps_the_state(net: cr.Network) -> None:
    r = cr.route(net, "Kunming", "Bangkok", via=["Vientiane"], modes=["rail"])
    assert r.hubs[:4] == ("kunming", "mohan", "boten", "vientiane")


def test_same_origin_and_destination(net: cr.Network) -> None:
    with pytest.raises(DataError, match="same hub"):
        cr.route(net, "Guiyang", "guiyang")


def test_route_value_and_views(net: cr.Network) -> None:
    r = cr.route(net, "Kunming", "Vientiane", modes=["rail"])
    assert r.hubs == ("kunming", "mohan", "boten", "vientiane")
    assert r.border_crossings == 1  # Mohan → Boten: one crossing, export and import
    assert r.total_days == pytest.approx(r.total_hours / 24)
    gdf = r.to_geodataframe()
    assert len(gdf) == len(r.legs)
    first = gdf.iloc[0].geometry
    assert first.coords[0] == pytest.approx((net.hub("Kunming").lon, net.hub("Kunming").lat))
    crossing = gdf[gdf["kind"] == "crossing"]
    assert (crossing.geometry.geom_type == "Point").all()
    assert crossing["line"].str.contains("border crossing Mohan → Boten").any()
    b = net.borders
    fees = b.loc[("mohan", "rail", "export"), "usd"] + b.loc[("boten", "rail", "import"), "usd"]
    assert crossing["usd"].sum() == pytest.approx(fees)
    assert "Kunming → Vientiane" in repr(r)
    html = r._repr_html_()
    assert "<table" in html
    assert "China–Laos Railway" in html
    with pytest.raises(AttributeError):
        r.total_usd = 0.0  # type: ignore[misc]


def test_planned_line_opens_in_a_scenario(net: cr.Network) -> None:
    base = cr.route(net, "Huangtong", "Baise", by="km", modes=["rail"])
    opened = cr.route(
        net,
        "Huangtong",
        "Baise",
        by="km",
        modes=["rail"],
        scenario=Scenario("HB open", open_planned=True),
    )
    assert "Huangtong–Baise railway" not in base.lines
    assert opened.lines == ("Huangtong–Baise railway",)
    assert opened.total_km < base.total_km


def test_scenario_closure_and_border_hours(net: cr.Network) -> None:
    suez = Scenario("Suez closed", close=["Suez Canal"])
    r = cr.route(net, "Singapore", "Rotterdam", by="km", modes=["sea"], scenario=suez)
    assert "suez_canal" not in r.hubs
    assert "cape_good_hope" in r.hubs
    slow = Scenario("Mohan at opening", border_hours={"Mohan": 40.0})
    base = cr.route(net, "Kunming", "Vientiane", modes=["rail"], by="hours")
    late = cr.route(net, "Kunming", "Vientiane", modes=["rail"], by="hours", scenario=slow)
    mohan = net.borders.loc[("mohan", "rail", "export"), "hours"]
    assert late.total_hours == pytest.approx(base.total_hours + 40.0 - mohan)


def test_compiled_graph_is_cached(net: cr.Network) -> None:
    cm = CostModel()
    assert compiled(net, cm, None) is compiled(net, CostModel(), None)
    g = compiled(net, cm, None)
    assert (g.kind[g.indptr[g.source(0)] : g.indptr[g.source(0) + 1]] == ATTACH).all()


# ------------------------------------------------------------------ errors


def test_unknown_hub(net: cr.Network) -> None:
    with pytest.raises(NodeNotFound, match=r"no hub named 'Singapur'; did you mean 'Singapore'"):
        cr.route(net, "Guiyang", "Singapur")
    with pytest.raises(NodeNotFound, match=r"Alashanko \(in avoid: no hub or line by that name\)"):
        cr.route(net, "Guiyang", "Duisburg", avoid=["Alashanko"])
    with pytest.raises(NodeNotFound):
        cr.route_matrix(net, ["Guiyang"], ["Nowhere"])


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"modes": ["air"]}, r"the mode filter \(only air\) cuts them apart"),
        (
            {"modes": ["rail"], "avoid": ["Mohan"]},
            r"the avoid list \(mohan\) and the mode filter \(only rail\) each cut them apart",
        ),
        (
            {"modes": ["rail"], "scenario": Scenario("no Mohan", close=["Mohan"])},
            r"the mode filter \(only rail\) and scenario 'no Mohan', which closes Mohan each cut them apart \(lifting any one joins them\)",
        ),
    ],
)
def test_no_route_says_which_constraint(
    net: cr.Network, kwargs: dict[str, Any], pattern: str
) -> None:
    with pytest.raises(NoRouteError, match=r"no route from 'kunming' to 'vientiane': " + pattern):
        cr.route(net, "Kunming", "Vientiane", **kwargs)


def test_no_route_when_only_a_planned_line_joins(write: Callable[..., Path], factory: Any) -> None:
    _node, _edge = factory
    a = _node("a", 106.0, 26.0, ["rail"])
    b = _node("b", 107.0, 26.0, ["rail"])
    c = _node("c", 108.0, 26.0, ["road"])
    d = _node("d", 108.5, 26.0, ["road"])
    net = _net(
        write,
        [a, b, c, d],
        [
            _edge("ab", a, b, "rail", 120, status="planned", opens=2030),
            _edge("cd", c, d, "road", 60),
        ],
    )
    with pytest.raises(NoRouteError, match=r"only lines not yet open join them"):
        cr.route(net, "a", "b")
    with pytest.raises(NoRouteError, match=r"the network does not join them"):
        cr.route(net, "a", "d")


def test_no_route_scenario_alone_and_together(write: Callable[..., Path], factory: Any) -> None:
    _node, _edge = factory
    a = _node("a", 106.0, 26.0, ["rail", "road"])
    b = _node("b", 107.0, 26.0, ["rail", "road"])
    c = _node("c", 106.5, 26.5, ["road"])
    edges = [
        _edge("ab", a, b, "rail", 120),
        _edge("ac", a, c, "road", 80),
        _edge("cb", c, b, "road", 80),
    ]
    net = _net(write, [a, b, c], edges)
    shut = Scenario("rail strike", close=["ab line"])
    assert cr.route(net, "a", "b", scenario=shut).hubs == ("a", "c", "b")
    with pytest.raises(
        NoRouteError, match=r"scenario 'rail strike', which closes ab line, c cuts them apart"
    ):
        cr.route(net, "a", "b", scenario=Scenario("rail strike", close=["ab line", "c"]))
    both = Scenario("x", close=["ab line", "c"])
    with pytest.raises(
        NoRouteError,
        match=r"the avoid list \(c\) and the mode filter \(only road\) and scenario 'x', which closes ab line, c together cut them apart",
    ):
        cr.route(net, "a", "b", scenario=both, modes=["road"], avoid=["c"])


def test_no_route_keeps_the_lines_a_scenario_opens(
    write: Callable[..., Path], factory: Any
) -> None:
    _node, _edge = factory
    a = _node("a", 106.0, 26.0, ["rail"])
    b = _node("b", 107.0, 26.0, ["rail"])
    c = _node("c", 108.0, 26.0, ["rail"])
    edges = [
        _edge("ab", a, b, "rail", 120, status="planned", opens=2030),
        _edge("bc", b, c, "rail", 120),
    ]
    net = _net(write, [a, b, c], edges)
    both = Scenario("open ab, close bc", open=["ab"], close=["bc"])
    with pytest.raises(
        NoRouteError, match=r"scenario 'open ab, close bc', which closes bc cuts them apart"
    ):
        cr.route(net, "a", "c", scenario=both)


def test_closed_endpoint(net: cr.Network) -> None:
    with pytest.raises(NoRouteError, match=r"scenario 'x' closes 'singapore', a hub of the route"):
        cr.route(net, "Guiyang", "Singapore", scenario=Scenario("x", close=["Singapore"]))


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (
            {"by": "cheapest"},
            r"by='cheapest' is not a criterion; use one of usd, hours, km, co2, generalized",
        ),
        (
            {"modes": ["rail", "camel"]},
            r"modes must be taken from rail, road, sea, inland_waterway, air",
        ),
        ({"modes": []}, r"modes must be taken from"),
        ({"costs": {"rail": 1}}, r"costs must be a corridor.CostModel, got dict"),
        ({"scenario": "Suez closed"}, r"scenario must be a corridor.Scenario, got str"),
        ({"avoid": ["Guiyang"]}, r"cannot avoid a hub the route must use: guiyang"),
    ],
)
def test_bad_arguments(net: cr.Network, kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        cr.route(net, "Guiyang", "Singapore", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (
            {"carbon_price_usd_per_t": -5.0},
            r"CostModel\.carbon_price_usd_per_t must be a finite number >= 0, got -5\.0",
        ),
        (
            {"cargo_value_usd": math.nan},
            r"CostModel\.cargo_value_usd must be a finite number >= 0, got nan",
        ),
        (
            {"transfer_hours": math.inf},
            r"CostModel\.transfer_hours must be a finite number >= 0, got inf",
        ),
        ({"load_t_per_teu": 0.0}, r"CostModel\.load_t_per_teu must be > 0"),
        ({"transfer_usd": "25"}, r"CostModel\.transfer_usd must be a number, got '25'"),
        (
            {"tariff_usd_per_teu_km": FLAT.replace(rail=0.0)},
            r"CostModel\.tariff_usd_per_teu_km\.rail must be a finite number > 0, got 0\.0",
        ),
        (
            {"speed_kmh": SPEED.replace(sea=-1.0)},
            r"CostModel\.speed_kmh\.sea must be a finite number > 0",
        ),
    ],
)
def test_bad_cost_model(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        CostModel(**kwargs)


def test_bad_scenarios(net: cr.Network) -> None:
    with pytest.raises(
        DataError,
        match=r"Scenario 'x': nothing named 'Suez Canel' to close.*did you mean 'Suez Canal'",
    ):
        cr.route(net, "Guiyang", "Duisburg", scenario=Scenario("x", close=["Suez Canel"]))
    with pytest.raises(
        DataError,
        match=r"Scenario 'y': border_hours\['Mohan'\] must be a finite number >= 0, got -1",
    ):
        Scenario("y", border_hours={"Mohan": -1})
    with pytest.raises(DataError, match=r"Scenario 'z': border_hours: no hub named 'Mohann'"):
        cr.route(net, "Kunming", "Vientiane", scenario=Scenario("z", border_hours={"Mohann": 5}))
    with pytest.raises(DataError, match=r"Scenario name must be a non-empty string"):
        Scenario("")
    with pytest.raises(DataError, match=r"costs must be a CostModel"):
        Scenario("c", costs={"rail": 1})  # type: ignore[arg-type]


def test_permode_unknown_mode() -> None:
    with pytest.raises(KeyError, match="unknown mode 'camel'"):
        FLAT["camel"]


def test_hub_trees_give_the_searched_paths(net: cr.Network) -> None:
    """Once a graph has answered enough queries it reads hub-to-hub paths off its trees:
    the same arcs a search finds."""
    from corridor._compile import TREES_AFTER, compiled
    from corridor.routing import _stops_path

    cm = CostModel(carbon_price_usd_per_t=1.0)  # a graph of its own for this test
    g = compiled(net, cm, None)
    names = list(g.hub_ids)
    rng = np.random.default_rng(2)
    pairs = [(names[a], names[b]) for a, b in rng.choice(len(names), size=(80, 2)) if a != b]
    for o, d in pairs[: TREES_AFTER + 1]:
        with contextlib.suppress(cr.NoRouteError):
            cr.route(net, o, d, costs=cm)
    assert g.hub_trees("generalized") is not None
    w = g.weights("generalized")
    for o, d in pairs:
        arcs, _ = _stops_path(g, w, [g.hub_index[o], g.hub_index[d]])
        if arcs is None:
            with pytest.raises(cr.NoRouteError):
                cr.route(net, o, d, costs=cm)
            continue
        assert np.array_equal(cr.route(net, o, d, costs=cm)._arcs, arcs)
