"""The bundled dataset: complete, sourced, connected, with plausible lengths."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import corridor as cr
from corridor._validate import geodesic_km
from corridor.io import bundled_data_path

ROOT = Path(__file__).resolve().parents[1]

REQUIRED_HUBS = {
    # Guizhou: nine prefecture-level divisions, new area, land port, airport, bonded zones, river ports
    "guiyang", "zunyi", "anshun", "liupanshui", "bijie", "tongren", "duyun", "kaili", "xingyi",
    "guian", "guiyang_landport", "guiyang_airport", "guiyang_bonded", "guian_bonded",
    "zunyi_bonded", "wujiang_port", "beipan_port",
    # China
    "chongqing", "chengdu", "kunming", "nanning", "qinzhou_port", "fangchenggang", "beihai",
    "zhanjiang", "nansha", "yantian", "shekou", "hong_kong", "shanghai", "wuhan", "luzhou_port",
    "mohan", "pingxiang", "ruili", "alashankou", "horgos", "erenhot", "manzhouli",
    # abroad
    "boten", "vientiane", "vientiane_south", "nong_khai", "bangkok", "laem_chabang", "dong_dang",
    "hanoi", "haiphong", "ho_chi_minh", "port_klang", "kuala_lumpur", "singapore", "jakarta",
    "yangon", "muse", "dostyk", "khorgos", "almaty", "zamyn_uud", "zabaikalsk", "moscow", "brest",
    "malaszewicze", "warsaw", "lodz", "budapest", "duisburg", "hamburg", "rotterdam", "piraeus",
    # sea waypoints
    "malacca_strait", "dondra_head", "bab_el_mandeb", "suez_canal", "gibraltar_strait",
    "dover_strait", "cape_good_hope",
}  # fmt: skip

# (corridor tag, origin, destination): the corridor's own links must join them
CORRIDOR_PAIRS = [
    ("china_laos", "guiyang_landport", "laem_chabang"),
    ("land_sea", "guiyang_landport", "qinzhou_port"),
    ("land_sea", "guiyang_landport", "hanoi"),
    ("land_sea", "qinzhou_port", "singapore"),
    ("guizhou_guangdong", "guiyang_landport", "nansha"),
    ("guizhou_guangdong", "guiyang_landport", "yantian"),
    ("guizhou_guangdong", "guiyang_landport", "shekou"),
    ("guizhou_guangdong", "nansha", "singapore"),
    ("yangtze", "luzhou_port", "shanghai"),
    ("yangtze", "wujiang_port", "shanghai"),
    ("pearl", "beipan_port", "nansha"),
    ("china_europe", "guiyang_landport", "duisburg"),
    ("china_europe", "chengdu", "lodz"),
    ("china_europe", "chongqing", "budapest"),
    ("china_europe", "chongqing", "hamburg"),
    ("sea_suez", "singapore", "rotterdam"),
    ("sea_suez", "singapore", "piraeus"),
    ("sea_cape", "singapore", "hamburg"),
    ("road", "guiyang", "kunming"),
    ("road", "guiyang", "nanning"),
    ("road", "guiyang", "chongqing"),
    ("road", "guiyang", "guangzhou"),
    ("road", "guiyang", "vientiane"),
    ("road", "guiyang", "hanoi"),
    ("air", "guiyang", "bangkok_airport"),
]


@pytest.fixture(scope="module")
def graph(net: cr.Network) -> nx.MultiDiGraph:
    return net.to_networkx()


def _sub(net: cr.Network, keep: object) -> nx.MultiGraph:
    g = nx.MultiGraph()
    for ident, row in net.edges.iterrows():
        if keep(row):  # type: ignore[operator]
            g.add_edge(row["from"], row["to"], key=ident, km=row["length_km"])
    return g


def test_sizes(net: cr.Network) -> None:
    assert len(net.nodes) >= 60
    assert len(net.edges) >= 120


def test_required_hubs_present(net: cr.Network) -> None:
    assert REQUIRED_HUBS - set(net.nodes.index) == set()


def test_no_duplicate_ids_in_the_files() -> None:
    for name in ("nodes.geojson", "edges.geojson"):
        doc = json.loads(bundled_data_path(name).read_text(encoding="utf-8"))
        ids = Counter(f["properties"]["id"] for f in doc["features"])
        assert [i for i, n in ids.items() if n > 1] == [], name


def test_every_feature_is_sourced(net: cr.Network) -> None:
    for frame in (net.nodes, net.edges):
        assert frame["source"].map(lambda s: isinstance(s, str) and len(s) > 10).all()


def test_every_derived_length_says_how(net: cr.Network) -> None:
    assert net.edges["method"].map(lambda m: isinstance(m, str) and "length_km" in m).all()


def test_whole_network_connected_and_every_hub_linked(graph: nx.MultiDiGraph) -> None:
    assert nx.is_weakly_connected(graph)
    assert min(d for _, d in graph.degree()) >= 1


def test_lengths_are_plausible(net: cr.Network) -> None:
    nodes = net.nodes
    for ident, row in net.edges.iterrows():
        a, b = nodes.loc[row["from"]].geometry, nodes.loc[row["to"]].geometry
        direct = geodesic_km(a.x, a.y, b.x, b.y)
        # hub points stand for terminals up to a few km away: allow 1 km of slack
        assert row["length_km"] >= direct - 1.0, ident
        if row["length_km"] > 2.5 * direct:
            assert "length_km: published" in row["method"], ident


@pytest.mark.parametrize(("corridor", "a", "b"), CORRIDOR_PAIRS)
def test_corridors_present_and_connected(net: cr.Network, corridor: str, a: str, b: str) -> None:
    g = _sub(
        net,
        lambda r: (
            corridor in r["corridors"] or (r["from"] == "guiyang_landport" and r["to"] == "guiyang")
        ),
    )
    assert g.number_of_edges() > 0
    assert nx.has_path(g, a, b), f"{corridor}: {a} -> {b}"


@pytest.mark.parametrize("gateway", ["alashankou", "horgos", "manzhouli", "erenhot"])
def test_china_europe_exits_by_every_gateway(net: cr.Network, gateway: str) -> None:
    g = _sub(net, lambda r: r["mode"] == "rail")
    others = {"alashankou", "horgos", "manzhouli", "erenhot"} - {gateway}
    g.remove_nodes_from(others)
    assert nx.has_path(g, "guiyang_landport", "duisburg"), gateway


@pytest.mark.parametrize(
    ("closed", "a", "b"),
    [
        ("suez_canal", "singapore", "rotterdam"),
        ("malacca_strait", "singapore", "rotterdam"),
        ("bab_el_mandeb", "qinzhou_port", "hamburg"),
        ("gibraltar_strait", "singapore", "hamburg"),
    ],
)
def test_closing_a_sea_passage_reroutes_ships(net: cr.Network, closed: str, a: str, b: str) -> None:
    g = _sub(net, lambda r: r["mode"] == "sea")
    before = nx.shortest_path(g, a, b, weight="km")
    assert closed in before or closed == "gibraltar_strait"
    g.remove_node(closed)
    assert nx.has_path(g, a, b)


def test_gauge_breaks_are_marked(net: cr.Network) -> None:
    rail = net.edges[net.edges["mode"] == "rail"]
    gauges: dict[str, set[int]] = {}
    for _, row in rail.iterrows():
        for hub in (row["from"], row["to"]):
            gauges.setdefault(hub, set()).add(int(row["gauge_mm"]))
    breaks = {h for h, g in gauges.items() if len(g) > 1}
    expected = {
        "vientiane_south",
        "hekou",
        "dostyk",
        "khorgos",
        "zamyn_uud",
        "zabaikalsk",
        "malaszewicze",
        "hanoi",
    }
    assert breaks == expected
    for hub in breaks:
        assert net.nodes.loc[hub, "gauge_change_hours"] > 0, hub


def test_border_crossings_carry_costs_or_say_why(net: cr.Network) -> None:
    borders = net.nodes[net.nodes["kind"] == "border"]
    assert len(borders) >= 15
    for ident, row in borders.iterrows():
        has = row["crossing_hours"] == row["crossing_hours"]  # not NaN
        assert has or "left empty" in row["method"], ident


def test_planned_line(net: cr.Network) -> None:
    hb = net.edges.loc["r_huangtong_baise"]
    assert hb["status"] == "under_construction"
    assert hb["opens"] == 2028
    assert hb["length_km"] == 315


def test_china_laos_railway_lengths(net: cr.Network) -> None:
    e = net.edges
    total = e.loc["r_kunming_mohan", "length_km"] + e.loc["r_boten_vientiane", "length_km"]
    assert total == pytest.approx(1035, abs=1)


def test_chongqing_reaches_the_greater_bay_area_by_huaihua_and_zhuzhou(net: cr.Network) -> None:
    """The Hunan–Guizhou and Beijing–Guangzhou lines carry Chongqing's trains to the
    Greater Bay Area: a box by rail from Chongqing to Yantian takes them, not the longer
    way by Liuzhou and Nanning, and their lengths are the lines' distance posts (Huaihua
    km 1,565 less Zhuzhou km 1,125; Zhuzhou 655 km from Guangzhou)."""
    r = cr.route(net, "chongqing", "yantian", modes=["rail"])
    passed = set(r.legs["to"])
    assert {"huaihua", "zhuzhou", "guangzhou"} <= passed
    assert "liuzhou" not in passed
    e = net.edges
    assert e.loc["r_huaihua_zhuzhou", "length_km"] == 1565 - 1125
    assert e.loc["r_zhuzhou_guangzhou", "length_km"] == 655
    way = ["r_chongqing_huaihua", "r_huaihua_zhuzhou", "r_zhuzhou_guangzhou", "r_guangzhou_yantian"]
    assert r.total_km == pytest.approx(e.loc[way, "length_km"].sum())


def test_shanghai_reaches_europe_by_the_longhai_railway(net: cr.Network) -> None:
    """A box from Shanghai to Duisburg by rail crosses the Donghai Bridge to the Luchaogang
    rail centre and takes the Beijing–Shanghai and Longhai lines to Xi'an (distance posts:
    Xuzhou 649 km from Shanghai; Longhai Xuzhou km 223, Xi'an km 1,083), not a coastal
    ship to Yantian and the Guangdong lines."""
    e = net.edges
    assert e.loc[["r_xuzhou_zhengzhou", "r_zhengzhou_xian"], "length_km"].sum() == 1083 - 223
    assert e.loc["d_shanghai_luchaogang", "length_km"] == 32.5
    assert e.loc["r_luchaogang_xuzhou", "length_km"] > 649
    r = cr.route(net, "shanghai", "duisburg", modes=["rail", "road"])
    passed = set(r.legs["to"])
    assert {"luchaogang", "xuzhou", "xian"} <= passed
    assert "yantian" not in passed


def test_guangzhou_reaches_wuhan_and_zhengzhou_by_the_beijing_guangzhou_line(
    net: cr.Network,
) -> None:
    """Guangzhou to Wuhan and on to Zhengzhou runs up the Beijing–Guangzhou line (distance
    posts: Zhengzhou km 689, Hankou km 1,205), not west through Huaihua and Chongqing; the
    Longhai line is cut at Zhengzhou by its posts (Xuzhou 223, Zhengzhou 572, Xi'an 1,083)."""
    e = net.edges
    assert e.loc["r_zhengzhou_wuhan", "length_km"] == 1205 - 689
    assert e.loc["r_xuzhou_zhengzhou", "length_km"] + e.loc["r_zhengzhou_xian", "length_km"] == (
        1083 - 223
    )
    r = cr.route(net, "guangzhou", "zhengzhou", modes=["rail"])
    passed = set(r.legs["to"])
    assert {"zhuzhou", "wuhan", "zhengzhou"} <= passed
    assert not {"huaihua", "chongqing"} & passed
    way = ["r_zhuzhou_guangzhou", "r_wuhan_zhuzhou", "r_zhengzhou_wuhan"]
    assert r.total_km == pytest.approx(e.loc[way, "length_km"].sum())


def test_guiyang_reaches_shanghai_by_the_shanghai_kunming_line(net: cr.Network) -> None:
    """Guiyang to Shanghai by rail runs the Shanghai–Kunming line by its distance posts
    (Guiyang km 2,022, Huaihua 1,565, Zhuzhou 1,125 from Shanghai South), not north through
    Chongqing, Xi'an and Xuzhou."""
    e = net.edges
    assert e.loc["r_guiyang_huaihua", "length_km"] == 2022 - 1565
    r = cr.route(net, "guiyang", "shanghai", modes=["rail", "road"])
    passed = set(r.legs["to"])
    assert {"huaihua", "zhuzhou", "luchaogang"} <= passed
    assert not {"chongqing", "xian", "xuzhou"} & passed


def test_trains_to_manzhouli_run_north_from_zhengzhou(net: cr.Network) -> None:
    """The line to Manzhouli starts at Zhengzhou on published lengths (Zhengzhou km 689 from
    Beijing, Beijing–Harbin 1,249 km, Harbin–Manzhouli 934.8 km), and Guangzhou's Moscow
    train runs north up the Beijing–Guangzhou line, not west through Guiyang and Chongqing."""
    e = net.edges
    assert e.loc["r_zhengzhou_manzhouli", "length_km"] == pytest.approx(689 + 1249 + 934.8)
    train = net.services.loc["ce_guangzhou_moscow_manzhouli"]
    assert {"r_zhuzhou_guangzhou", "r_wuhan_zhuzhou", "r_zhengzhou_manzhouli"} <= set(
        train["links"]
    )
    assert "r_guiyang_guangzhou" not in train["links"]


def test_chengdu_and_chongqing_are_joined_by_the_suining_line_at_its_length(
    net: cr.Network,
) -> None:
    """Chengdu–Chongqing by rail is the Chengdu–Suining–Chongqing railway: 146 km
    Chengdu–Suining and 130.8 km Suining South–Beibei North (published), plus the drawn
    Beibei–Chongqing part; until 2026-11-30 the link bore the name of the 504 km Chengyu
    line via Neijiang and a drawn 298.6 km, matching neither. The published length is not
    shorter than the drawn line."""
    e = net.edges
    km = e.loc["r_chongqing_chengdu", "length_km"]
    assert 146 + 130.8 + 30 < km < 146 + 130.8 + 45
    assert "Suining" in e.loc["r_chongqing_chengdu", "line"]
    drawn = list(e.loc["r_chongqing_chengdu", "geometry"].coords)
    assert km > sum(geodesic_km(*a, *b) for a, b in itertools.pairwise(drawn))
    r = cr.route(net, "chengdu", "chongqing", modes=["rail"])
    assert r.total_km == pytest.approx(km)


def test_no_land_link_is_shorter_than_its_drawn_line(net: cr.Network) -> None:
    """A railway or road is never shorter than the line drawn through points on it: a
    published length more than 3% under the drawn polyline means a shape point off the
    line or a wrong length (Urumqi–Alashankou was drawn through Bole city, 509 km against
    its published 460; an encyclopedia's 274 km Chengdu–Chongqing was under its parts)."""
    short = []
    for ident, row in net.edges.iterrows():
        if row["mode"] not in ("rail", "road"):
            continue
        drawn = list(row["geometry"].coords)
        km = sum(geodesic_km(*a, *b) for a, b in itertools.pairwise(drawn))
        if row["length_km"] < 0.97 * km:
            short.append((ident, row["length_km"], round(km, 1)))
    assert not short, short


def test_shared_line_lengths_add_up(net: cr.Network) -> None:
    e = net.edges
    guikun = [
        "r_guiyang_anshun",
        "r_anshun_huangtong",
        "r_huangtong_liupanshui",
        "r_liupanshui_kunming",
    ]
    assert e.loc[guikun, "length_km"].sum() == pytest.approx(640, abs=0.05)


def test_hub_modes_match_links(net: cr.Network) -> None:
    served: dict[str, set[str]] = {}
    for _, row in net.edges.iterrows():
        served.setdefault(row["from"], set()).add(row["mode"])
        served.setdefault(row["to"], set()).add(row["mode"])
    for ident, row in net.nodes.iterrows():
        assert set(row["modes"]) == served[ident], ident


def test_geojson_is_regenerated_from_the_source_tables() -> None:
    pytest.importorskip("searoute")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_data.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
