"""Every big origin of western China reaches its destinations by every corridor that serves
the pair in reality, and a corridor is "not served" only for a reason that is true."""

from __future__ import annotations

import pytest

import corridor as cr

ORIGINS = ["Guiyang", "Zunyi", "Anshun", "Liupanshui", "Chongqing", "Chengdu", "Kunming", "Nanning"]
EUROPE_RAIL = [
    "china_europe_alashankou", "china_europe_horgos", "china_europe_manzhouli",
    "china_europe_erenhot",
]  # fmt: skip
EUROPE = [*EUROPE_RAIL, "sea_suez", "sea_cape", "land_sea"]
#: destination -> the corridors that serve it from every origin. The Guizhou–Guangdong
#: trains serve every origin but Nanning, which has its own line to Guangzhou.
SERVED = {
    "Singapore": ["land_sea", "china_laos", "guizhou_guangdong"],
    "Jakarta": ["land_sea", "china_laos", "guizhou_guangdong"],
    "Bangkok": ["china_laos", "land_sea", "road", "guizhou_guangdong"],
    "Vientiane": ["china_laos", "road"],
    "Hanoi": ["china_vietnam_rail", "land_sea", "road"],
    "Duisburg": EUROPE,
    "Hamburg": EUROPE,
    "Moscow": EUROPE_RAIL,
    "Shenzhen": ["guizhou_guangdong", "road"],
    "Nansha": ["guizhou_guangdong", "road"],
    "Hong Kong": ["guizhou_guangdong", "land_sea", "road"],
}


@pytest.mark.parametrize("origin", ORIGINS)
def test_every_origin_is_served(net: cr.Network, origin: str) -> None:
    for dest, expected in SERVED.items():
        t = cr.compare(net, origin, dest)
        assert t.loc["best", "status"] == "ok", (origin, dest)
        for c in expected:
            if origin == "Nanning" and c == "guizhou_guangdong":
                assert t.loc[c, "status"] == "not served", (origin, dest)
                assert "doubling back" in t.loc[c, "reason"]
                continue
            assert t.loc[c, "status"] == "ok", (origin, dest, c, t.loc[c, "reason"])
        # a reason for every corridor that does not serve, and a true one
        not_ok = t[t["status"] != "ok"]
        assert not_ok["reason"].str.len().gt(0).all()
        country = net.hub(dest).country
        for c, row in not_ok.iterrows():
            corridor = next(k for k in cr.load_corridors() if k.id == c)
            if row["reason"].startswith("does not serve"):
                assert country not in corridor.serves, (origin, dest, c)
            else:
                assert "doubling back" in row["reason"], (origin, dest, c, row["reason"])


def test_corridor_routes_look_like_their_corridor(net: cr.Network) -> None:
    """The trunk of each corridor is on its route: no feeder rides another corridor."""
    res = cr.corridor_routes(net, "Chengdu", "Singapore")
    lines = " ".join(res["land_sea"].route.lines)  # type: ignore[union-attr]
    assert "Qinzhou" in lines or "Nanning" in lines
    assert "China–Europe" not in " ".join(res["china_laos"].route.lines)  # type: ignore[union-attr]
    europe = cr.corridor_routes(net, "Kunming", "Duisburg")
    for c in ("land_sea", "sea_suez"):
        r = europe[c].route
        assert r is not None
        assert not {"dostyk", "khorgos", "zabaikalsk", "zamyn_uud"} & set(r.hubs), c
    assert "suez_canal" in europe["land_sea"].route.hubs  # type: ignore[union-attr]


def test_the_home_city_is_served_by_its_own_trains(net: cr.Network) -> None:
    """From Guiyang the Guizhou–Guangdong route leaves by train, not by truck to Chongqing."""
    r = cr.corridor_routes(net, "Guiyang", "Nansha")["guizhou_guangdong"].route
    assert r is not None
    assert "chongqing" not in r.hubs
    legs = r.legs
    assert (legs[legs["kind"] == "link"]["mode"] == "rail").all()
    assert legs["wait_hours"].sum() > 0  # it waits for a departure


def test_a_corridor_that_ends_at_a_port_goes_on_by_sea(net: cr.Network) -> None:
    """Guizhou–Guangdong trains to Thailand go on by ship from the Greater Bay Area, not back
    west by land around the China–Laos gateway; to Hong Kong they need no ship."""
    gd = next(c for c in cr.load_corridors() if c.id == "guizhou_guangdong")
    assert gd.steps_to("THA") == (*gd.gateways, gd.onward)
    assert gd.steps_to("HKG") == gd.gateways
    r = cr.corridor_routes(net, "Kunming", "Bangkok")["guizhou_guangdong"].route
    assert r is not None
    assert "mohan" not in r.hubs
    sea = r.legs[(r.legs["kind"] == "link") & (r.legs["mode"] == "sea")]
    assert sea["from"].iloc[0] in {"nansha", "yantian", "shekou", "hong_kong"}
    bad = {"id": "x", "name": "X", "gateways": [["boten:rail"]], "serves": ["LAO"], "source": "s"}
    with pytest.raises(cr.DataError, match=r"onward\[0\]: 'nowhere' is not 'hub:mode'"):
        cr.corridors.Corridor.from_dict({**bad, "onward": ["nowhere"]})
    with pytest.raises(cr.DataError, match="field 'onward_unless' must be a list"):
        cr.corridors.Corridor.from_dict({**bad, "onward_unless": "CHN"})
