"""Corridor comparison, scenarios and sensitivity on the bundled network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor import DataError, Scenario
from corridor.compare import BEST
from corridor.corridors import Corridor, Gateway

DESTS = ("Singapore", "Duisburg", "Shenzhen")
ISSUE_CORRIDORS = [
    "china_laos", "land_sea", "guizhou_guangdong", "yangtze", "pearl", "china_europe_alashankou",
    "china_europe_horgos", "china_europe_manzhouli", "sea_suez", "sea_cape", "road",
]  # fmt: skip


@pytest.fixture(scope="module")
def tables(net: cr.Network) -> dict[str, pd.DataFrame]:
    return {d: cr.compare(net, "Guiyang", d) for d in DESTS}


@pytest.mark.parametrize("corridor", ISSUE_CORRIDORS)
def test_every_corridor_serves_one_of_the_three(
    tables: dict[str, pd.DataFrame], corridor: str
) -> None:
    assert any(t.loc[corridor, "status"] == "ok" for t in tables.values()), corridor


def test_comparison_table(tables: dict[str, pd.DataFrame]) -> None:
    for d, t in tables.items():
        assert t.index[0] == BEST
        ok = t[t["status"] == "ok"].drop(index=BEST)
        assert ok["generalized"].is_monotonic_increasing, d
        assert t.loc[BEST, "generalized"] <= ok["generalized"].min() + 1e-9
        shares = ok[[c for c in t.columns if c.startswith("share_")]].sum(axis=1)
        np.testing.assert_allclose(shares, 1.0)
        assert (ok["days"] == ok["hours"] / 24).all()
        not_ok = t[t["status"] != "ok"]
        assert not_ok["reason"].str.len().gt(0).all()
        assert not_ok["usd"].isna().all()
        # nothing silently dropped: every corridor has a row
        assert set(t.index) == {BEST, *(c.id for c in cr.load_corridors())}


def test_corridor_routes_honour_their_definition(net: cr.Network) -> None:
    res = cr.corridor_routes(net, "Guiyang", "Duisburg")
    for key, gateway in [
        ("china_europe_alashankou", "dostyk"),
        ("china_europe_horgos", "khorgos"),
        ("china_europe_manzhouli", "zabaikalsk"),
        ("china_europe_erenhot", "zamyn_uud"),
        ("sea_suez", "suez_canal"),
        ("sea_cape", "cape_good_hope"),
    ]:
        r = res[key].route
        assert r is not None
        assert gateway in r.hubs, key
    assert res["sea_cape"].route is not None
    assert "suez_canal" not in res["sea_cape"].route.hubs
    laos = cr.corridor_routes(net, "Guiyang", "Bangkok")["china_laos"].route
    assert laos is not None
    assert "China–Laos Railway" in laos.lines


def test_multi_gateway_choice_is_exact(net: cr.Network) -> None:
    # the Beibu Gulf gateway is any of three ports, in two steps (in by rail, out by sea)
    r = cr.corridor_routes(net, "Chongqing", "Singapore")["land_sea"].route
    assert r is not None
    # exact: the same as the best of the single-port corridors
    ls = next(c for c in cr.load_corridors() if c.id == "land_sea")
    singles = []
    for rail, sea in zip(ls.gateways[0], ls.gateways[1], strict=True):
        one = Corridor(f"via_{rail.hub}", "one port", "", ((rail,), (sea,)), ls.serves, "test")
        res = cr.corridor_routes(net, "Chongqing", "Singapore", corridors=[one])[one.id]
        if res.route is not None:
            singles.append(res.route.total_generalized)
    assert r.total_generalized == pytest.approx(min(singles))


def test_compare_other_criteria(net: cr.Network) -> None:
    t = cr.compare(
        net, "Guiyang", "Duisburg", by="usd", corridors=["sea_suez", "china_europe_horgos"]
    )
    assert list(t.index) == [BEST, "sea_suez", "china_europe_horgos"]
    assert t.loc[BEST, "usd"] <= t["usd"].min()


def test_compare_bad_input(net: cr.Network) -> None:
    with pytest.raises(DataError, match=r"unknown corridor 'silk_road'; known: china_laos"):
        cr.compare(net, "Guiyang", "Duisburg", corridors=["silk_road"])
    with pytest.raises(cr.NodeNotFound, match="did you mean"):
        cr.compare(net, "Guiyang", "Duisbrg")
    with pytest.raises(DataError, match="by='speed' is not a criterion"):
        cr.compare(net, "Guiyang", "Duisburg", by="speed")  # type: ignore[arg-type]


# ---------------------------------------------------------------- scenarios


def _delta(net: cr.Network, dest: str, key: str, **kw: Any) -> pd.DataFrame:
    df = cr.compare_scenarios(net, "Guiyang", dest, [cr.presets()[key]], **kw)
    return df.xs(cr.presets()[key].name, level="scenario")


def test_presets_exist() -> None:
    assert {
        "suez_closed",
        "red_sea_closed",
        "malacca_closed",
        "huangtong_baise_open",
        "mohan_at_opening",
        "carbon_price_100",
    } <= set(cr.presets())


def test_closing_suez_lengthens_the_all_sea_route(net: cr.Network) -> None:
    d = _delta(net, "Duisburg", "suez_closed")
    assert d.loc["sea_suez", "status"] == "no route"
    assert d.loc["land_sea", "d_km"] > 4000
    assert d.loc["land_sea", "d_days"] > 5
    assert d.loc["sea_cape", "d_km"] == pytest.approx(0.0)
    assert d.loc["china_europe_alashankou", "d_usd"] == pytest.approx(0.0)


def test_red_sea_and_malacca(net: cr.Network) -> None:
    assert _delta(net, "Duisburg", "red_sea_closed").loc["land_sea", "d_km"] > 4000
    m = _delta(net, "Duisburg", "malacca_closed")
    assert m.loc["land_sea", "d_km"] > 0


@pytest.mark.parametrize("dest", ["Singapore", "Hanoi", "Nanning", "Duisburg", "Kunming"])
def test_opening_huangtong_baise_can_only_shorten(net: cr.Network, dest: str) -> None:
    d = _delta(net, dest, "huangtong_baise_open")
    ok = d[d["status"] == "ok"]
    assert (ok["d_generalized"] <= 1e-9).all()


def test_opening_huangtong_baise_shortens_a_route_through_it(net: cr.Network) -> None:
    by_km = cr.compare_scenarios(
        net, "Anshun", "Nanning", [cr.presets()["huangtong_baise_open"]], by="km"
    )
    opened = by_km.xs("Huangtong–Baise railway open", level="scenario")
    assert opened.loc[BEST, "d_km"] < -20
    assert "Huangtong–Baise railway" in opened.loc[BEST, "lines"]


@pytest.mark.parametrize("dest", ["Singapore", "Bangkok", "Vientiane"])
def test_slower_mohan_can_only_slow_the_china_laos_route(net: cr.Network, dest: str) -> None:
    d = _delta(net, dest, "mohan_at_opening", by="hours")
    mohan = net.borders.loc[("mohan", "rail", "export"), "hours"]  # southbound: leaving China
    assert d.loc["china_laos", "d_hours"] == pytest.approx(40.0 - mohan)
    ok = d[d["status"] == "ok"]
    assert (ok["d_hours"] >= -1e-9).all()


def test_carbon_price_raises_generalized_cost(net: cr.Network) -> None:
    d = _delta(net, "Duisburg", "carbon_price_100")
    ok = d[d["status"] == "ok"]
    assert (ok["d_generalized"] > 0).all()


def test_compare_scenarios_shape(net: cr.Network) -> None:
    df = cr.compare_scenarios(net, "Guiyang", "Singapore", list(cr.presets().values()))
    assert df.index.names == ["scenario", "corridor"]
    assert df.index.get_level_values("scenario")[0] == "baseline"
    base = df.xs("baseline", level="scenario")
    ok = base[base["status"] == "ok"]
    assert (ok["d_usd"] == 0).all()
    with pytest.raises(DataError, match="unique and not 'baseline'"):
        cr.compare_scenarios(net, "Guiyang", "Singapore", [Scenario("baseline")])
    with pytest.raises(DataError, match="must be a Scenario object"):
        cr.compare_scenarios(net, "Guiyang", "Singapore", ["suez_closed"])  # type: ignore[list-item]


def test_scenario_tariffs_and_open(net: cr.Network) -> None:
    base = cr.route(net, "Kunming", "Vientiane", modes=["rail"], by="usd")
    dear = cr.route(
        net,
        "Kunming",
        "Vientiane",
        modes=["rail"],
        by="usd",
        scenario=Scenario("dear", tariffs={"China–Laos Railway": 0.5}),
    )
    assert dear.total_usd - base.total_usd == pytest.approx((0.5 - 0.23) * base.total_km, rel=1e-6)
    by_mode = cr.route(
        net,
        "Kunming",
        "Vientiane",
        modes=["rail"],
        by="usd",
        scenario=Scenario("rail", tariffs={"rail": 0.46}),
    )
    assert by_mode.total_usd - base.total_usd == pytest.approx(0.23 * base.total_km, rel=1e-6)
    with pytest.raises(DataError, match="open: no line, link or service named 'Silk Railway'"):
        cr.route(net, "Guiyang", "Nanning", scenario=Scenario("x", open=["Silk Railway"]))
    with pytest.raises(DataError, match="tariffs: no mode, line or link named 'teleport'"):
        cr.route(net, "Guiyang", "Nanning", scenario=Scenario("x", tariffs={"teleport": 1.0}))
    with pytest.raises(
        DataError, match=r"Scenario 'x': tariffs\['rail'\] must be a finite number > 0"
    ):
        Scenario("x", tariffs={"rail": 0})


def test_scenario_files(tmp_path: Path) -> None:
    presets = list(cr.presets().values())
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"scenarios": [s.to_dict() for s in presets]}), encoding="utf-8")
    assert cr.load_scenarios(path) == presets
    with_costs = Scenario("cheap rail", costs=cr.CostModel(transfer_usd=10.0))
    assert Scenario.from_dict(with_costs.to_dict()) == with_costs
    cases = [
        ('[{"name": "a", "colse": []}]', r"scenario #0: Scenario 'a': unknown field\(s\) colse"),
        ('[{"close": []}]', r"scenario #0: a scenario needs a 'name'"),
        ('[{"name": "a"}, {"name": "a"}]', r"duplicate scenario names: 'a'"),
        ('{"x": 1}', r"expected a list of scenarios"),
        ("not json", r"not a JSON scenario file"),
        (
            '[{"name": "a", "border_hours": {"Mohan": "slow"}}]',
            r"border_hours\['Mohan'\] must be a finite number",
        ),
        (
            '[{"name": "a", "costs": {"speed": 1}}]',
            r"Scenario 'a': costs: .*unexpected keyword argument 'speed'",
        ),
        (
            '[{"name": "a", "carbon_price_usd_per_t": -3}]',
            r"carbon_price_usd_per_t must be a finite number from 0 to 100000",
        ),
    ]
    for text, pattern in cases:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataError, match=pattern):
            cr.load_scenarios(path)
    with pytest.raises(DataError, match="file not found"):
        cr.load_scenarios(tmp_path / "none.json")


def test_corridor_files(tmp_path: Path, net: cr.Network) -> None:
    good = json.loads(json.dumps({"corridors": [
        {"id": "x", "name": "X", "gateways": [["boten:rail"]], "serves": ["LAO"], "source": "s"}
    ]}))  # fmt: skip
    path = tmp_path / "c.json"
    path.write_text(json.dumps(good), encoding="utf-8")
    (c,) = cr.load_corridors(path)
    assert c.gateways == ((Gateway("boten", "rail"),),)
    res = cr.compare(net, "Kunming", "Vientiane", corridors=[c])
    assert res.loc["x", "status"] == "ok"
    bad = [
        ({"gateways": [["boten:teleport"]]}, r"gateways\[0\]: 'boten:teleport' is not 'hub:mode'"),
        ({"gateways": [[]]}, r"gateways\[0\] must be a non-empty list"),
        ({"tags": ["china_laos"]}, r"field 'tags' is no longer used"),
        ({"gateways": []}, r"needs 'gateways' or 'modes'"),
        ({"modes": ["teleport"]}, r"field 'modes' must be a non-empty list"),
        ({"exclusive": "false"}, r"field 'exclusive' must be true or false"),
        ({"gateways": [["link:"]]}, r"gateways\[0\]: 'link:' is not 'hub:mode'"),
        ({"serves": "LAO"}, r"field 'serves' must be a list of strings"),
        ({"name": ""}, r"field 'name' must be a non-empty string"),
    ]
    for change, pattern in bad:
        doc = json.loads(json.dumps(good))
        doc["corridors"][0].update(change)
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(DataError, match=r"c\.json 'x': " + pattern):
            cr.load_corridors(path)
    doc = json.loads(json.dumps(good))
    doc["corridors"].append(doc["corridors"][0])
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataError, match="duplicate corridor ids: x"):
        cr.load_corridors(path)
    with pytest.raises(DataError, match="gateway hub 'atlantis' is not in the network"):
        cr.compare(
            net,
            "Kunming",
            "Vientiane",
            corridors=[Corridor("y", "Y", "", ((Gateway("atlantis", "rail"),),), ("LAO",), "s")],
        )
    with pytest.raises(DataError, match="gateway link 'l_nowhere' is not in the network"):
        cr.compare(
            net,
            "Kunming",
            "Vientiane",
            corridors=[
                Corridor("z", "Z", "", ((Gateway("", "", "link", "l_nowhere"),),), ("LAO",), "s")
            ],
        )


def test_closed_gateway_is_explained(net: cr.Network) -> None:
    res = cr.corridor_routes(
        net, "Guiyang", "Bangkok", scenario=Scenario("no Boten", close=["Boten"])
    )
    assert res["china_laos"].status == "no route"
    assert "gateway" in res["china_laos"].reason


# ---------------------------------------------------------------- sensitivity


def test_sensitivity_is_reproducible(net: cr.Network) -> None:
    a = cr.sensitivity(net, "Guiyang", "Duisburg", samples=300, seed=42)
    b = cr.sensitivity(net, "Guiyang", "Duisburg", samples=300, seed=42)
    c = cr.sensitivity(net, "Guiyang", "Duisburg", samples=300, seed=43)
    pd.testing.assert_frame_equal(a.samples, b.samples)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_series_equal(a.wins, b.wins)
    assert not a.samples.equals(c.samples)
    assert a.wins.sum() == pytest.approx(1.0)
    assert set(a.samples.columns) == set(cr.sensitivity.__globals__["DEFAULT_VARY"])


def test_sensitivity_without_variation_matches_compare(net: cr.Network) -> None:
    res = cr.sensitivity(net, "Guiyang", "Singapore", samples=5, vary={}, seed=0)
    table = cr.compare(net, "Guiyang", "Singapore")
    for key, t in res.totals.items():
        for col in ("usd", "hours", "km", "co2_kg", "generalized"):
            np.testing.assert_allclose(t[col], table.loc[key, col], rtol=1e-9)
    winner = table.drop(index=BEST)["generalized"].idxmin()
    assert res.wins.idxmax() == winner
    assert res.wins[winner] == 1.0


def test_sensitivity_tracks_the_drawn_parameters(net: cr.Network) -> None:
    res = cr.sensitivity(
        net, "Guiyang", "Duisburg", samples=400, seed=5, vary={"tariff.sea": (0.03, 0.06)}, by="usd"
    )
    sea = res.totals["sea_suez"]
    # with rail and every other input held, the sea route's USD rises with the sea tariff
    assert np.corrcoef(res.samples["tariff.sea"], sea["usd"])[0, 1] > 0.99
    assert res.samples["tariff.rail"].nunique() == 1


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"samples": 0}, r"samples must be >= 1, got 0"),
        ({"samples": 2.5}, r"samples must be a whole number"),
        (
            {"vary": {"tariff.rocket": (1, 2)}},
            r"vary: unknown parameter 'tariff.rocket'; known: tariff.rail",
        ),
        (
            {"vary": {"tariff.rail": (0.5, 0.1)}},
            r"vary\['tariff.rail'\] must satisfy 0 <= low <= high",
        ),
        ({"vary": {"tariff.rail": (0.0, 0.1)}}, r"a tariff must be > 0"),
        ({"vary": {"tariff.rail": "cheap"}}, r"must be a \(low, high\) pair of numbers"),
        ({"vary": [1, 2]}, r"vary must be a mapping"),
    ],
)
def test_sensitivity_bad_input(net: cr.Network, kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        cr.sensitivity(net, "Guiyang", "Duisburg", **kwargs)
