"""Demand, capacity and equilibrium assignment (issue 15), against closed forms."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor.cli import app
from corridor.flows import Demand, assign, load_capacity, load_demand, read_capacity

Json = dict[str, Any]
runner = CliRunner()
#: no waits for departures, so the free-flow costs are the links' own
NO_WAIT = cr.CostModel(wait_fraction=0.0)


def _fc(features: list[Json]) -> Json:
    return {"type": "FeatureCollection", "features": features}


def _border(hub: str, mode: str, per_day: float, teu: float = 1.0, background: float = 0.0) -> Json:
    return {
        "element": "border", "id": hub, "mode": mode, "capacity": per_day,
        "unit": "trains_per_day" if mode == "rail" else "trucks_per_day", "teu_per_unit": teu,
        "background": background, "source": "test", "method": "",
    }  # fmt: skip


def _free_cost(net: cr.Network, o: str, d: str, modes: list[str], via: list[str] = ()) -> float:
    """Free-flow cost of the only route of ``modes`` in hours-equivalent."""
    r = cr.route(net, o, d, modes=modes, via=list(via), costs=NO_WAIT)
    return r.total_usd / NO_WAIT.value_of_time_usd_per_hour + r.total_hours


@pytest.fixture
def parallel(write: Callable[..., Path], factory: Any) -> cr.Network:
    """s (China) to t (Laos) by a road and a railway, each crossing the border at s."""
    node, edge = factory
    s = node("s", 106.0, 26.0, ["road", "rail"])
    t = node("t", 106.2, 26.0, ["road", "rail"], country="LAO")
    return cr.load_network(
        write(_fc([s, t]), "n.geojson"),
        write(_fc([edge("road_st", s, t, "road", 100.0), edge("rail_st", s, t, "rail", 100.0)]),
              "e.geojson"),
    )  # fmt: skip


def test_two_parallel_links_with_linear_delay_match_the_closed_form(
    parallel: cr.Network,
) -> None:
    """c_road = C1 + k v1, c_rail = C2 + k v2 (k = 24 h x alpha / capacity): at equilibrium
    both are used and cost the same, v1 = (C2 - C1 + k D) / 2k."""
    c1, c2 = _free_cost(parallel, "s", "t", ["road"]), _free_cost(parallel, "s", "t", ["rail"])
    cap = pd.DataFrame([_border("s", "road", 10.0), _border("s", "rail", 10.0)])
    per_week = 70.0  # capacity 70 TEU a week each
    k = 24.0 * 0.15 / per_week
    demand_week = 100.0
    a = assign(
        parallel,
        pd.DataFrame({"origin": ["s"], "destination": ["t"], "teu_per_week": [demand_week]}),
        capacity=cap, costs=NO_WAIT, beta=1.0, gap=1e-9, max_iter=500,
    )  # fmt: skip
    assert a.converged
    el = a.elements().set_index("element")
    v_road = (c2 - c1 + k * demand_week) / (2 * k)
    assert 0 < v_road < demand_week  # an interior equilibrium
    assert el.loc["s/road", "flow_teu_per_week"] == pytest.approx(v_road, rel=1e-4)
    assert el.loc["s/rail", "flow_teu_per_week"] == pytest.approx(demand_week - v_road, rel=1e-4)
    cost_road = c1 + el.loc["s/road", "delay_hours"]
    cost_rail = c2 + el.loc["s/rail", "delay_hours"]
    assert cost_road == pytest.approx(cost_rail, rel=1e-5)


@pytest.fixture
def braess(write: Callable[..., Path], factory: Any) -> Callable[[bool], cr.Network]:
    """s (China) to t (Laos): s-a and b-t cross the border and congest; a-t and s-b are long
    and free; a-b is a short free shortcut (built only when asked)."""
    node, edge = factory

    def build(shortcut: bool) -> cr.Network:
        s = node("s", 106.0, 26.0, ["road"])
        a = node("a", 106.05, 26.0, ["road"], country="LAO")
        b = node("b", 106.0, 26.05, ["road"])
        t = node("t", 106.05, 26.05, ["road"], country="LAO")
        edges = [
            edge("sa", s, a, "road", 5.0), edge("at", a, t, "road", 300.0),
            edge("sb", s, b, "road", 300.0), edge("bt", b, t, "road", 5.0),
        ]  # fmt: skip
        if shortcut:
            edges.append(edge("ab", a, b, "road", 1.0, bidirectional=False))
        return cr.load_network(
            write(_fc([s, a, b, t]), f"n{shortcut}.geojson"),
            write(_fc(edges), f"e{shortcut}.geojson"),
        )

    return build


def test_braess_paradox(braess: Callable[[bool], cr.Network]) -> None:
    """Paths s-a-t and s-b-t cost f + k v + F; the shortcut path s-a-b-t costs 2f + e + 2kD
    when all take it. With kD = 0.8 (F - f - e) everyone takes it, and everyone is worse off:
    2f + e + 2kD > f + F + kD/2."""
    without, with_ = braess(False), braess(True)
    f = _free_cost(without, "s", "a", ["road"])
    big = _free_cost(without, "a", "t", ["road"])
    e = _free_cost(with_, "a", "b", ["road"])
    per_week = 100.0
    k = 0.8 * (big - f - e) / per_week
    cap_week = 24.0 * 0.15 / k
    cap = pd.DataFrame([_border("s", "road", cap_week / 7), _border("t", "road", cap_week / 7)])
    demand = pd.DataFrame({"origin": ["s"], "destination": ["t"], "teu_per_week": [per_week]})
    runs = [
        assign(net, demand, capacity=cap, costs=NO_WAIT, beta=1.0, gap=1e-9, max_iter=2000)
        for net in (without, with_)
    ]
    before, after = (r.total_cost / per_week for r in runs)
    assert before == pytest.approx(f + big + k * per_week / 2, rel=1e-3)
    assert after == pytest.approx(2 * f + e + 2 * k * per_week, rel=1e-3)
    assert after > before * 1.02  # the new link makes every box slower


def test_bundled_demand_converges_and_conserves_flow(net: cr.Network) -> None:
    a = assign(net, load_demand())
    assert a.converged
    assert a.gaps[-1] <= 1e-4
    assert all(b <= x + 1e-6 * abs(x) for x, b in zip(a.objective, a.objective[1:], strict=False))
    assert a.gaps[-1] <= a.gaps[0]
    g = a._graph
    x = a.arc_flows
    inflow = np.bincount(g.indices, weights=x, minlength=g.n_nodes)
    outflow = np.bincount(g.tail, weights=x, minlength=g.n_nodes)
    states = slice(0, g.n_states)  # every state node: in = out
    assert np.allclose(inflow[states], outflow[states], atol=1e-6)
    d = a.demand.table
    for hub in set(d["origin"]):
        sent = d.loc[d["origin"] == hub, "teu_per_year"].sum() / 52
        assert outflow[g.source(g.hub_index[hub])] == pytest.approx(sent)
    f = a.corridor_flows()
    assert f["teu_per_year"].sum() == pytest.approx(a.demand.total_teu_per_year)


def test_uncapacitated_equals_all_or_nothing(net: cr.Network) -> None:
    empty = load_capacity().iloc[:0]
    ue = assign(net, load_demand(), capacity=empty)
    aon = assign(net, load_demand(), method="aon")
    assert np.allclose(ue.arc_flows, aon.arc_flows)


def test_sue_approaches_the_logit_shares_as_capacity_grows(net: cr.Network) -> None:
    demand = pd.DataFrame(
        {"origin": ["Guiyang"], "destination": ["Singapore"], "teu_per_year": [1000.0],
         "segment": ["tyres"]}
    )  # fmt: skip
    huge = load_capacity().assign(capacity=lambda t: t["capacity"] * 1e6, background=0.0)
    a = assign(net, demand, method="sue", capacity=huge)
    flows = a.corridor_flows()["share"]
    shares = cr.market_shares(net, "Guiyang", "Singapore", segments=["tyres"])["tyres"]
    for alt, share in shares.items():
        got = sum(flows.get(c, 0.0) for c in str(alt).split("+"))
        assert got == pytest.approx(share, abs=1e-3), alt


def test_scenario_shift(net: cr.Network) -> None:
    base = assign(net, load_demand(), method="aon")
    closed = assign(net, load_demand(), method="aon", scenario=cr.presets()["suez_closed"])
    shift = base.shift(closed)
    assert shift["change"].sum() == pytest.approx(0.0, abs=1e-6)
    df = cr.assign_scenarios(net, load_demand(), [cr.presets()["suez_closed"]], method="aon")
    assert set(df["scenario"]) == {"baseline", "Suez Canal closed"}
    assert (df["error"] == "").all()


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        (
            [{"origin": "Atlantis", "destination": "Singapore", "teu_per_year": 5}],
            "row 1.*field 'origin'.*Atlantis",
        ),
        (
            [{"origin": "Guiyang", "destination": "Singapore", "teu_per_year": -5}],
            "row 1.*teu_per_year.*>= 0",
        ),
        (
            [{"origin": "Guiyang", "destination": "Singapore", "teu_per_year": "inf"}],
            "row 1.*teu_per_year",
        ),
        (
            [{"origin": "Guiyang", "destination": "Singapore", "teu_per_year": "lots"}],
            "row 1.*teu_per_year.*number",
        ),
        (
            [
                {"origin": "Guiyang", "destination": "Singapore", "teu_per_year": 5},
                {"origin": "guiyang", "destination": "Singapore", "teu_per_year": 7},
            ],
            "row 2.*same origin, destination and segment as row 1",
        ),
        (
            [{"origin": "Guiyang", "destination": "Guiyang", "teu_per_year": 5}],
            "row 1.*destination.*same hub",
        ),
        (
            [
                {
                    "origin": "Guiyang",
                    "destination": "Singapore",
                    "teu_per_year": 5,
                    "segment": "caviar",
                }
            ],
            "row 1.*segment.*caviar",
        ),
    ],
)
def test_bad_demand_rows_are_named(net: cr.Network, rows: list[Json], match: str) -> None:
    with pytest.raises(cr.DataError, match=match):
        Demand.read(pd.DataFrame(rows), net)


def test_bad_capacity_and_arguments(net: cr.Network, tmp_path: Path) -> None:
    base = {"element": "border", "id": "mohan", "mode": "rail", "capacity": 18,
            "unit": "trains_per_day", "teu_per_unit": 80, "background": "", "source": "x"}  # fmt: skip
    for change, match in (
        ({"capacity": 0}, "capacity.*> 0"),
        ({"capacity": -3}, "capacity.*>= 0"),
        ({"id": "atlantis"}, "id.*unknown hub"),
        ({"unit": "teu_per_year"}, "unit"),
        ({"mode": "sea"}, "mode"),
        ({"teu_per_unit": ""}, "teu_per_unit"),
        ({"source": ""}, "source"),
    ):
        with pytest.raises(cr.DataError, match=match):
            read_capacity(pd.DataFrame([{**base, **change}]), net)
    demand = load_demand()
    for kwargs, match in (
        ({"gap": 0}, "gap"),
        ({"gap": -1}, "gap"),
        ({"method": "fast"}, "method"),
        ({"max_iter": 0}, "max_iter"),
        ({"beta": 0.5}, "beta"),
        ({"segments": ["caviar"]}, "segments"),
    ):
        with pytest.raises(cr.DataError, match=match):
            assign(net, demand, **kwargs)
    with pytest.raises(cr.DataError, match="demand file not found"):
        assign(net, tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("from,to,teu\nGuiyang,Singapore,5\n", encoding="utf-8")
    with pytest.raises(cr.DataError, match="needs columns origin, destination"):
        assign(net, bad)


def test_bundled_data_is_sourced() -> None:
    cap = load_capacity()
    assert (cap["source"].str.len() > 10).all()
    assert set(cap["element"]) == {"service", "border", "port", "lock"}
    d = load_demand().table
    assert (d["source"].str.len() > 10).all()
    assert (d["method"].str.len() > 10).all()


def test_cli_assign(tmp_path: Path) -> None:
    from corridor.io import bundled_data_path

    out = tmp_path / "flows.geojson"
    png = tmp_path / "flows.png"
    r = runner.invoke(
        app, ["assign", str(bundled_data_path("demand_guizhou.csv")), "--map", str(png), "-o",
              str(out)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "most utilised" in r.output
    assert "converged" in r.output
    assert png.stat().st_size > 10_000
    assert '"teu_per_year"' in out.read_text(encoding="utf-8")
    r = runner.invoke(app, ["assign", str(tmp_path / "none.csv")])
    assert r.exit_code == 1
    assert "none.csv" in r.output
    r = runner.invoke(
        app, ["assign", str(bundled_data_path("demand_guizhou.csv")), "--no-map", "--gap", "0"]
    )
    assert r.exit_code == 1
    assert "gap" in r.output


def test_plot_flows(net: cr.Network) -> None:
    import matplotlib.pyplot as plt

    a = assign(net, load_demand(), method="aon")
    fig, ax = cr.plot_flows(a)
    texts = " ".join(t.get_text() for t in fig.findobj(plt.Text))
    assert "TEU a year" in ax.get_title()
    assert "Source" in texts
    with pytest.raises(cr.DataError):
        cr.plot_flows("flows")  # type: ignore[arg-type]
    plt.close("all")
    assert math.isfinite(a.objective[0])


def test_demand_from_parquet_and_json(net: cr.Network, tmp_path: Path) -> None:
    frame = load_demand().table
    js = tmp_path / "d.json"
    frame.to_json(js, orient="records")
    assert Demand.read(js, net).total_teu_per_year == pytest.approx(frame["teu_per_year"].sum())
    pytest.importorskip("pyarrow")
    pq = tmp_path / "d.parquet"
    frame.to_parquet(pq)
    assert Demand.read(pq, net).total_teu_per_year == pytest.approx(frame["teu_per_year"].sum())
