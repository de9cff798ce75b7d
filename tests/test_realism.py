"""Time and cost realism: driving rules, borders by mode and direction, ports, rivers, and
the model against published figures."""

from __future__ import annotations

import json
import math
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor as cr
from corridor import DataError
from corridor.costs import (
    CRITERIA,
    EU_RULES,
    PRC_RULES,
    SEA_SPOT_BASE_USD_PER_TEU,
    CostModel,
    DrivingRules,
)
from corridor.tables import customs_area, read_borders, read_ports
from corridor.validation import (
    _service_route,
    independent_share,
    load_validation,
    summary,
    used,
    validate_published,
)

Json = dict[str, Any]
SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


def _road_chain(
    write: Callable[..., Path], factory: Any, lon: float, lat: float, kms: list[float]
) -> cr.Network:
    """Hubs h0, h1, ... joined by expressway links of ``kms`` km, in one country."""
    _node, _edge = factory
    country = "CHN" if lon > 70 else "DEU"
    hubs = [
        _node(f"h{i}", lon + 0.5 * i, lat, ["road", "rail"], country=country)
        for i in range(len(kms) + 1)
    ]
    links = [
        _edge(f"d{i}", hubs[i], hubs[i + 1], "road", km, road_class="expressway", terrain="plain")
        for i, km in enumerate(kms)
    ]
    return cr.load_network(
        write({"type": "FeatureCollection", "features": hubs}, "n.geojson"),
        write({"type": "FeatureCollection", "features": links}, "e.geojson"),
    )


def _stops_by_hand(rules: DrivingRules, driving: float) -> float:
    """Written out day by day: each full day's driving that the truck drives on after
    ends in the daily rest; each full spell it drives on after, in a break."""
    stopped, left = 0.0, driving
    while left > 1e-9:
        today = min(left, rules.daily_driving_hours)
        spells = today / rules.continuous_hours
        stopped += (math.ceil(spells - 1e-9) - 1) * rules.break_hours
        left -= today
        if left > 1e-9:
            stopped += rules.daily_rest_hours
    return stopped


@pytest.mark.parametrize(("lon", "lat", "rules"), [(106.0, 26.0, PRC_RULES), (8.0, 50.0, EU_RULES)])
@pytest.mark.parametrize("km", [150.0, 400.0, 2000.0])
def test_a_drive_adds_the_rests_of_its_trip(
    write: Callable[..., Path],
    factory: Any,
    lon: float,
    lat: float,
    rules: DrivingRules,
    km: float,
) -> None:
    net = _road_chain(write, factory, lon, lat, [km])
    cm = CostModel()
    driving = km / cm.truck_speed_kmh["expressway"]
    r = cr.route(net, "h0", "h1", costs=cm)
    assert r.total_hours == pytest.approx(driving + _stops_by_hand(rules, driving))
    if driving <= rules.continuous_hours:  # one spell: no stop at all
        assert r.total_hours == pytest.approx(driving)
    team = cr.route(net, "h0", "h1", costs=cm.replace(truck_team=True))
    assert team.total_hours <= r.total_hours
    assert team.total_usd > r.total_usd  # the second driver is paid
    if driving > rules.daily_driving_hours:
        assert team.total_hours < r.total_hours


def test_a_truck_keeps_its_clock_through_a_hub(write: Callable[..., Path], factory: Any) -> None:
    """Two 5 h links make one 10 h trip (one daily rest under the PRC's 8 h), not two
    fresh 5 h trips: a truck cannot skip its rest by stopping at a hub on the way."""
    cm = CostModel()
    km = 5.0 * cm.truck_speed_kmh["expressway"]
    chain = _road_chain(write, factory, 106.0, 26.0, [km, km])
    r = cr.route(chain, "h0", "h2", costs=cm)
    assert r.total_hours == pytest.approx(10.0 + _stops_by_hand(PRC_RULES, 10.0))
    assert r.total_hours > 10.0 + PRC_RULES.daily_rest_hours
    # each half alone is one spell and a break: no daily rest
    half = cr.route(chain, "h1", "h2", costs=cm)
    assert half.total_hours == pytest.approx(5.0 + PRC_RULES.break_hours)


def test_a_domestic_trip_to_a_border_town_pays_no_border(net: cr.Network) -> None:
    r = cr.route(net, "Nanning", "Pingxiang", modes=["road"])
    assert r.border_crossings == 0
    assert not (r.legs["kind"] == "crossing").any()
    across = cr.route(net, "Nanning", "Dong Dang", modes=["road"])
    crossing = across.legs[across.legs["kind"] == "crossing"]
    b = net.borders
    assert crossing["usd"].sum() == pytest.approx(
        b.loc[("pingxiang", "road", "export"), "usd"]
        + b.loc[("dong_dang", "road", "import"), "usd"]
    )
    assert crossing["hours"].sum() == pytest.approx(
        b.loc[("pingxiang", "road", "export"), "hours"]
        + b.loc[("dong_dang", "road", "import"), "hours"]
    )


def test_each_direction_pays_its_own_processes(net: cr.Network) -> None:
    b = net.borders
    south = cr.route(net, "Nanning", "Dong Dang", modes=["road"])
    north = cr.route(net, "Dong Dang", "Nanning", modes=["road"])
    assert north.legs.loc[north.legs["kind"] == "crossing", "hours"].sum() == pytest.approx(
        b.loc[("dong_dang", "road", "export"), "hours"]
        + b.loc[("pingxiang", "road", "import"), "hours"]
    )
    assert north.total_hours != pytest.approx(south.total_hours)
    # by rail the rail figures apply, not the road ones
    rail = cr.route(net, "Kunming", "Vientiane", modes=["rail"])
    fee = rail.legs.loc[rail.legs["kind"] == "crossing", "usd"].sum()
    assert fee == pytest.approx(
        b.loc[("mohan", "rail", "export"), "usd"] + b.loc[("boten", "rail", "import"), "usd"]
    )


def _crossing_hours(r: cr.Route, hub: str) -> float:
    legs = r.legs
    return float(legs.loc[(legs["kind"] == "crossing") & (legs["to"] == hub), "hours"].sum())


def test_a_box_crossing_kazakhstan_pays_transit_and_one_staying_pays_import(
    net: cr.Network,
) -> None:
    b = net.borders
    out = b.loc[("alashankou", "rail", "export"), "hours"]
    through = cr.route(net, "Urumqi", "Duisburg", modes=["rail"])
    assert _crossing_hours(through, "dostyk") == pytest.approx(
        out + b.loc[("dostyk", "rail", "transit"), "hours"]
    )
    # the same gate, a box that ends its trip in Kazakhstan: import clearance
    staying = cr.route(net, "Urumqi", "Aktogay", modes=["rail"])
    assert _crossing_hours(staying, "dostyk") == pytest.approx(
        out + b.loc[("dostyk", "rail", "import"), "hours"]
    )
    assert (
        b.loc[("dostyk", "rail", "import"), "hours"] > b.loc[("dostyk", "rail", "transit"), "hours"]
    )
    # crossing into Russia inside the customs union in transit: that border's own checks
    assert _crossing_hours(through, "yekaterinburg") == pytest.approx(
        b.loc[("aktogay", "rail", "export"), "hours"]
        + b.loc[("yekaterinburg", "rail", "import"), "hours"]
    )


def test_a_box_bound_for_russia_through_kazakhstan_enters_the_customs_union_once(
    net: cr.Network,
) -> None:
    """Kazakhstan and Russia are one customs territory (the EAEU): a box from China bound
    for Moscow is released into it at the union's border, where a box bound for Poland
    only passes in transit; until 2026-11-30 the Moscow box paid transit at Dostyk and the
    2 h internal border check as its whole import clearance."""
    b = net.borders
    out = b.loc[("alashankou", "rail", "export"), "hours"]
    moscow = cr.route(net, "Urumqi", "Moscow", modes=["rail"], via=["dostyk"])
    assert _crossing_hours(moscow, "dostyk") == pytest.approx(
        out + b.loc[("dostyk", "rail", "import"), "hours"]
    )
    assert _crossing_hours(moscow, "yekaterinburg") == pytest.approx(
        b.loc[("aktogay", "rail", "export"), "hours"]
        + b.loc[("yekaterinburg", "rail", "import"), "hours"]
    )
    # a through service to Moscow with no stop in Kazakhstan: import at Dostyk as well
    legs = _service_legs(net, "guiyang_landport", "moscow", "ce_guiyang_moscow_alashankou")
    dostyk = legs.loc[(legs["kind"] == "crossing") & (legs["to"] == "dostyk"), "hours"].sum()
    assert dostyk == pytest.approx(out + b.loc[("dostyk", "rail", "import"), "hours"])
    # and one through the union to Poland keeps transit (checked on the Xi'an service below)
    assert customs_area("KAZ") == customs_area("RUS") == customs_area("BLR") == "EAEU"
    assert customs_area("POL") == "EU"
    assert customs_area("CHN") == "CHN"


def test_a_through_service_pays_transit_where_it_does_not_stop(net: cr.Network) -> None:
    b = net.borders
    legs = _service_legs(net, "xian", "duisburg", "ce_xian_duisburg_alashankou")
    dostyk = legs.loc[(legs["kind"] == "crossing") & (legs["to"] == "dostyk"), "hours"].sum()
    assert dostyk == pytest.approx(
        b.loc[("alashankou", "rail", "export"), "hours"]
        + b.loc[("dostyk", "rail", "transit"), "hours"]
    )
    # it stops at Małaszewicze (boxes for Poland leave it there): EU import, not transit
    mal = legs.loc[(legs["kind"] == "crossing") & (legs["to"] == "malaszewicze"), "hours"].sum()
    assert mal == pytest.approx(
        b.loc[("brest", "rail", "export"), "hours"]
        + b.loc[("malaszewicze", "rail", "import"), "hours"]
    )


def _service_legs(net: cr.Network, o: str, d: str, service: str) -> pd.DataFrame:
    from corridor.validation import _service_route

    return _service_route(net, o, d, service, None).legs


def test_a_published_time_is_running_plus_the_stops_of_its_way(net: cr.Network) -> None:
    """The Yuxinou train's published time: its border, gauge and crossing stops are charged
    on their own arcs at their figures, the links share the rest; a slower border adds
    exactly its change."""
    sid = "ce_chongqing_duisburg_alashankou"
    published = float(net.services.set_index("id").loc[sid, "transit_hours"])
    legs = _service_legs(net, "chongqing", "duisburg", sid)
    on_board = legs[legs["kind"] != "wait"]
    assert on_board["hours"].sum() == pytest.approx(published)
    stops = on_board[on_board["kind"].isin(["crossing", "gauge_change"])]
    assert stops["hours"].sum() > 24.0
    assert _crossing_hours_legs(stops, "dostyk") == pytest.approx(
        net.borders.loc[("alashankou", "rail", "export"), "hours"]
        + net.borders.loc[("dostyk", "rail", "transit"), "hours"]
    )
    # a scenario's slower border adds its change to the published time, no more
    transit = net.borders.loc[("dostyk", "rail", "transit"), "hours"]
    slow = cr.Scenario(name="slow Dostyk", border_hours={"dostyk": transit + 30.0})
    base = cr.route(net, "Chongqing", "Duisburg", modes=["rail"])
    slower = cr.route(net, "Chongqing", "Duisburg", modes=["rail"], scenario=slow)
    assert sid in set(base.legs["service"])
    assert sid in set(slower.legs["service"])
    assert slower.total_hours - base.total_hours == pytest.approx(30.0)


def test_a_published_time_shorter_than_its_border_figures_includes_them(
    net: cr.Network,
) -> None:
    """Nanning–Hanoi's published 14.5 h is shorter than the 15 h of border figures on its
    way: the time is taken to include them (no negative running time), as before."""
    b = net.borders
    stops = (
        b.loc[("pingxiang", "rail", "export"), "hours"]
        + b.loc[("dong_dang", "rail", "import"), "hours"]
    )
    assert stops > 14.5
    legs = _service_legs(net, "nanning", "hanoi", "rs_nanning_hanoi")
    assert legs.loc[legs["kind"] != "wait", "hours"].sum() == pytest.approx(14.5)
    assert legs.loc[legs["kind"] == "crossing", "hours"].sum() == 0.0
    assert (legs.loc[legs["kind"] == "link", "hours"] > 0).all()


def _crossing_hours_legs(legs: pd.DataFrame, hub: str) -> float:
    return float(legs.loc[(legs["kind"] == "crossing") & (legs["to"] == hub), "hours"].sum())


def test_barges_run_slower_upstream(net: cr.Network) -> None:
    down = cr.route(net, "Chongqing Port", "Wuhan", modes=["inland_waterway"])
    up = cr.route(net, "Wuhan", "Chongqing Port", modes=["inland_waterway"])
    link_hours = lambda r: r.legs.loc[r.legs["kind"] == "link", "hours"].sum()  # noqa: E731
    cm = CostModel()
    assert link_hours(up) / link_hours(down) == pytest.approx(
        cm.river_downstream_kmh / cm.river_upstream_kmh, rel=0.25
    )
    assert link_hours(up) > link_hours(down)


def test_parallel_lines_pool_their_departures(net: cr.Network) -> None:
    """Two weekly ships from Qinzhou to Singapore (the direct service and the one going on
    to Port Klang) give a box the first of two departures a week: half of 84 h. Without
    the second line the wait is half a week again."""
    lines = net._services
    direct = lines.loc["sea_qinzhou_singapore"]
    other = lines.loc["sea_qinzhou_port_klang"]
    assert direct["departures_per_week"] == other["departures_per_week"] == 1
    assert not direct["weekdays"]
    assert not other["weekdays"]

    def wait(scenario: cr.Scenario | None = None) -> float:
        r = cr.route(net, "Qinzhou Port", "Singapore", modes=["sea"], scenario=scenario)
        waits = r.legs[r.legs["kind"] == "wait"]
        assert len(waits) == 1
        return float(waits["hours"].iloc[0])

    assert wait() == pytest.approx(0.5 * 168 / 2)
    assert wait(cr.Scenario("one line", close=["sea_qinzhou_port_klang"])) == pytest.approx(84)
    assert wait(cr.Scenario("the other", close=["sea_qinzhou_singapore"])) == pytest.approx(84)
    # a box riding on to Port Klang waits for the one line that goes there
    r = _service_route(net, "qinzhou_port", "port_klang", "sea_qinzhou_port_klang", None)
    waits = r.legs[r.legs["kind"] == "wait"]
    assert waits["hours"].tolist() == pytest.approx([84.0])


def test_a_common_line_takes_a_box_only_to_the_next_stop(net: cr.Network) -> None:
    """The CSCL loop (Shanghai – Yantian – Port Klang – Hamburg – Rotterdam, weekly) shares
    its first leg with other weekly loops: a box for Yantian takes the first of them, a
    box for Hamburg waits for CSCL itself, whatever happens to the others."""
    from corridor._compile import ALIGHT, BOARD, compiled

    def boards(scenario: cr.Scenario | None) -> tuple[list[float], list[str]]:
        g = compiled(net, CostModel(), scenario)
        s = g.service_ids.index("sea_cscl_shanghai_hamburg")
        at = np.flatnonzero(
            (g.kind == BOARD) & (g.service == s) & (g.hub == g.hub_index["shanghai"])
        )
        hours = sorted(g.wait[at].tolist())
        # where the pooled way on board lets a box off: follow it arc by arc
        todo, seen, off = [int(g.indices[at[np.argmin(g.wait[at])]])], set(), set()
        while todo:
            v = todo.pop()
            seen.add(v)
            for e in range(g.indptr[v], g.indptr[v + 1]):
                if g.service[e] != s:
                    continue
                if g.kind[e] == ALIGHT:
                    off.add(g.hub_ids[g.hub[e]])
                elif int(g.indices[e]) not in seen:
                    todo.append(int(g.indices[e]))
        return hours, sorted(off)

    own = 0.5 * 168 / float(net._services.loc["sea_cscl_shanghai_hamburg", "departures_per_week"])
    hours, off = boards(None)
    assert hours[-1] == pytest.approx(own)  # the line's own departures: any stop
    assert hours[0] < own  # with the common lines: to the next stop only
    assert off == ["yantian"]
    closed = cr.Scenario("no CGX", close=["sea_hapag_cgx_cape"])
    assert boards(closed)[0][-1] == pytest.approx(own)


def test_a_timetabled_service_keeps_its_own_departures(net: cr.Network) -> None:
    """The Lancang–Mekong Express runs to a timetable, which the time-dependent search
    knows train by train: its wait stays its own, whatever else runs the same way."""
    from corridor._compile import BOARD, compiled

    g = compiled(net, CostModel(), None)
    s = g.service_ids.index("rs_lancang_mekong_express")
    per_week = float(net._services.loc["rs_lancang_mekong_express", "departures_per_week"])
    boards = (g.kind == BOARD) & (g.service == s)
    assert boards.any()
    hours = g.criteria[CRITERIA.index("hours")][boards]
    assert hours == pytest.approx(0.5 * 168 / per_week)


def test_transshipment_is_charged_once_per_ship_change(net: cr.Network) -> None:
    r = cr.route(net, "Qinzhou Port", "Rotterdam", modes=["sea"])
    legs = r.legs
    sea = legs[(legs["kind"] == "link") & (legs["mode"] == "sea")]
    ships = sea["service"].where(sea["service"] != "", "unscheduled")
    changes = int((ships != ships.shift()).sum()) - 1
    ts = legs[legs["line"].str.startswith("transshipment")]
    assert len(ts) == changes
    port = net.ports.loc["singapore"]
    if changes:
        assert ts["usd"].iloc[0] == pytest.approx(
            net.ports.loc[ts["from"].iloc[0], "transship_usd"]
        )
    assert port["transship_hours"] > 0
    # the destination port charges its import process once, at the end
    assert legs.iloc[-1]["line"].startswith("import")
    assert legs.iloc[-1]["hours"] == pytest.approx(net.ports.loc["rotterdam", "import_hours"])


def test_cost_model_describes_every_parameter() -> None:
    d = CostModel().describe()
    assert d["source"].str.len().gt(0).all()
    names = {p.split(".")[0] for p in d.index}
    import dataclasses

    assert names == {f.name for f in dataclasses.fields(CostModel)}


BAD_BORDERS = [
    ({"mode": "hovercraft"}, "mode", "must be one of rail"),
    ({"hours": "-3"}, "hours", "must be a finite number >= 0"),
    ({"hours": "inf"}, "hours", "must be a finite number >= 0"),
    ({"hours": "5000"}, "hours", "must be at most 1440 h"),
    ({"direction": "both"}, "direction", "must be one of export, import, transit"),
    ({"hub": "atlantis"}, "hub", "unknown hub 'atlantis'"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_BORDERS)
def test_bad_border_rows(net: cr.Network, change: Json, field: str, message: str) -> None:
    row = {"hub": "mohan", "mode": "rail", "direction": "export", "hours": "3", "usd": "40",
           "source": "s", "method": ""}  # fmt: skip
    row.update(change)
    with pytest.raises(DataError, match=rf"feature #1 \(.*\): field '{field}': {message}"):
        read_borders(pd.DataFrame([row]), net.nodes)


def test_a_transit_process_no_train_can_reach_is_refused(net: cr.Network) -> None:
    """A transit process at a border inside a customs union (Kazakhstan–Russia) would never
    be charged: the table is refused, naming the hub, instead of ignoring it."""
    from corridor.tables import check_border_coverage

    b = net.borders.copy()
    check_border_coverage(b, net.nodes, net.edges)  # the bundled table passes
    b.loc[("yekaterinburg", "rail", "transit"), ["hours", "usd"]] = [1.0, 0.0]
    with pytest.raises(DataError, match=r"transit process at 'yekaterinburg' by rail is never"):
        check_border_coverage(b, net.nodes, net.edges)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"import_hours": "-1"}, "import_hours", "must be a finite number >= 0"),
        ({"export_usd": "nan"}, "export_usd", "must be a finite number >= 0"),
        ({"hub": "kunming"}, "hub", "'kunming' is a city, not a seaport"),
    ],
)
def test_bad_port_rows(net: cr.Network, change: Json, field: str, message: str) -> None:
    row = dict(net.ports.loc["singapore"].astype(str))
    row.update(change)
    with pytest.raises(DataError, match=rf"field '{field}': {message}"):
        read_ports(pd.DataFrame([row]), net.nodes)


def test_bad_driving_rules_and_cost_model() -> None:
    with pytest.raises(DataError, match=r"DrivingRules\.daily_driving_hours must be > 0"):
        DrivingRules(4.0, 0.3, 0.0, 16.0)
    with pytest.raises(DataError, match=r"DrivingRules\.break_hours must be a finite number"):
        DrivingRules(4.0, float("nan"), 8.0, 16.0)
    with pytest.raises(DataError, match=r"CostModel\.truck_team must be True or False"):
        CostModel(truck_team="false")  # type: ignore[arg-type]
    with pytest.raises(DataError, match=r"CostModel\.river_upstream_kmh must be > 0"):
        CostModel(river_upstream_kmh=0.0)
    with pytest.raises(DataError, match=r"CostModel\.sea_backhaul_factor must be > 0"):
        CostModel(sea_backhaul_factor=0.0)
    with pytest.raises(DataError, match=r"CostModel\.sea_backhaul_factor must be between 0 and 1"):
        CostModel(sea_backhaul_factor=1.5)
    with pytest.raises(DataError, match=r"CostModel\.rail_departures_per_week must be > 0"):
        CostModel(rail_departures_per_week=0.0)
    with pytest.raises(DataError, match=r"CostModel\.rail_departures_per_week must be"):
        CostModel(rail_departures_per_week="7")  # type: ignore[arg-type]
    with pytest.raises(DataError, match=r"CostModel\.rail_departures_per_week must be at most"):
        CostModel(rail_departures_per_week=1e9)


def test_bad_validation_rows(net: cr.Network, tmp_path: Path) -> None:
    good = pd.read_csv(cr.io.bundled_data_path("validation.csv"), dtype=str, keep_default_na=False)
    for change, field, message in [
        ({"origin": "atlantis"}, "origin", "unknown hub 'atlantis'"),
        ({"metric": "furlongs"}, "metric", "must be one of km"),
        ({"low": "99999"}, "low", "low <= published <= high does not hold"),
        ({"calibrated": "yes"}, "calibrated", "must be true or false"),
        ({"cost_model": "truck_team"}, "cost_model", "not 'field=value;...'"),
        ({"corridor": "silk_road", "modes": ""}, "corridor", "unknown corridor 'silk_road'"),
        ({"via": "atlantis", "corridor": "", "modes": "rail"}, "via", "unknown hub 'atlantis'"),
        ({"via": "moscow"}, "via", "give via only with modes"),
        ({"service": "orient_express"}, "service", "unknown service 'orient_express'"),
        ({"service": "rs_nanning_hanoi"}, "service", "a service row gives modes = 'rail'"),
        (
            {"service": "rs_nanning_hanoi", "corridor": "", "modes": "rail"},
            "service",
            "origin and destination must be stops of 'rs_nanning_hanoi'",
        ),
        ({"status": "dropped"}, "status", "must be one of used, superseded"),
        ({"status": "false"}, "status", "must be one of used, superseded"),
        ({"status": "superseded", "instead": ""}, "instead", "a superseded row names the row"),
        ({"status": "", "instead": "v003"}, "instead", "only a superseded or contradicted row"),
        ({"status": "contradicted", "instead": "v999"}, "instead", "unknown row 'v999'"),
        ({"status": "out_of_scope", "note": ""}, "note", "an out_of_scope row says in its note"),
    ]:
        bad = good.head(1).copy()
        for k, v in change.items():
            bad[k] = v
        path = tmp_path / "v.csv"
        bad.to_csv(path, index=False)
        pattern = rf"feature 'v001': field '{field}': " + message.replace(".", r"\.")
        with pytest.raises(DataError, match=pattern):
            load_validation(path, net=net)


def test_a_row_kept_but_not_used_names_a_fitting_row(net: cr.Network, tmp_path: Path) -> None:
    """A superseded row names a used one of the same pair and metric, no older; a
    contradicted row a used one of the same metric."""
    good = pd.read_csv(cr.io.bundled_data_path("validation.csv"), dtype=str, keep_default_na=False)
    base = good[good["id"].isin(["v069", "v120", "v002", "v070"])].copy()
    base["status"], base["instead"] = "", ""
    for ident, status, instead, message in [
        ("v069", "superseded", "v002", "is not a figure of the same origin and destination"),
        ("v120", "superseded", "v069", r"row 'v069' is older \(2022\) than this row \(2023\)"),
        ("v069", "contradicted", "v070", "row 'v070' is not used itself"),
        ("v002", "contradicted", "v120", None),
    ]:
        bad = base.copy()
        bad.loc[bad["id"] == ident, ["status", "instead"]] = [status, instead]
        if instead == "v070" and message:
            bad.loc[bad["id"] == "v070", ["status", "instead"]] = ["superseded", "v120"]
        path = tmp_path / "v.csv"
        bad.to_csv(path, index=False)
        if message is None:
            assert load_validation(path, net=net).loc[ident, "status"] == status
            continue
        pattern = rf"feature '{ident}': field 'instead': .*" + message.replace(".", r"\.")
        with pytest.raises(DataError, match=pattern):
            load_validation(path, net=net)
    undated = base.copy()
    undated.loc[undated["id"] == "v069", ["status", "instead", "year"]] = ["superseded", "v120", ""]
    path = tmp_path / "v.csv"
    undated.to_csv(path, index=False)
    with pytest.raises(DataError, match="feature 'v069': field 'year': a superseded row gives"):
        load_validation(path, net=net)
    table = load_validation(cr.io.bundled_data_path("validation.csv"), net=net).head(3).copy()
    table["status"] = [True, "used", ""]
    with pytest.raises(DataError, match="row 'v001': field 'status': must be one of"):
        validate_published(net, table)
    km = base[base["id"] == "v069"].copy()
    km[["metric", "status", "instead"]] = ["km", "contradicted", "v120"]
    path = tmp_path / "v.csv"
    pd.concat([km, base[base["id"] == "v120"]]).to_csv(path, index=False)
    with pytest.raises(DataError, match="field 'instead': row 'v120' measures 'days_transit'"):
        load_validation(path, net=net)


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return validate_published(cr.load_network())


def test_the_published_figures_run(published: pd.DataFrame) -> None:
    assert len(published) >= 100
    assert (~published["calibrated"]).sum() >= 90
    assert published["source"].str.len().gt(0).all()
    independent = published[~published["calibrated"]]
    # floors against regressions while the 90% target of issue 11 is worked on: the used
    # figures, and all of them, so that a row set aside is still run and counted
    assert (independent["in_range"] & used(independent)).sum() >= 62, summary(published)
    assert independent["in_range"].sum() >= 64, summary(published)
    # a ceiling on the rows set aside (superseded, contradicted, out of scope): raising it
    # is a decision for the closing note, not a way to pass
    assert (~used(published)).sum() <= 17, summary(published)
    assert used(published[published["calibrated"]]).all()


def test_the_summary_counts_the_used_figures_and_the_rest_apart(published: pd.DataFrame) -> None:
    line = summary(published)
    n_used = int((used(published) & ~published["calibrated"]).sum())
    assert f"of {n_used} in range" in line
    assert f"kept but not used: {int((~used(published)).sum())} (" in line
    sel = used(published) & ~published["calibrated"]
    assert independent_share(published) == pytest.approx(published.loc[sel, "in_range"].mean())


def test_validate_fails_when_no_independent_figure_is_used(
    published: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every independent figure set aside there is no share to meet the target with:
    the check fails (exit 1), it does not pass on nothing."""
    from typer.testing import CliRunner

    import corridor.validation
    from corridor.cli import app

    aside = published.copy()
    aside.loc[~aside["calibrated"], "status"] = "out_of_scope"
    assert math.isnan(independent_share(aside))
    monkeypatch.setattr(corridor.validation, "validate_published", lambda net: aside)
    result = CliRunner().invoke(app, ["validate", "--published", "--format", "csv"])
    assert result.exit_code == 1
    assert "under 90%" in result.output


@pytest.mark.xfail(strict=True, reason="issue 11: at least 90% of independent figures in range")
def test_ninety_percent_of_independent_figures_in_range(published: pd.DataFrame) -> None:
    assert independent_share(published) >= 0.9, summary(published)


def test_low_water_slows_the_river_only(net: cr.Network) -> None:
    low = cr.presets()["yangtze_low_water"]
    base = cr.route(net, "Chongqing Port", "Shanghai", modes=["inland_waterway"])
    slow = cr.route(net, "Chongqing Port", "Shanghai", modes=["inland_waterway"], scenario=low)
    reaches = base.legs[base.legs["link"].isin(["w_three_gorges_wuhan", "w_wuhan_shanghai"])]
    assert slow.total_hours - base.total_hours == pytest.approx(2 * reaches["hours"].sum())
    road = cr.route(net, "Guiyang", "Kunming", modes=["road"])
    assert cr.route(net, "Guiyang", "Kunming", modes=["road"], scenario=low).total_hours == (
        pytest.approx(road.total_hours)
    )
    with pytest.raises(DataError, match=r"hours_factor\['x'\] must be a finite number > 0"):
        cr.Scenario("bad", hours_factor={"x": 0})
    with pytest.raises(DataError, match="hours_factor: no line or link named 'Grand Canal'"):
        cr.route(
            net, "Guiyang", "Kunming", scenario=cr.Scenario("s", hours_factor={"Grand Canal": 2})
        )


def _build_module() -> Any:
    """``scripts/build_data.py`` loaded as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_data", Path(__file__).resolve().parents[1] / "scripts" / "build_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_bad_road_rows_name_the_row_and_field() -> None:
    build = _build_module()
    links = [{"id": "d_ab", "mode": "road"}, {"id": "r_ab", "mode": "rail"}]
    good = {"link": "d_ab", "published_km": "120", "road_class": "national", "terrain": "hilly"}
    assert build._check_roads([good], links) == {"d_ab": good}
    for change, message in [
        ({"published_km": "-5"}, "field 'published_km': must be a number of km > 0"),
        ({"published_km": "inf"}, "field 'published_km': must be a number of km > 0"),
        ({"link": "r_ab"}, "field 'link': not a road link"),
        ({"road_class": "goat track"}, "field 'road_class'"),
        ({"terrain": "lunar"}, "field 'terrain'"),
        ({"circuity_sample": "False "}, "field 'circuity_sample': must be true, false or empty"),
        ({"circuity_sample": "no"}, "field 'circuity_sample': must be true, false or empty"),
        (
            {"circuity_sample": "false", "published_km": ""},
            "field 'circuity_sample': false only applies to a published distance",
        ),
    ]:
        with pytest.raises(SystemExit, match=r"road_links.csv line 2 .*" + message):
            build._check_roads([{**good, **change}], links)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"drawn_part": "middle:p"}, "must be 'from:<shape point>' or 'to:<shape point>'"),
        ({"drawn_part": "from:q"}, "'q' is not one of the link's via points"),
        ({"drawn_part": "from:p", "mode": "road"}, "only for rail links"),
        ({"drawn_part": "to:p", "length_km": ""}, "needs the published length of the rest"),
    ],
)
def test_a_drawn_part_is_checked(change: Json, message: str) -> None:
    build = _build_module()
    good = {"id": "r_x", "mode": "rail", "via": "p;r", "length_km": "100", "drawn_part": ""}
    assert build._drawn_parts([{**good, "drawn_part": "to:p"}]) == {"r_x": ("to", "p")}
    with pytest.raises(SystemExit, match=r"links.csv line 2 \('r_x'\): field 'drawn_part': "
                       + re.escape(message)):  # fmt: skip
        build._drawn_parts([{**good, **change}])


def test_a_drawn_part_is_added_to_the_published_length(net: cr.Network) -> None:
    """Luchaogang–Xuzhou is 649 km published plus the drawn Luchaogang–Shanghai part times
    the rail factor, computed by the build (it was written into links.csv by hand)."""
    e = net.edges
    method = e.loc["r_luchaogang_xuzhou", "method"]
    assert "649 km published +" in method
    extra = e.loc["r_luchaogang_xuzhou", "length_km"] - 649
    assert extra == pytest.approx(e.loc["r_zhuzhou_luchaogang", "length_km"] - 1125, abs=0.02)
    assert 60 < extra < 75


def test_a_build_field_that_is_not_a_number_names_its_row() -> None:
    build = _build_module()
    assert build._num(" 40.5 ", "x") == 40.5
    assert build._num("  ", "x") is None
    with pytest.raises(SystemExit, match=r"links.csv r_a: field 'speed_kmh': not a number: 'abc'"):
        build._num("abc", "links.csv r_a: field 'speed_kmh'")


def test_a_bridge_is_not_a_sample_of_road_circuity() -> None:
    """A road whose published length is a bridge drawn as it runs says nothing of how roads
    wind: with ``circuity_sample`` false it keeps its own length but leaves the terrain's
    median ratio alone."""
    build = _build_module()
    links = [{"id": i, "mode": "road", "length_km": "", "via": ""} for i in ("d_a", "d_b")]
    road = {"road_class": "expressway", "terrain": "plain", "circuity_sample": ""}
    roads = {
        "d_a": {**road, "link": "d_a", "published_km": "120"},
        "d_b": {**road, "link": "d_b", "published_km": "200", "circuity_sample": "false"},
    }
    factor, n = build._circuity(links, roads, {"d_a": 100.0, "d_b": 100.0})[("road", "plain")]
    assert (factor, n) == (pytest.approx(1.2), 1)
    roads["d_b"]["circuity_sample"] = ""
    factor, n = build._circuity(links, roads, {"d_a": 100.0, "d_b": 100.0})[("road", "plain")]
    # the median of an even count is the mean of the middle two (until 2026-11-30 the
    # upper one: 2.0 here, and 1.214 for the plain roads against 1.165)
    assert (factor, n) == (pytest.approx(1.6), 2)


def _one_row(tmp_path: Path, **fields: str) -> pd.DataFrame:
    """A validation table of one row, checked as the bundled one is."""
    row = dict.fromkeys(("corridor", "modes", "via", "service", "cost_model", "note"), "")
    row.update(id="t1", published="1", low="0", high="1e9", source="test", year="2025")
    row.update(calibrated="false", **fields)
    path = tmp_path / "v.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    return load_validation(path, net=cr.load_network())


def test_transit_counts_connection_waits_but_not_the_first(net: cr.Network, tmp_path: Path) -> None:
    """A published transit runs from the first departure: later waits (for the onward train
    at Małaszewicze) are in it, the wait for the first train is not."""
    table = _one_row(
        tmp_path, origin="Chongqing", destination="Hamburg", modes="rail", metric="transit_hours"
    )
    value = float(validate_published(net, table)["model"].iloc[0])
    r = cr.route(net, "Chongqing", "Hamburg", modes=["rail"])
    waits = r.legs.loc[r.legs["kind"] == "wait", "hours"]
    assert len(waits) >= 2
    assert value == pytest.approx(r.total_hours - waits.iloc[0])


def test_a_row_can_name_the_way_and_the_service(net: cr.Network, tmp_path: Path) -> None:
    via = _one_row(
        tmp_path,
        origin="Chongqing",
        destination="Bangkok",
        modes="road",
        via="Vientiane",
        metric="km",
    )
    out = validate_published(net, via)
    expected = cr.route(net, "Chongqing", "Bangkok", modes=["road"], via=["Vientiane"])
    assert "vientiane" in expected.hubs
    assert float(out["model"].iloc[0]) == pytest.approx(expected.total_km)
    train = _one_row(
        tmp_path,
        origin="Kunming",
        destination="lao_cai",
        modes="rail",
        service="rs_kunming_lao_cai_coldchain",
        metric="transit_hours",
    )
    out = validate_published(net, train)
    assert float(out["model"].iloc[0]) == pytest.approx(24.0)  # the service's published time


def test_freight_rates_leave_out_the_port_processes(net: cr.Network, tmp_path: Path) -> None:
    table = _one_row(
        tmp_path, origin="Shanghai", destination="Rotterdam", modes="sea", metric="usd_freight"
    )
    value = float(validate_published(net, table)["model"].iloc[0])
    r = cr.route(net, "Shanghai", "Rotterdam", modes=["sea"])
    gates = r.legs[r.legs["line"].str.match("(import|export):")]
    assert len(gates) == 2
    assert value == pytest.approx(r.total_usd - gates["usd"].sum())


def test_the_backhaul_pays_less(net: cr.Network) -> None:
    out = cr.route(net, "Shanghai", "Rotterdam", modes=["sea"])
    back = cr.route(net, "Rotterdam", "Shanghai", modes=["sea"])
    assert back.total_usd < out.total_usd
    lane = back.legs[back.legs["link"].isin(net.edges.index[net.edges["headhaul"].notna()])]
    assert len(lane) > 0
    assert lane["usd"].sum() == pytest.approx(
        CostModel().sea_backhaul_factor
        * CostModel().tariff_usd_per_teu_km["sea"]
        * lane["km"].sum()
    )
    even = CostModel(sea_backhaul_factor=1.0)
    assert cr.route(net, "Rotterdam", "Shanghai", modes=["sea"], costs=even).total_usd > (
        back.total_usd
    )
    # intra-Asia lanes are not the Asia–Europe lane: both ways pay the same
    a = cr.route(net, "Qinzhou Port", "Singapore", modes=["sea"])
    b = cr.route(net, "Singapore", "Qinzhou Port", modes=["sea"])
    assert a.legs.loc[a.legs["kind"] == "link", "usd"].sum() == pytest.approx(
        b.legs.loc[b.legs["kind"] == "link", "usd"].sum()
    )


def test_every_asia_europe_sea_link_knows_its_loaded_direction(net: cr.Network) -> None:
    e = net.edges
    lane = e[
        (e["mode"] == "sea") & e["corridors"].map(lambda c: bool({"sea_suez", "sea_cape"} & set(c)))
    ]
    assert lane["headhaul"].isin(["forward", "backward"]).all()
    assert e.loc["s_suez_canal_gibraltar_strait", "headhaul"] == "forward"  # westbound
    assert e.loc[e["mode"] != "sea", "headhaul"].isna().all()


def test_container_liners_pass_the_three_gorges_with_priority(net: cr.Network) -> None:
    r = cr.route(net, "Chongqing Port", "Wuhan", modes=["inland_waterway"])
    lock = r.legs[(r.legs["kind"] == "crossing") & (r.legs["from"] == "three_gorges")]
    assert lock["hours"].tolist() == [pytest.approx(4.0)]
    assert "shanghai" not in r.hubs  # no ride past Wuhan and back
    queue = cr.presets()["three_gorges_queue"]
    slow = cr.route(net, "Chongqing Port", "Wuhan", modes=["inland_waterway"], scenario=queue)
    assert slow.total_hours - r.total_hours == pytest.approx(292.0 - 4.0)


def test_boxes_for_poland_leave_the_train_at_malaszewicze(net: cr.Network) -> None:
    r = cr.route(net, "Chengdu", "Malaszewicze", modes=["rail"])
    assert "lodz" not in r.hubs
    assert r.hubs[-1] == "malaszewicze"
    assert any(s.startswith("ce_") for s in r.services)  # a China–Europe train, left there


def test_an_unscheduled_train_crosses_a_break_of_gauge_without_a_second_wait() -> None:
    """Urumqi has no China–Europe service of its own in the data: a box goes out on an
    unscheduled train, transloaded at Dostyk and Brest as a whole, not back east to board
    Chongqing's or Xi'an's train (which pass Urumqi without stopping) nor waiting at a
    break of gauge (at Małaszewicze, where the services stop, it may change to one)."""
    net = cr.load_network()
    r = cr.route(net, "Urumqi", "Duisburg", modes=["rail"])
    assert "lanzhou" not in r.hubs
    assert "chongqing" not in r.hubs
    legs = r.legs
    waits = legs[legs["kind"].eq("wait")]
    assert waits["from"].iloc[0] == "urumqi"
    assert not waits["from"].isin(["dostyk", "khorgos"]).any()
    assert (waits["hours"].iloc[1:] < 84.0).all()
    assert legs["kind"].eq("gauge_change").sum() == 2
    assert 7_000 < r.total_km < 7_700


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(3, 6),
    links=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 30)),
        min_size=2,
        max_size=9,
    ),
    team=st.booleans(),
)
def test_truck_trips_are_the_best_of_their_paths_timed_by_hand(
    factory: Any, n: int, links: list[tuple[int, int, int]], team: bool
) -> None:
    """The fastest road trip equals the fastest of all simple paths, each timed link by link
    with ``DrivingRules.drive`` carrying the driver's day (networkx enumerates the paths).
    Links drive whole half hours, so the clock's half-hour steps are exact here."""
    _node, _edge = factory
    cm = CostModel(truck_team=team)
    speed = cm.truck_speed_kmh["expressway"]
    hubs = [_node(f"h{i}", 106.0 + 0.01 * i, 26.0, ["road"]) for i in range(n)]
    edges, graph = [], nx.MultiGraph()
    for k, (i, j, halves) in enumerate(links):
        i, j = i % n, j % n
        if i == j:
            continue
        edges.append(
            _edge(f"d{k}", hubs[i], hubs[j], "road", 0.5 * halves * speed,
                  road_class="expressway", terrain="plain")
        )  # fmt: skip
        graph.add_edge(i, j, hours=0.5 * halves)
    if not edges:
        return
    with tempfile.TemporaryDirectory() as tmp:
        nodes_p, edges_p = Path(tmp) / "n.geojson", Path(tmp) / "e.geojson"
        nodes_p.write_text(json.dumps({"type": "FeatureCollection", "features": hubs}))
        edges_p.write_text(json.dumps({"type": "FeatureCollection", "features": edges}))
        net = cr.load_network(nodes_p, edges_p)
    for a in range(n):
        for b in range(n):
            if a == b or a not in graph or b not in graph or not nx.has_path(graph, a, b):
                continue
            best = math.inf
            for path in nx.all_simple_edge_paths(graph, a, b):
                clock, total = 0.0, 0.0
                for u, v, key in path:
                    drive = graph.edges[u, v, key]["hours"]
                    stopped, clock = PRC_RULES.drive(clock, drive, team)
                    total += drive + stopped
                best = min(best, total)
            r = cr.route(net, f"h{a}", f"h{b}", by="hours", costs=cm)
            assert r.total_hours == pytest.approx(best), (a, b)


def test_a_sea_spot_rate_scales_the_asia_europe_lane_in_its_loaded_direction(
    net: cr.Network,
) -> None:
    """With a period's SCFI Europe spot, each Asia–Europe link's tariff westward is the
    long-run tariff x spot / 759; eastward (backhaul) and intra-Asia legs are unchanged."""
    base = CostModel()
    spot = base.replace(sea_spot_usd_per_teu=4394.0)
    ratio = 4394.0 / SEA_SPOT_BASE_USD_PER_TEU
    for o, d, loaded in (("Shanghai", "Rotterdam", True), ("Rotterdam", "Shanghai", False)):
        a = cr.route(net, o, d, modes=["sea"], costs=base).legs
        b = cr.route(net, o, d, modes=["sea"], costs=spot).legs
        lane = net.edges.loc[a["link"].dropna(), "headhaul"].notna().to_numpy()
        links_a, links_b = a[a["kind"] == "link"], b[b["kind"] == "link"]
        assert links_a["link"].tolist() == links_b["link"].tolist()
        expect = links_a["usd"].to_numpy() * ((ratio if loaded else 1.0) * lane + ~lane)
        assert links_b["usd"].to_numpy() == pytest.approx(expect)
        assert lane.any()
        assert not lane.all()
        other = b[b["kind"] != "link"]["usd"].sum()
        assert other == pytest.approx(a[a["kind"] != "link"]["usd"].sum())
    with pytest.raises(DataError, match=r"sea_spot_usd_per_teu must be > 0"):
        CostModel(sea_spot_usd_per_teu=0.0)
    with pytest.raises(DataError, match=r"sea_spot_usd_per_teu must be a number, got '900'"):
        CostModel(sea_spot_usd_per_teu="900")  # type: ignore[arg-type]
    with pytest.raises(DataError, match=r"sea_spot_usd_per_teu must be a finite number"):
        CostModel(sea_spot_usd_per_teu=float("nan"))


def test_validation_rows_run_with_a_published_spot() -> None:
    """A row that sets ``sea_spot_usd_per_teu`` uses an SCFI week of the source table."""
    spots = pd.read_csv(SOURCES / "sea_spot_rates.csv", dtype=str)
    assert spots["source"].str.len().gt(0).all()
    assert spots["quote"].str.len().gt(0).all()
    published = set(spots["usd_per_teu"].astype(float))
    assert SEA_SPOT_BASE_USD_PER_TEU in published
    t = load_validation()
    used = [cm["sea_spot_usd_per_teu"] for cm in t["cost_model"] if "sea_spot_usd_per_teu" in cm]
    assert len(used) >= 3
    assert set(used) <= published


WESTERN_ORIGINS = (
    "Guiyang", "Zunyi", "Chongqing", "Chengdu", "Kunming", "Nanning", "Xi'an", "Lanzhou",
    "Urumqi",
)  # fmt: skip


def _truck_runs(r: cr.Route) -> list[tuple[str, str, float]]:
    """``(from, to, km)`` of each unbroken run of road links in a route."""
    runs: list[tuple[str, str, float]] = []
    start, end, km = "", "", 0.0
    for row in r.legs.to_dict("records"):
        if row["kind"] == "link" and row["mode"] == "road":
            start, end, km = start or row["from"], row["to"], km + row["km"]
        elif row["kind"] in ("link", "transfer") and km:
            runs.append((start, end, km))
            start, end, km = "", "", 0.0
    if km:
        runs.append((start, end, km))
    return runs


def test_no_cheapest_route_trucks_over_1000_km_where_rail_runs(net: cr.Network) -> None:
    """Issue 11's test of shippers' sense: from the big origins of western China to every
    hub, the route cheapest in money never trucks more than 1,000 km in one run between
    two hubs that rail joins (trucks to Myanmar, where no railway reaches, may)."""
    hubs = net.nodes.index[net.nodes["kind"] != "waypoint"]
    checked = 0
    for o in WESTERN_ORIGINS:
        for d in hubs:
            if d == net.hub_id(o):
                continue
            try:
                r = cr.route(net, o, d, by="usd")
            except cr.NoRouteError:
                continue
            checked += 1
            for a, b, km in _truck_runs(r):
                if km <= 1000.0:
                    continue
                with pytest.raises(cr.NoRouteError):
                    cr.route(net, a, b, modes=["rail"])
    assert checked > 500
    # the check has teeth: were trucks as cheap as USD 0.05 per TEU-km, Chengdu–Nanning
    # (rail joins them) would go 1,364 km by road
    cm = CostModel()
    cheap = cm.replace(tariff_usd_per_teu_km=cm.tariff_usd_per_teu_km.replace(road=0.05))
    ((a, b, km),) = _truck_runs(cr.route(net, "Chengdu", "Nanning", by="usd", costs=cheap))
    assert km > 1000.0
    assert cr.route(net, a, b, modes=["rail"]).total_km > 0


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Chengdu", "Yantian"), ("Kunming", "Yantian"), ("Nanning", "Mohan"), ("Chengdu", "Mohan")],
)
def test_the_best_route_does_not_truck_1500_km_of_mountains_past_a_daily_train(
    net: cr.Network, origin: str, destination: str
) -> None:
    """The mission's laugh test, on the default (generalized) ranking: where a railway
    joins the two ends, the best route trucks no run over 1,000 km. With trains outside a
    listed service leaving once a week (as ships do) each of these went 1,500-1,800 km by
    truck."""
    r = cr.route(net, origin, destination)
    assert max((km for _, _, km in _truck_runs(r)), default=0.0) <= 1000.0, r.path
    weekly = CostModel(rail_departures_per_week=1.0)
    trucked = cr.route(net, origin, destination, costs=weekly)
    assert max(km for _, _, km in _truck_runs(trucked)) > 1000.0  # the test bites


def test_ordinary_trains_run_slower_than_the_block_trains_of_the_same_line(
    net: cr.Network,
) -> None:
    """The Xi'an–Lanzhou–Urumqi–Alashankou links carry the block container train's
    published 52 h (58.5 km/h) and the mixed train's 76 h over the same 3,040 km (40 km/h,
    Xi'an Railway Bureau 2014): a box with no listed service rides an ordinary train, one
    on the Chang'an service rides at the block train's speed."""
    row = net.edges.loc["r_lanzhou_urumqi"]
    assert row["speed_kmh"] == pytest.approx(58.5)
    assert row["ordinary_speed_kmh"] == pytest.approx(3040 / 76, abs=0.05)
    r = cr.route(net, "Lanzhou", "Urumqi", modes=["rail"])
    leg = r.legs.loc[r.legs["kind"] == "link"].iloc[0]
    assert leg["hours"] == pytest.approx(1904 / row["ordinary_speed_kmh"])
    legs = _service_legs(net, "xian", "duisburg", "ce_xian_duisburg_alashankou")
    on = legs.loc[(legs["kind"] == "link") & (legs["from"] == "lanzhou")].iloc[0]
    assert on["hours"] < 1904 / row["ordinary_speed_kmh"]
    # without the ordinary figure an unscheduled train would run at the block train's speed
    plain = net.edges
    plain["ordinary_speed_kmh"] = None
    fast = cr.route(
        cr.Network(net.nodes, plain, net.services, net.borders, net.ports),
        "Lanzhou",
        "Urumqi",
        modes=["rail"],
    )
    assert fast.total_hours < r.total_hours - 10.0


def test_a_faster_line_speeds_up_its_ordinary_trains_too(net: cr.Network) -> None:
    """A scenario's ``hours_factor`` scales an unscheduled train's hours over the link and
    the floor the listed services set there alike (until 2026-11-30 the floor stayed at
    the services' unscaled hours, so halving the Lanzhou–Urumqi time gave 33.5 h, not the
    ordinary train's 47.6 h halved)."""
    ordinary = 1904 / net.edges.loc["r_lanzhou_urumqi", "ordinary_speed_kmh"]
    fast = cr.Scenario("faster", hours_factor={"r_lanzhou_urumqi": 0.5})
    for scenario, factor in ((None, 1.0), (fast, 0.5)):
        r = cr.route(net, "Lanzhou", "Urumqi", modes=["rail"], scenario=scenario)
        leg = r.legs.loc[r.legs["kind"] == "link"].iloc[0]
        assert leg["hours"] == pytest.approx(ordinary * factor)


def test_a_box_through_mongolia_keeps_its_transit(net: cr.Network) -> None:
    """Mongolia is no member of a customs union: a box from Erenhot to Moscow passes it in
    transit (Zamyn-Üüd) and is cleared into the EAEU at Naushki."""
    b = net.borders
    r = cr.route(net, "Erenhot", "Moscow", modes=["rail"])
    assert {"zamyn_uud", "naushki"} <= set(r.legs["to"])
    assert _crossing_hours(r, "zamyn_uud") == pytest.approx(
        b.loc[("erenhot", "rail", "export"), "hours"]
        + b.loc[("zamyn_uud", "rail", "transit"), "hours"]
    )
    assert _crossing_hours(r, "naushki") == pytest.approx(
        b.loc[("ulaanbaatar", "rail", "export"), "hours"]
        + b.loc[("naushki", "rail", "import"), "hours"]
    )


def test_a_service_whose_time_holds_its_border_sets_no_floor(net: cr.Network) -> None:
    """The weekly Urumqi–Almaty timetabled train's published 35.4 h is shorter than the
    Khorgos import figure, so its ride carries the border work in its link hours (23.5 h
    over Urumqi–Horgos); those are no running times, and an ordinary train there keeps its
    own 18 h instead of being held to them."""
    legs = _service_legs(net, "urumqi", "almaty", "ce_urumqi_almaty_timetabled")
    assert legs["hours"].sum() - legs.loc[legs["kind"] == "wait", "hours"].sum() == (
        pytest.approx(35.4)
    )
    on = legs.loc[(legs["kind"] == "link") & (legs["from"] == "urumqi"), "hours"].iloc[0]
    r = cr.route(net, "Urumqi", "Horgos", modes=["rail"])
    ordinary = r.legs.loc[r.legs["kind"] == "link", "hours"].iloc[0]
    assert ordinary == pytest.approx(667.5 / CostModel().speed_kmh.rail, rel=0.01)
    assert ordinary < on
