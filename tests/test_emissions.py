"""Emissions as ISO 14083 / the GLEC Framework count them (issue 17)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor import DataError
from corridor.costs import DEFAULT_CO2_PER_TKM, CostModel
from corridor.emissions import (
    HUB_KINDS,
    TABLES,
    VEHICLES,
    allocate,
    fuel_kg,
    hub_factor,
    leg_kg,
    link_factors,
    load_emission_tables,
    read_emission_tables,
    site_kg,
)

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def net() -> cr.Network:
    return cr.load_network()


def _index(net: cr.Network, link: str) -> int:
    return list(net.edges.index).index(link)


ROUTES = [
    ("Guiyang", "Singapore", {}),
    ("Guiyang", "Duisburg", {"modes": ["rail", "road"]}),
    ("Guiyang", "Shenzhen", {}),
    ("Shanghai", "Rotterdam", {"modes": ["sea"]}),
    ("Kunming", "Bangkok", {"modes": ["rail", "road"]}),
    ("Guiyang", "Moscow", {"modes": ["air", "road"]}),
    ("Chongqing", "Shanghai", {"modes": ["inland_waterway", "road"]}),
]


@pytest.mark.parametrize(("o", "d", "kw"), ROUTES)
def test_elements_sum_to_the_route_totals(net: cr.Network, o: str, d: str, kw: dict) -> None:
    r = cr.route(net, o, d, **kw)
    e = r.emissions()
    assert len(e) > 0
    assert math.isclose(e["wtw_kg"].sum(), r.total_co2_kg, rel_tol=1e-9)
    assert math.isclose(e["ttw_kg"].sum(), r.total_co2e_ttw_kg, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(r.legs["co2_kg"].sum(), r.total_co2_kg, rel_tol=1e-9)
    legs = e[e["kind"] == "leg"]
    assert math.isclose(legs["km"].sum(), r.total_km, rel_tol=1e-9)
    fossil = e["energy"].ne("electricity")
    assert (e.loc[fossil, "wtw_kg"] >= e.loc[fossil, "ttw_kg"] - 1e-12).all()
    assert (e["wtw_kg"] >= 0).all()
    assert (e["ttw_kg"] >= 0).all()
    assert set(e["tier"]) <= {"default", "not counted (no figure)"}


def test_every_fossil_intensity_is_at_least_its_tank_to_wheel() -> None:
    t = load_emission_tables()
    fossil = t.intensities[t.intensities["energy"] != "electricity"]
    assert (fossil["wtw"] >= fossil["ttw"]).all()
    assert sorted(t.used.index) == sorted(VEHICLES)
    assert (t.hubs["wtw"] >= t.hubs["ttw"]).all()
    assert t.intensities["source"].str.len().gt(0).all()


def test_electric_rail_is_the_grid_factor_of_its_country(net: cr.Network) -> None:
    """The China–Laos Railway in Laos: kWh per tonne-km x the Lao grid; a cleaner Lao grid
    lowers it in proportion, a Chinese one does not touch it."""
    t = load_emission_tables()
    i = _index(net, "r_boten_vientiane")
    base = link_factors(net, 12.0)
    kwh = float(t.used.loc["rail_electric", "ttw"])
    lao = float(t.grid.set_index("country_iso3").loc["LAO", "g_co2e_per_kwh"])
    assert base.vehicle[i] == "rail_electric"
    assert base.energy[i] == "electricity"
    assert math.isclose(base.wtw[i], kwh * lao * 12.0 / 1000.0, rel_tol=1e-9)
    assert base.ttw[i] == 0.0
    half = link_factors(net, 12.0, cr.Scenario("half", grid_g_per_kwh={"LAO": lao / 2}))
    assert math.isclose(half.wtw[i], base.wtw[i] / 2, rel_tol=1e-9)
    china = link_factors(net, 12.0, cr.Scenario("c", grid_g_per_kwh={"CHN": 10.0}))
    assert math.isclose(china.wtw[i], base.wtw[i], rel_tol=1e-12)
    j = _index(net, "r_kunming_mohan")  # in China
    assert china.wtw[j] < base.wtw[j]


def test_a_line_across_a_border_is_split_by_country(net: cr.Network) -> None:
    """Moscow–Brest runs in Russia and Belarus: with Belarus's grid made zero, its intensity
    falls by the Belarus share of the line only."""
    i = _index(net, "r_moscow_brest")
    base = link_factors(net, 12.0)
    no_blr = link_factors(net, 12.0, cr.Scenario("b", grid_g_per_kwh={"BLR": 0.0}))
    no_rus = link_factors(net, 12.0, cr.Scenario("r", grid_g_per_kwh={"RUS": 0.0}))
    assert 0 < no_blr.wtw[i] < base.wtw[i]
    assert 0 < no_rus.wtw[i] < base.wtw[i]
    assert math.isclose(no_blr.wtw[i] + no_rus.wtw[i], base.wtw[i], rel_tol=1e-9)


def test_traction_scenario_electrifies_a_line(net: cr.Network) -> None:
    t = load_emission_tables()
    i = _index(net, "r_dostyk_aktogay")
    base = link_factors(net, 12.0)
    assert base.vehicle[i] == "rail_diesel"
    assert base.ttw[i] > 0
    s = cr.Scenario("kz", traction={"Dostyk–Moyynty railway": "electric"})
    e = link_factors(net, 12.0, s)
    kaz = float(t.grid.set_index("country_iso3").loc["KAZ", "g_co2e_per_kwh"])
    kwh = float(t.used.loc["rail_electric", "ttw"])
    assert e.ttw[i] == 0.0
    assert math.isclose(e.wtw[i], kwh * kaz * 12.0 / 1000.0, rel_tol=1e-9)


def test_hydropower_lowers_the_china_laos_route(net: cr.Network) -> None:
    base = cr.route(net, "Kunming", "Vientiane", modes=["rail"])
    hydro = cr.route(
        net, "Kunming", "Vientiane", modes=["rail"],
        scenario=cr.Scenario("hydro", grid_g_per_kwh={"China–Laos Railway": 24.0}),
    )  # fmt: skip
    assert hydro.total_co2_kg < 0.2 * base.total_co2_kg
    assert hydro.total_usd == base.total_usd


def _lifts_expected(r: cr.Route) -> int:
    """Lifts from the legs alone: one per change of mode, break of gauge, export or import
    at a seaport, two per transshipment."""
    legs = r.legs
    n = int(legs["kind"].isin(["transfer", "gauge_change"]).sum())
    port = legs[legs["kind"] == "port"]
    n += int(port["line"].str.startswith("transshipment").sum()) * 2
    n += int((~port["line"].str.startswith("transshipment")).sum())
    return n


@pytest.mark.parametrize(("o", "d", "kw"), ROUTES)
def test_every_handling_is_counted_once_per_lift(net: cr.Network, o: str, d: str, kw: dict) -> None:
    r = cr.route(net, o, d, **kw)
    e = r.emissions()
    hubs = e[e["kind"] == "hub"]
    assert int(hubs["handlings"].sum()) == _lifts_expected(r), (o, d)
    for _, h in hubs.iterrows():
        fig = hub_factor(h["vehicle"], 12.0)
        if fig is None:
            assert h["wtw_kg"] == 0
            assert h["tier"].startswith("not counted")
        else:
            assert math.isclose(h["wtw_kg"], fig[0] * h["handlings"])
            assert math.isclose(h["ttw_kg"], fig[1] * h["handlings"])


def test_a_transshipment_is_two_seaport_handlings(net: cr.Network) -> None:
    """Off one ship and onto the next, as a per-TEU-of-throughput figure counts it: the
    quay-to-ship arcs of the compiled graph carry two seaport handlings, the export and
    import arcs one (no bundled route happens to change ships, so the graph is checked)."""
    from corridor._compile import PORT, compiled

    g = compiled(net, CostModel(), None)
    w, t = hub_factor("seaport", 12.0)
    port = np.flatnonzero(g.kind == PORT)
    inner = (g.tail[port] < g.n_states) & (g.indices[port] < g.n_states)
    assert inner.any()
    assert (~inner).any()
    assert np.allclose(g.criteria[3, port[inner]], 2 * w)
    assert np.allclose(g.co2_ttw[port[inner]], 2 * t)
    assert np.allclose(g.criteria[3, port[~inner]], w)


def test_sea_and_air_distances_are_adjusted(net: cr.Network) -> None:
    t = load_emission_tables()
    daf = t.daf.set_index("mode")
    f = link_factors(net, 12.0)
    sea = [i for i, m in enumerate(net.edges["mode"]) if m == "sea"]
    assert np.allclose(f.daf[sea], daf.loc["sea", "factor"])
    air = [i for i, m in enumerate(net.edges["mode"]) if m == "air"]
    km = net.edges["length_km"].to_numpy()[air]
    assert np.allclose(f.daf[air], 1 + daf.loc["air", "additive_km"] / km)
    for mode in ("rail", "road", "inland_waterway"):  # route lengths already: no adjustment
        idx = [i for i, m in enumerate(net.edges["mode"]) if m == mode]
        assert np.allclose(f.daf[idx], 1.0), mode


def test_cargo_mass_scales_mass_based_vehicles_not_ships(net: cr.Network) -> None:
    a, b = link_factors(net, 10.0), link_factors(net, 20.0)
    for i, v in enumerate(a.vehicle):
        if v.startswith("container_ship"):
            assert a.wtw[i] == b.wtw[i]
        elif a.wtw[i] > 0:
            assert math.isclose(b.wtw[i], 2 * a.wtw[i], rel_tol=1e-9)


def test_the_carbon_price_prices_the_well_to_wheel_figure(net: cr.Network) -> None:
    r0 = cr.route(net, "Guiyang", "Singapore")
    r1 = cr.route(
        net, "Guiyang", "Singapore", scenario=cr.Scenario("c", carbon_price_usd_per_t=100)
    )
    assert r1.path == r0.path
    assert math.isclose(
        r1.total_generalized - r0.total_generalized, 0.1 * r0.total_co2_kg, rel_tol=1e-9
    )


def test_flat_figures_per_mode_are_still_available(net: cr.Network) -> None:
    cm = CostModel(co2_kg_per_tkm=DEFAULT_CO2_PER_TKM)
    r = cr.route(net, "Guiyang", "Singapore", costs=cm)
    legs = r.legs[r.legs["kind"] == "link"]
    expected = sum(
        km * DEFAULT_CO2_PER_TKM[m] * 12.0 for km, m in zip(legs["km"], legs["mode"], strict=True)
    )
    assert math.isclose(r.total_co2_kg, expected, rel_tol=1e-9)
    assert math.isnan(r.total_co2e_ttw_kg)  # flat figures have no tank-to-wheel split
    assert CostModel().describe().loc["co2_kg_per_tkm", "value"] is None


def test_compare_reports_wtw_and_ttw(net: cr.Network) -> None:
    c = cr.compare(net, "Guiyang", "Duisburg")
    ok = c["status"] == "ok"
    assert ok.sum() >= 4
    assert (c.loc[ok, "co2e_wtw_kg"] == c.loc[ok, "co2_kg"]).all()
    assert (c.loc[ok, "co2e_ttw_kg"] < c.loc[ok, "co2e_wtw_kg"]).all()


# ------------------------------------------------------------- published worked examples


def _inputs(text: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in text.split(";") if "=" in p) if text else {}


def _examples() -> list[dict[str, str]]:
    with open(SOURCES / "emission_examples.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_at_least_five_sourced_worked_examples() -> None:
    rows = _examples()
    assert len(rows) >= 5
    assert all(r["source"].strip() for r in rows)
    assert sum("authority=high" in r["note"] for r in rows) >= 5


@pytest.mark.parametrize("row", _examples(), ids=lambda r: r["id"])
def test_worked_example_is_reproduced_within_its_rounding(row: dict[str, str]) -> None:
    calc = row["calculation"]
    inputs = _inputs(row["inputs"])
    published = float(row["published_kg_co2e"])
    tol = float(row["tolerance_kg"]) + 1e-9 * published
    if calc == "distance":
        got = leg_kg(
            float(row["distance_km"]), float(row["intensity"]), row["intensity_unit"],
            mass_t=float(row["mass_t"]) if row["mass_t"] else None,
        )  # fmt: skip
    elif calc == "fuel":
        got = fuel_kg(float(inputs["fuel_l"]), float(row["intensity"]))
    elif calc == "allocation":
        group = [r for r in _examples() if _inputs(r["inputs"]).get("group") == inputs["group"]]
        tkm = [float(r["mass_t"]) * float(r["distance_km"]) for r in group]
        shares = allocate(float(inputs["run_total_kg"]), tkm)
        got = float(shares[[r["id"] for r in group].index(row["id"])])
    elif calc == "site":
        got = site_kg(
            {"electricity": (float(inputs["electricity_kwh"]),
                             float(inputs["electricity_kg_per_kwh"])),
             "gas": (float(inputs["gas_kwh"]), float(inputs["gas_kg_per_kwh"]))},
            float(inputs["share"]),
        )  # fmt: skip
    else:
        assert calc == "chain"
        got = sum(float(x) for x in inputs["elements_kg"].split("+"))
    assert abs(got - published) <= tol, (row["id"], got, published)


def test_leg_arithmetic_is_the_one_the_network_uses(net: cr.Network) -> None:
    """A truck link's factor is exactly leg_kg over one km with the truck's intensity."""
    t = load_emission_tables()
    i = _index(net, "d_guiyang_zunyi")
    f = link_factors(net, 12.0)
    truck = t.used.loc["truck"]
    one_km = leg_kg(1.0, float(truck["wtw"]), "g_co2e_per_tkm", mass_t=12.0, daf=f.daf[i])
    assert math.isclose(f.wtw[i], one_km, rel_tol=1e-12)


# ------------------------------------------------------------------------- bad input


def _frames() -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(SOURCES / file, dtype=str, keep_default_na=False)
        for name, file in TABLES.items()
    }


def test_the_source_tables_read_and_match_the_bundle() -> None:
    t = read_emission_tables(SOURCES)
    b = load_emission_tables()
    assert t.to_json() == b.to_json()
    assert set(b.hub_used.index) >= set(HUB_KINDS) - {"airport"}


@pytest.mark.parametrize(
    ("table", "row", "field", "value", "pattern"),
    [
        ("intensities", 1, "wtw", "-3", r"#2 \(truck\): field 'wtw': .*>= 0"),
        ("intensities", 1, "ttw", "nan", r"'ttw'"),
        ("intensities", 1, "ttw", "inf", r"'ttw'"),
        ("intensities", 0, "energy", "coal", r"'energy'.*unknown energy carrier 'coal'"),
        ("intensities", 0, "vehicle", "zeppelin", r"'vehicle'.*unknown vehicle class 'zeppelin'"),
        ("intensities", 1, "load_factor", "0", r"'load_factor'.*must be > 0"),
        ("intensities", 1, "load_factor", "1.5", r"'load_factor'.*at most 1"),
        ("intensities", 1, "use", "false", r"exactly one row of vehicle"),
        ("intensities", 1, "use", "maybe", r"'use'.*true or false"),
        ("grid", 0, "country_iso3", "XXQ", r"'country_iso3'.*unknown country 'XXQ'"),
        ("grid", 0, "g_co2e_per_kwh", "-1", r"'g_co2e_per_kwh'"),
        ("hubs", 0, "hub_kind", "teleporter", r"unknown hub kind 'teleporter'"),
        ("hubs", 0, "wtw", "1", r"well-to-wheel 1 is below tank-to-wheel"),
        ("daf", 0, "factor", "0.5", r"'factor'.*must be >= 1"),
        ("traction", 0, "electric_share", "1.2", r"'electric_share'.*at most 1"),
        ("traction", 0, "key", "ATL", r"unknown country 'ATL'"),
        ("energy", 0, "source", "", r"'source'.*must say where"),
    ],
)
def test_bad_tables_name_row_and_field(
    table: str, row: int, field: str, value: str, pattern: str
) -> None:
    frames = _frames()
    df = frames[table].copy()
    if field == "load_factor" and table == "intensities":
        row = int(np.flatnonzero(df["vehicle"] == "truck")[0])
        pattern = pattern.replace("#2", f"#{row + 1}")
    if field in ("wtw", "ttw") and table == "intensities":
        row = int(np.flatnonzero(df["vehicle"] == "truck")[0])
        pattern = pattern.replace("#2", f"#{row + 1}")
    if field == "use" and value == "false":
        row = int(np.flatnonzero((df["vehicle"] == "truck") & (df["use"] == "true"))[0])
    df.loc[df.index[row], field] = value
    frames[table] = df
    with pytest.raises(DataError, match=pattern):
        read_emission_tables(frames)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"traction": {"China–Laos Railway": "hydro"}}, r"traction.*'electric' or 'diesel'"),
        ({"traction": ["China–Laos Railway"]}, r"traction must be a mapping"),
        ({"grid_g_per_kwh": {"LAO": -5}}, r"grid_g_per_kwh.*>= 0"),
        ({"grid_g_per_kwh": {"LAO": "24"}}, r"grid_g_per_kwh.*finite number"),
        ({"grid_g_per_kwh": {"LAO": 5e6}}, r"grid_g_per_kwh.*at most 2000"),
    ],
)
def test_bad_energy_scenarios(kwargs: dict, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        cr.Scenario("bad", **kwargs)


def test_a_grid_factor_for_an_unknown_country_says_so(net: cr.Network) -> None:
    with pytest.raises(DataError, match=r"grid_g_per_kwh: unknown country 'XYZ'"):
        link_factors(net, 12.0, cr.Scenario("x", grid_g_per_kwh={"XYZ": 10.0}))
    with pytest.raises(DataError, match=r"grid_g_per_kwh: 'LA0' is neither a country code"):
        link_factors(net, 12.0, cr.Scenario("x", grid_g_per_kwh={"LA0": 10.0}))


def test_an_electric_line_without_a_grid_factor_names_link_and_country() -> None:
    """A user's network with a country the grid table lacks: forcing its line electric is an
    error naming the link and the country, never a silent zero."""
    nodes = cr.load_network().nodes
    edges = cr.load_network().edges
    nodes = nodes.copy()
    nodes.loc["vientiane", "country"] = "KHM"
    nodes.loc["boten", "country"] = "KHM"
    nodes.loc["vientiane_south", "country"] = "KHM"
    user = cr.load_network(nodes=nodes, edges=edges)
    with pytest.raises(DataError, match=r"link 'r_\w+': rail in KHM .*no grid factor for KHM"):
        link_factors(user, 12.0)
    fixed = link_factors(user, 12.0, cr.Scenario("x", grid_g_per_kwh={"KHM": 100.0}))
    i = list(user.edges.index).index("r_boten_vientiane")
    assert fixed.ttw[i] == 0.0


def test_an_energy_scenario_naming_no_line_says_so(net: cr.Network) -> None:
    with pytest.raises(DataError, match=r"traction: no line or link named 'Atlantis railway'"):
        cr.route(net, "Kunming", "Vientiane",
                 scenario=cr.Scenario("x", traction={"Atlantis railway": "electric"}))  # fmt: skip


def test_energy_scenarios_round_trip_through_dicts() -> None:
    s = cr.Scenario("x", traction={"Dostyk–Moyynty railway": "electric"},
                    grid_g_per_kwh={"LAO": 24})  # fmt: skip
    assert cr.Scenario.from_dict(s.to_dict()) == s


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: leg_kg(-1, 0.1, "kg_co2e_per_tkm", mass_t=1), r"distance_km"),
        (lambda: leg_kg(1, 0.1, "furlongs", mass_t=1), r"unknown intensity unit"),
        (lambda: leg_kg(1, 0.1, "g_co2e_per_teukm", mass_t=1), r"needs teu"),
        (lambda: leg_kg(1, 0.1, "kg_co2e_per_tkm", mass_t=1, daf=0.9), r"daf must be >= 1"),
        (lambda: fuel_kg(float("nan"), 3), r"quantity"),
        (lambda: allocate(10, []), r"at least one shipment"),
        (lambda: site_kg({"e": (1, 1)}, 2), r"share must be at most 1"),
        (lambda: hub_factor("teleporter", 12), r"unknown hub kind"),
    ],
)
def test_bad_arithmetic_input(call, pattern: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match=pattern):
        call()
