"""The Network object: lookup, immutability, NetworkX export, summary."""

from __future__ import annotations

import pytest

import corridor as cr
from corridor import NodeNotFound


@pytest.mark.parametrize(
    ("query", "ident"),
    [
        ("guiyang", "guiyang"),
        ("GUIYANG", "guiyang"),
        ("贵阳", "guiyang"),
        ("Łódź", "lodz"),
        ("lodz", "lodz"),
        ("ŁÓDŹ", "lodz"),
        ("Gui'an New Area", "guian"),
        ("guian new area", "guian"),
        ("CNQZH", "qinzhou_port"),
        ("Beibu Gulf Port", "qinzhou_port"),
        ("Dulaying", "guiyang_landport"),
        ("KWE", "guiyang_airport"),
        ("Zamyn-Uud", "zamyn_uud"),
        ("zamyn üüd", "zamyn_uud"),
        ("Friendship Pass", "pingxiang"),
        ("Đồng Đăng", "dong_dang"),
        ("Suez", "suez_canal"),
    ],
)
def test_hub_lookup(net: cr.Network, query: str, ident: str) -> None:
    assert net.hub_id(query) == ident
    assert net.hub(query).id == ident


def test_unknown_hub_suggests(net: cr.Network) -> None:
    with pytest.raises(
        NodeNotFound, match=r"no hub named 'Guiyng'; did you mean 'Guiyang'"
    ) as info:
        net.hub("Guiyng")
    assert isinstance(info.value, KeyError)
    assert "Guiyang" in info.value.suggestions
    assert str(info.value).startswith("no hub named")


def test_unknown_hub_without_anything_close(net: cr.Network) -> None:
    with pytest.raises(NodeNotFound, match=r"^no hub named 'zzzzqqq'$"):
        net.hub("zzzzqqq")


def test_non_string_hub(net: cr.Network) -> None:
    with pytest.raises(cr.DataError, match="a hub is named by a string, got 42"):
        net.hub(42)  # type: ignore[arg-type]


def test_hub_value(net: cr.Network) -> None:
    h = net.hub("Khorgos")
    assert h.country == "KAZ"
    assert h.properties["gauge_change_hours"] == pytest.approx(0.92)
    assert "rail" in h.modes
    assert (h.lon, h.lat) == pytest.approx((80.3852, 44.2234))


def test_network_is_immutable(net: cr.Network) -> None:
    with pytest.raises(AttributeError, match="immutable"):
        net.foo = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="immutable"):
        net._nodes = None
    nodes = net.nodes
    nodes.loc["guiyang", "name"] = "changed"
    assert net.hub("guiyang").name == "Guiyang"
    edges = net.edges
    edges.loc[:, "length_km"] = 0.0
    assert (net.edges["length_km"] > 0).all()


def test_bundled_network_is_shared(net: cr.Network) -> None:
    assert cr.load_network() is net


def test_to_networkx(net: cr.Network) -> None:
    g = net.to_networkx()
    assert g.number_of_nodes() == len(net.nodes)
    n_bidir = int(net.edges["bidirectional"].sum())
    assert g.number_of_edges() == len(net.edges) + n_bidir
    data = g.get_edge_data("kunming", "mohan")["r_kunming_mohan"]
    assert data["line"] == "China–Laos Railway"
    assert data["length_km"] == 613
    back = g.get_edge_data("mohan", "kunming")["r_kunming_mohan"]
    assert back["reversed"] is True
    assert back["geometry"].coords[0] == data["geometry"].coords[-1]
    assert g.nodes["kunming"]["name_zh"] == "昆明"


def test_summary(net: cr.Network) -> None:
    s = net.summary()
    assert s.n_hubs == len(net.nodes)
    assert s.links_by_mode["links"].sum() == s.n_links == len(net.edges)
    assert s.links_by_mode["km"].sum() == pytest.approx(net.edges["length_km"].sum())
    assert {"china_laos", "land_sea", "china_europe", "sea_suez", "sea_cape"} <= set(
        s.corridors.index
    )
    assert s.links_by_mode.loc["rail", "not_operational"] == 1
    text = str(s)
    assert "Links by mode" in text
    assert "Corridors" in text
    assert repr(net).startswith("<Network: ")
