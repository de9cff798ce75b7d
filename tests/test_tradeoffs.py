"""Pareto fronts against brute force, k-shortest against networkx, alternatives that differ."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import corridor as cr
from corridor import DataError
from corridor.tradeoffs import front_table, k_shortest_paths, pareto_front


@st.composite
def digraphs(draw: st.DrawFn, d: int = 2, low: int = 0) -> tuple[nx.DiGraph, int, int, int]:
    n = draw(st.integers(2, 7))
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for u, v in chosen:
        g.add_edge(u, v, c=tuple(draw(st.integers(low, 6)) for _ in range(d)))
    s, t = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
    return g, s, t, d


def _csr(g: nx.DiGraph, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    edges = sorted(g.edges)
    n = g.number_of_nodes()
    indptr = np.zeros(n + 1, dtype=np.int64)
    for u, _ in edges:
        indptr[u + 1] += 1
    indptr = np.cumsum(indptr).astype(np.int32)
    indices = np.array([v for _, v in edges], dtype=np.int32)
    costs = np.array([[g.edges[e]["c"][k] for e in edges] for k in range(d)], dtype=float).reshape(
        d, len(edges)
    )
    return indptr, indices, costs, edges


def _brute(g: nx.DiGraph, s: int, t: int, d: int) -> set[tuple[float, ...]]:
    if s == t:
        return {(0.0,) * d}
    vecs = set()
    for path in nx.all_simple_paths(g, s, t):
        vecs.add(
            tuple(
                float(sum(g.edges[a, b]["c"][k] for a, b in itertools.pairwise(path)))
                for k in range(d)
            )
        )
    return {
        v
        for v in vecs
        if not any(o != v and all(x <= y for x, y in zip(o, v, strict=True)) for o in vecs)
    }


@settings(max_examples=120, deadline=None)
@given(st.one_of(digraphs(d=2), digraphs(d=3)))
def test_pareto_equals_brute_force(case: tuple[nx.DiGraph, int, int, int]) -> None:
    g, s, t, d = case
    indptr, indices, costs, edges = _csr(g, d)
    front = pareto_front(indptr, indices, costs, s, t)
    assert {tuple(c.tolist()) for c, _ in front} == _brute(g, s, t, d)
    for c, arcs in front:
        nodes = [s, *(edges[a][1] for a in arcs)]
        assert nodes[-1] == t
        assert all(edges[a][0] == nodes[i] for i, a in enumerate(arcs))
        np.testing.assert_allclose(costs[:, arcs].sum(axis=1), c)
    firsts = [tuple(c) for c, _ in front]
    assert firsts == sorted(firsts)


@settings(max_examples=80, deadline=None)
@given(digraphs(d=2, low=1))
def test_pareto_paths_are_simple_with_positive_costs(
    case: tuple[nx.DiGraph, int, int, int],
) -> None:
    g, s, t, d = case
    indptr, indices, costs, edges = _csr(g, d)
    for _, arcs in pareto_front(indptr, indices, costs, s, t):
        nodes = [s, *(edges[a][1] for a in arcs)]
        assert len(set(nodes)) == len(nodes)


@settings(max_examples=120, deadline=None)
@given(digraphs(d=1, low=1), st.integers(1, 8))
def test_k_shortest_equals_networkx(case: tuple[nx.DiGraph, int, int, int], k: int) -> None:
    g, s, t, _ = case
    if s == t:
        return
    indptr, indices, costs, edges = _csr(g, 1)
    ours = k_shortest_paths(indptr, indices, costs[0], s, t, k)
    for u, v in g.edges:
        g.edges[u, v]["w"] = g.edges[u, v]["c"][0]
    try:
        ref = list(itertools.islice(nx.shortest_simple_paths(g, s, t, weight="w"), k))
    except nx.NetworkXNoPath:
        ref = []
    ref_costs = [sum(g.edges[a, b]["w"] for a, b in itertools.pairwise(p)) for p in ref]
    assert [c for c, _ in ours] == pytest.approx(ref_costs)
    seen = set()
    for c, arcs in ours:
        nodes = [s, *(edges[a][1] for a in arcs)]
        assert len(set(nodes)) == len(nodes)  # loopless
        assert costs[0, arcs].sum() == pytest.approx(c)
        assert tuple(arcs) not in seen
        seen.add(tuple(arcs))


def _dominates(a: cr.Route, b: cr.Route, crit: tuple[str, ...]) -> bool:
    key = {"co2": "total_co2_kg"}
    va = [getattr(a, key.get(c, f"total_{c}")) for c in crit]
    vb = [getattr(b, key.get(c, f"total_{c}")) for c in crit]
    return all(x <= y for x, y in zip(va, vb, strict=True)) and va != vb


@pytest.mark.parametrize(
    ("dest", "crit"),
    [
        ("Duisburg", ("usd", "hours")),
        ("Singapore", ("usd", "hours", "co2")),
        ("Shenzhen", ("hours", "co2")),
    ],
)
def test_pareto_on_the_network(net: cr.Network, dest: str, crit: tuple[str, ...]) -> None:
    front = cr.pareto(net, "Guiyang", dest, criteria=crit)
    assert len(front) >= 2
    for a in front:
        assert not any(_dominates(b, a, crit) for b in front)
        assert a.hubs[0] == "guiyang"
        assert a.hubs[-1] == a.destination
        assert a.legs["usd"].sum() == pytest.approx(a.total_usd)
    key = {"co2": "total_co2_kg"}.get(crit[0], f"total_{crit[0]}")
    firsts = [getattr(r, key) for r in front]
    assert firsts == sorted(firsts)
    # the single-criterion optimum is on the front
    best = cr.route(net, "Guiyang", dest, by=crit[0])  # type: ignore[arg-type]
    assert firsts[0] == pytest.approx(getattr(best, key))
    assert len(cr.pareto(net, "Guiyang", dest, criteria=crit, max_routes=2)) == 2


def test_k_shortest_on_the_network(net: cr.Network) -> None:
    routes = cr.k_shortest(net, "Guiyang", "Duisburg", 10, by="usd")
    assert len(routes) == 10
    costs = [r.total_usd for r in routes]
    assert costs == sorted(costs)
    assert costs[0] == pytest.approx(cr.route(net, "Guiyang", "Duisburg", by="usd").total_usd)
    physical = {
        tuple(r.legs.loc[r.legs["kind"] == "link", "link"])
        + tuple(r.legs.loc[r.legs["kind"] == "link", "from"])
        for r in routes
    }
    assert len(physical) == 10
    for r in routes:
        links = r.legs[r.legs["kind"] == "link"]
        assert (links["to"].to_numpy()[:-1] == links["from"].to_numpy()[1:]).all()


def test_alternatives_differ(net: cr.Network) -> None:
    for dest in ("Duisburg", "Singapore", "Shenzhen"):
        alts = cr.alternatives(net, "Guiyang", dest, n=3, max_overlap=0.5)
        assert len(alts) == 3
        assert alts[0].total_generalized == pytest.approx(
            cr.route(net, "Guiyang", dest).total_generalized
        )
        kms = []
        for r in alts:
            links = r.legs[r.legs["kind"] == "link"]
            kms.append(dict(zip(links["link"], links["km"], strict=True)))
        for i, a in enumerate(kms):
            for j, b in enumerate(kms):
                if i != j:
                    assert sum(v for k, v in a.items() if k in b) <= 0.5 * sum(a.values()) + 1e-6
    table = front_table(alts)
    assert list(table.columns[:3]) == ["usd", "hours", "days"]


def test_same_origin_and_destination(net: cr.Network) -> None:
    for call in (
        lambda: cr.route(net, "Guiyang", "guiyang"),
        lambda: cr.pareto(net, "Guiyang", "Guiyang"),
        lambda: cr.k_shortest(net, "Guiyang", "Guiyang", 3),
        lambda: cr.alternatives(net, "Guiyang", "贵阳"),
        lambda: cr.compare(net, "Guiyang", "Guiyang"),
        lambda: cr.sensitivity(net, "Guiyang", "Guiyang", samples=5),
    ):
        with pytest.raises(cr.DataError, match=r"same hub .'guiyang'.: there is nothing to route"):
            call()
    # a matrix keeps its diagonal: a hub to itself costs nothing
    m = cr.route_matrix(net, ["Guiyang"], ["Guiyang", "Kunming"])
    assert m.loc[("guiyang", "guiyang"), "usd"] == 0


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (
            lambda net: cr.pareto(net, "Guiyang", "Duisburg", criteria=("usd",)),
            r"give two or three different criteria",
        ),
        (
            lambda net: cr.pareto(net, "Guiyang", "Duisburg", criteria=("usd", "usd")),
            r"give two or three different criteria",
        ),
        (
            lambda net: cr.pareto(net, "Guiyang", "Duisburg", criteria=("usd", "speed")),
            r"criteria='speed' is not a criterion",
        ),
        (
            lambda net: cr.pareto(net, "Guiyang", "Duisburg", max_routes=0),
            r"max_routes must be >= 1",
        ),
        (lambda net: cr.k_shortest(net, "Guiyang", "Duisburg", 0), r"k must be >= 1"),
        (
            lambda net: cr.alternatives(net, "Guiyang", "Duisburg", max_overlap=1.5),
            r"max_overlap must be at most 1",
        ),
        (
            lambda net: cr.alternatives(net, "Guiyang", "Duisburg", n=0),
            r"n must be >= 1",
        ),
        (
            lambda net: cr.alternatives(net, "Guiyang", "Duisburg", penalty=0),
            r"penalty must be > 0",
        ),
    ],
)
def test_bad_input(net: cr.Network, call: object, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        call(net)  # type: ignore[operator]


def test_no_route(net: cr.Network) -> None:
    shut = cr.Scenario("x", close=["Port Klang"])
    with pytest.raises(cr.NoRouteError, match="no route from 'guiyang' to 'port_klang'"):
        cr.pareto(net, "Guiyang", "Port Klang", scenario=shut)
    with pytest.raises(cr.NoRouteError, match="no route from 'guiyang' to 'port_klang'"):
        cr.k_shortest(net, "Guiyang", "Port Klang", 3, scenario=shut)


def _hubs_and_modes(r: cr.Route) -> tuple[tuple[str, str], ...]:
    """The sequence of (hub, mode) a route passes, a ship's calls on the way aside."""
    out: list[tuple[str, str]] = []
    links = r.legs[r.legs["kind"] == "link"]
    for hub, mode in zip(links["to"], links["mode"], strict=True):
        if out and out[-1][1] == mode == "sea":
            out[-1] = (hub, mode)
        elif not out or out[-1] != (hub, mode):
            out.append((hub, mode))
    return tuple(out)


@pytest.mark.parametrize("dest", ["Singapore", "Duisburg"])
def test_distinct_routes_differ_in_hubs_or_modes(net: cr.Network, dest: str) -> None:
    ks = cr.k_shortest(net, "Guiyang", dest, 8, distinct=True)
    keys = [_hubs_and_modes(r) for r in ks]
    assert len(set(keys)) == len(keys)
    plain = cr.k_shortest(net, "Guiyang", dest, 8)
    assert len({_hubs_and_modes(r) for r in plain}) <= len(plain)
    alts = cr.alternatives(net, "Guiyang", dest, n=4, max_overlap=0.9)
    keys = [_hubs_and_modes(r) for r in alts]
    assert len(set(keys)) == len(keys)
    with pytest.raises(cr.DataError, match="distinct must be True or False"):
        cr.k_shortest(net, "Guiyang", dest, 2, distinct="yes")  # type: ignore[arg-type]
