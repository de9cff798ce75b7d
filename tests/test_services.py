"""Services: the table and its checks, waiting for departures, the timetable search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor as cr
from corridor import DataError
from corridor._compile import RIDE, compiled
from corridor.costs import CostModel, PerMode
from corridor.services import SERVICE_COLUMNS, WEEKDAYS

Json = dict[str, Any]
SPEED = PerMode(rail=50.0, road=50.0, sea=20.0, inland_waterway=10.0, air=500.0)
#: unscheduled running so rare that only the listed services matter
NO_CHARTER = CostModel(
    speed_kmh=SPEED, unscheduled_departures_per_week=0.001, rail_departures_per_week=0.001
)


def _service(ident: str, stops: str, links: str, freq: float, **extra: Any) -> Json:
    row: Json = dict.fromkeys(SERVICE_COLUMNS, "")
    row.update(
        id=ident,
        name=f"{ident} train",
        mode="rail",
        stops=stops,
        links=links,
        departures_per_week=str(freq),
        status="operational",
        bidirectional="true",
        source="test fixture",
    )
    row.update({k: str(v) for k, v in extra.items()})
    return row


@pytest.fixture
def line(write: Callable[..., Path], factory: Any) -> Callable[[list[Json]], cr.Network]:
    """Hubs a, b, c on a line, rail links ab (100 km) and bc (200 km); services as given."""
    _node, _edge = factory
    a = _node("a", 106.0, 26.0, ["rail"])
    b = _node("b", 107.0, 26.0, ["rail"])
    c = _node("c", 109.0, 26.0, ["rail"])
    nodes = write({"type": "FeatureCollection", "features": [a, b, c]}, "n.geojson")
    edges = write(
        {
            "type": "FeatureCollection",
            "features": [_edge("ab", a, b, "rail", 100.0), _edge("bc", b, c, "rail", 200.0)],
        },
        "e.geojson",
    )

    def build(rows: list[Json]) -> cr.Network:
        return cr.load_network(nodes, edges, services=pd.DataFrame(rows))

    return build


def test_bundled_services(net: cr.Network) -> None:
    s = net.services
    assert len(s) >= 40
    assert s["source"].str.len().gt(0).all()
    assert set(s["mode"]) <= {"rail", "sea", "inland_waterway", "air"}
    for ident in ("rs_dulaying_qinzhou", "rs_guiyang_south_qinzhou"):
        assert ident in s.index
    # every named corridor family has services
    names = " ".join(s["name"]).lower()
    for word in ("qinzhou", "vientiane", "hanoi", "nansha", "duisburg", "shanghai", "singapore"):
        assert word in names, word


def test_every_bundled_service_runs_along_its_stops(net: cr.Network) -> None:
    g = compiled(net, CostModel(), None)
    ridden = {(int(si), int(li)) for si, li in zip(g.service, g.link, strict=True) if si >= 0}
    for si, (ident, row) in enumerate(net.services.iterrows()):
        if row["status"] != "operational":
            continue
        for link in row["links"]:
            assert (si, g.link_ids.index(link)) in ridden, (ident, link)
        r = cr.route(net, row["stops"][0], row["stops"][-1], via=list(row["stops"][1:-1]))
        assert r.total_hours > 0, ident


def test_waiting_is_half_the_headway(line: Callable[[list[Json]], cr.Network]) -> None:
    net = line([_service("s2", "a;c", "ab;bc", 2)])
    r = cr.route(net, "a", "c", by="hours", costs=NO_CHARTER)
    legs = r.legs
    assert legs["kind"].tolist() == ["wait", "link", "link"]
    assert legs.loc[0, "wait_hours"] == pytest.approx(168 / 2 / 2)
    assert legs.loc[0, "service"] == "s2"
    assert (legs.loc[1:, "service"] == "s2").all()
    assert (legs.loc[1:, "wait_hours"] == 0).all()
    assert r.wait_hours == pytest.approx(42.0)
    assert r.total_hours == pytest.approx(42.0 + 300 / 50)
    assert r.services == ("s2",)
    # through-running: no second wait at b, though b is not a stop
    # a published transit time wins over the link speeds, shared over the links by km
    net = line([_service("s2", "a;c", "ab;bc", 2, transit_hours=12)])
    r = cr.route(net, "a", "c", by="hours", costs=NO_CHARTER)
    assert r.legs["hours"].tolist() == pytest.approx([42.0, 4.0, 8.0])


def test_unscheduled_trains_wait_half_a_day_on_average(
    line: Callable[[list[Json]], cr.Network],
) -> None:
    net = line([])
    r = cr.route(net, "a", "c", by="hours", costs=CostModel(speed_kmh=SPEED))
    assert r.legs["kind"].tolist() == ["wait", "link", "link"]
    assert r.wait_hours == pytest.approx(12.0)  # daily: half of 24 h
    assert r.legs.loc[0, "line"] == "next unscheduled rail departure"
    weekly = CostModel(speed_kmh=SPEED, rail_departures_per_week=1.0)
    assert cr.route(net, "a", "c", by="hours", costs=weekly).wait_hours == pytest.approx(84.0)
    # ships keep the liners' weekly default
    assert CostModel().unscheduled_departures_per_week == 1.0


def test_boarding_only_at_stops(line: Callable[[list[Json]], cr.Network]) -> None:
    # the a–c train does not stop at b: from b it cannot be boarded
    net = line([_service("ac", "a;c", "ab;bc", 7), _service("bc", "b;c", "bc", 1)])
    r = cr.route(net, "b", "c", by="hours", costs=NO_CHARTER)
    assert r.services == ("bc",)
    assert r.wait_hours == pytest.approx(84.0)
    r = cr.route(net, "a", "c", by="hours", costs=NO_CHARTER)
    assert r.services == ("ac",)


def test_just_after_the_last_weekly_train_waits_a_week(
    line: Callable[[list[Json]], cr.Network],
) -> None:
    net = line([_service("w", "a;c", "ab;bc", 1, weekdays="Tue", departure_time="08:00")])
    on_time = cr.route(net, "a", "c", depart="2026-12-01T08:00", costs=NO_CHARTER)  # a Tuesday
    assert on_time.wait_hours == pytest.approx(0.0)
    assert on_time.arrival == datetime(2026, 12, 1, 14, 0)
    late = cr.route(net, "a", "c", depart=datetime(2026, 12, 1, 8, 1), costs=NO_CHARTER)
    assert late.wait_hours == pytest.approx(7 * 24 - 1 / 60)
    assert late.arrival == datetime(2026, 12, 8, 14, 0)
    assert late.total_hours == pytest.approx((late.arrival - late.departure).total_seconds() / 3600)
    assert late.legs["wait_hours"].sum() == pytest.approx(late.wait_hours)
    assert late.legs["hours"].sum() == pytest.approx(late.total_hours)
    # without depart: the expected wait, half a week
    assert cr.route(net, "a", "c", costs=NO_CHARTER).wait_hours == pytest.approx(84.0)


_DAYS = st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True)


def _next(t: float, days: list[str], hhmm: tuple[int, int]) -> float:
    """Brute force: the first departure at or after hour t (hours after a Monday 00:00)."""
    offs = [WEEKDAYS.index(d) * 24 + hhmm[0] + hhmm[1] / 60 for d in days]
    return min(w * 168 + o for w, o in product(range(4), offs) if w * 168 + o >= t - 1e-9)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    d1=_DAYS, d2=_DAYS, d3=_DAYS,
    t1=st.tuples(st.integers(0, 23), st.integers(0, 59)),
    t2=st.tuples(st.integers(0, 23), st.integers(0, 59)),
    t3=st.tuples(st.integers(0, 23), st.integers(0, 59)),
    start=st.floats(0, 167.99),
)  # fmt: skip
def test_timetable_search_matches_a_simulation(
    line: Callable[[list[Json]], cr.Network],
    d1: list[str], d2: list[str], d3: list[str],
    t1: tuple[int, int], t2: tuple[int, int], t3: tuple[int, int],
    start: float,
) -> None:  # fmt: skip
    """Earliest arrival over three timetables = the best of every way a box can go."""

    def timed(ident: str, stops: str, links: str, days: list[str], hm: tuple[int, int]) -> Json:
        return _service(
            ident, stops, links, len(days), weekdays=";".join(days),
            departure_time=f"{hm[0]:02d}:{hm[1]:02d}", bidirectional="false",
        )  # fmt: skip

    net = line(
        [
            timed("ab", "a;b", "ab", d1, t1),  # 2 h
            timed("bc", "b;c", "bc", d2, t2),  # 4 h
            timed("ac", "a;c", "ab;bc", d3, t3),  # 6 h, through b without stopping
        ]
    )
    direct = _next(start, d3, t3) + 6
    via_b = _next(_next(start, d1, t1) + 2, d2, t2) + 4
    monday = datetime(2026, 11, 30)
    r = cr.route(net, "a", "c", depart=monday + timedelta(hours=start), costs=NO_CHARTER)
    assert r.arrival is not None
    got = (r.arrival - monday).total_seconds() / 3600
    assert got == pytest.approx(min(direct, via_b), abs=1e-6)
    assert r.legs["hours"].sum() == pytest.approx(got - start, abs=1e-6)


def test_depart_bad_input(net: cr.Network) -> None:
    for bad in ("next Tuesday", 5, "2026-13-01"):
        with pytest.raises(DataError, match="depart must be a date-time"):
            cr.route(net, "Kunming", "Vientiane", depart=bad)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="a timetable search minimises arrival time"):
        cr.route(net, "Kunming", "Vientiane", by="usd", depart="2026-12-01")


BAD_SERVICES = [
    ({"stops": "a;x"}, "stops", "unknown hub 'x'"),
    ({"links": "ab;zz"}, "links", "unknown link 'zz'"),
    ({"stops": "a;b", "links": "bc"}, "links", r"link 'bc' \(b–c\) does not start at 'a'"),
    ({"stops": "a;b", "links": "ab;bc"}, "stops", "does not call at the stops"),
    ({"departures_per_week": "0"}, "departures_per_week", "must be > 0"),
    ({"departures_per_week": "-2"}, "departures_per_week", "must be > 0"),
    ({"departures_per_week": "weekly"}, "departures_per_week", "must be a number"),
    ({"departures_per_week": ""}, "departures_per_week", "is required"),
    ({"transit_hours": "1"}, "transit_hours", "faster than a rail service can run"),
    ({"weekdays": "Mon;Funday", "departures_per_week": "2"}, "weekdays", "must be distinct days"),
    ({"weekdays": "Mon;Thu"}, "weekdays", "lists 2 departure days but departures_per_week is 1"),
    ({"weekdays": "Mon", "departure_time": "25:00"}, "departure_time", "must be HH:MM"),
    ({"departure_time": "08:00"}, "departure_time", "needs the weekdays"),
    ({"mode": "road"}, "mode", "must be one of rail, sea"),
    ({"bidirectional": "yes"}, "bidirectional", "must be true or false"),
    ({"status": "maybe"}, "status", "must be one of operational"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_SERVICES)
def test_bad_services_name_the_service_and_field(
    line: Callable[[list[Json]], cr.Network], change: Json, field: str, message: str
) -> None:
    row = _service("svc_1", "a;c", "ab;bc", 1)
    row.update(change)
    with pytest.raises(DataError, match=rf"feature 'svc_1': field '{field}': .*{message}"):
        line([row])


def test_duplicate_service_ids(line: Callable[[list[Json]], cr.Network]) -> None:
    row = _service("twice", "a;c", "ab;bc", 1)
    with pytest.raises(DataError, match="feature 'twice': field 'id': duplicate service id"):
        line([row, dict(row)])


def test_services_from_files(
    line: Callable[[list[Json]], cr.Network], tmp_path: Path, write: Callable[..., Path]
) -> None:
    net = line([_service("s", "a;c", "ab;bc", 3)])
    csv = tmp_path / "s.csv"
    table = net.services[list(SERVICE_COLUMNS)]
    for col in ("stops", "links", "weekdays"):
        table[col] = table[col].map(";".join)
    table.to_csv(csv, index=False)
    nodes, edges = tmp_path / "n.geojson", tmp_path / "e.geojson"
    again = cr.load_network(nodes, edges, services=csv)
    assert again.services.loc["s", "departures_per_week"] == 3.0
    with pytest.raises(DataError, match="file not found"):
        cr.load_network(nodes, edges, services=tmp_path / "none.csv")
    with pytest.raises(DataError, match="services must be a path or a DataFrame"):
        cr.load_network(nodes, edges, services=42)  # type: ignore[arg-type]


def test_closing_a_service(net: cr.Network) -> None:
    base = cr.route(net, "Kunming", "Vientiane South", modes=["rail"])
    assert base.services
    closed = cr.Scenario("no trains", close=list(base.services))
    r = cr.route(net, "Kunming", "Vientiane South", modes=["rail"], scenario=closed)
    assert not set(r.services) & set(base.services)
    assert r.total_hours > base.total_hours


def test_rides_are_charged_per_link(net: cr.Network) -> None:
    g = compiled(net, CostModel(), None)
    rides = g.kind == RIDE
    assert rides.any()
    assert np.isfinite(g.criteria[:, rides]).all()
    assert (g.criteria[2, rides] > 0).all()  # every ride covers km


def test_the_land_port_clears_for_its_coastal_ports(net: cr.Network) -> None:
    ports = net.hub("guiyang_landport").properties["clears_for"]
    assert {"nansha", "qinzhou_port", "zhanjiang"} <= set(ports)
    off = cr.presets()["no_inland_clearance"]
    assert off.inland_clearance is False
    # from the Land-Port on its train (no unscheduled trains, so that with and without the
    # clearance the box rides the same train)
    trains = CostModel(rail_departures_per_week=0.001)
    base = cr.corridor_routes(net, "guiyang_landport", "Singapore", costs=trains)["land_sea"].route
    assert base is not None
    legs = base.legs
    cleared = legs[legs["line"].str.startswith("export customs cleared at guiyang_landport")]
    assert len(cleared) == 1  # the box goes from train to ship with no clearance at Qinzhou
    without = cr.route(
        net, "guiyang_landport", "Singapore", via=list(base.hubs[1:-1]), scenario=off,
        by="generalized", costs=trains,
    )  # fmt: skip
    cm = CostModel()
    wait = legs.loc[legs["service"] == "rs_dulaying_qinzhou", "wait_hours"].max()
    saved = min(cm.port_export_clearance_hours, wait)
    assert without.total_hours - base.total_hours == pytest.approx(saved)
    assert without.total_usd == pytest.approx(base.total_usd)  # the fee is paid inland instead


def test_ships_loaded_in_china_pay_export_clearance(net: cr.Network) -> None:
    r = cr.route(net, "Nanning", "Singapore", modes=["road", "sea"])
    transfer = r.legs[r.legs["kind"] == "transfer"].iloc[0]
    cm = CostModel()
    assert transfer["mode"] == "road→sea"
    assert transfer["hours"] == pytest.approx(cm.transfer_hours + cm.port_export_clearance_hours)


def test_inland_clearance_bad_input(write: Callable[..., Path], factory: Any) -> None:
    with pytest.raises(DataError, match="inland_clearance must be True or False"):
        cr.Scenario("x", inland_clearance="false")  # type: ignore[arg-type]
    _node, _edge = factory
    a = _node("a", 106.0, 26.0, ["rail"], kind="dry_port", clears_for=["b", "zz"])
    b = _node("b", 107.0, 26.0, ["rail"])
    with pytest.raises(DataError) as exc:
        cr.load_network(
            write({"type": "FeatureCollection", "features": [a, b]}, "n.geojson"),
            write(
                {"type": "FeatureCollection", "features": [_edge("ab", a, b, "rail", 100.0)]},
                "e.geojson",
            ),
        )
    assert "feature 'a': field 'clears_for': 'b' is a city, not a seaport" in str(exc.value)
    assert "feature 'a': field 'clears_for': unknown hub 'zz'" in str(exc.value)
