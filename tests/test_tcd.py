"""Time/cost–distance tables, CPMM indicators and charts, checked on the data they show."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

import corridor as cr
from corridor import DataError
from corridor.indicators import INDICATORS, route_indicators, tcd_table
from corridor.plot import MODE_COLORS, STOP_COLORS, TCD_LABEL_SHARE


@pytest.fixture(autouse=True)
def _close_figures() -> None:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def laos(net: cr.Network) -> cr.Route:
    """Kunming → Vientiane by rail: a wait, two links, the Mohan–Boten border, a link."""
    return cr.route(net, "Kunming", "Vientiane", modes=["rail"])


@pytest.fixture(scope="module")
def duisburg(net: cr.Network) -> dict[str, cr.Route]:
    res = cr.corridor_routes(net, "Guiyang", "Duisburg")
    out = {k: res[k].route for k in ("china_europe_alashankou", "sea_suez", "china_europe_horgos")}
    assert all(r is not None for r in out.values())
    return out  # type: ignore[return-value]


def _sub_route(r: cr.Route, keep: np.ndarray) -> cr.Route:
    """The route cut to some of its arcs, its totals recomputed (for degenerate cases)."""
    arcs = r._arcs[keep]
    tot = r._graph.criteria[:, arcs].sum(axis=1)
    return dataclasses.replace(
        r,
        _arcs=arcs,
        total_usd=float(tot[0]),
        total_hours=float(tot[1]),
        total_km=float(tot[2]),
        total_co2_kg=float(tot[3]),
        total_generalized=float(tot[4]),
    )


# ---------------------------------------------------------------- the table


def _check_cumulative(r: cr.Route) -> pd.DataFrame:
    t = tcd_table(r)
    legs = r.legs
    assert len(t) == len(legs)
    assert t["kind"].tolist() == legs["kind"].tolist()
    for col, total in (("km", r.total_km), ("hours", r.total_hours), ("usd", r.total_usd)):
        start, end = t[f"{col}_start"].to_numpy(), t[f"{col}_end"].to_numpy()
        np.testing.assert_allclose(t[col], legs[col])
        assert start[0] == 0.0
        assert end[-1] == pytest.approx(total, rel=1e-12, abs=1e-9)
        assert (start[1:] == end[:-1]).all()  # each leg starts where the last ended
        np.testing.assert_allclose(end - start, t[col], atol=1e-9)
        assert (np.diff(np.concatenate([start, end[-1:]])) >= 0).all(), col  # non-decreasing
    stops = t[t["kind"] != "link"]
    assert (stops["km"] == 0).all()
    assert (stops["km_start"] == stops["km_end"]).all()  # stops are vertical steps
    assert (t.loc[t["kind"] == "link", "category"] == "moving").all()
    return t


def test_tcd_table_laos(laos: cr.Route, net: cr.Network) -> None:
    t = _check_cumulative(laos)
    assert t["kind"].tolist() == ["wait", "link", "link", "crossing", "link"]
    assert t["category"].tolist() == ["wait", "moving", "moving", "border", "moving"]
    border = t.iloc[3]
    assert (border["from"], border["km"], border["hours"], border["usd"]) == ("boten", 0, 7, 264)
    bridge = float(net.edges.loc["r_mohan_boten", "length_km"])  # drawn, about 3.5 km
    assert 3.0 < bridge < 4.0
    assert border["km_start"] == pytest.approx(613 + bridge)
    assert t["km_end"].iloc[-1] == pytest.approx(613 + bridge + 422)


@pytest.mark.parametrize("key", ["china_europe_alashankou", "sea_suez", "china_europe_horgos"])
def test_tcd_table_duisburg(duisburg: dict[str, cr.Route], key: str) -> None:
    _check_cumulative(duisburg[key])


def test_tcd_table_timetable(net: cr.Network) -> None:
    r = cr.route(net, "Kunming", "Vientiane South", modes=["rail"], depart="2026-12-01T08:00")
    t = _check_cumulative(r)
    assert t["hours_end"].iloc[-1] == pytest.approx(
        (r.arrival - r.departure).total_seconds() / 3600
    )


def test_crossings_are_borders_or_passages(net: cr.Network, duisburg: dict[str, cr.Route]) -> None:
    sea = tcd_table(duisburg["sea_suez"])
    suez = sea[sea["kind"] == "crossing"]
    assert suez["from"].tolist() == ["suez_canal"]
    assert suez["category"].tolist() == ["passage"]  # a canal, not a border
    countries = net.nodes["country"]
    for key in ("china_europe_alashankou", "china_europe_horgos"):
        t = tcd_table(duisburg[key])
        crossings = t.index[t["kind"] == "crossing"]
        assert len(crossings) >= duisburg[key].border_crossings > 0
        for i in crossings:  # each follows the link that crosses the border
            link = t.loc[i - 1]
            assert link["kind"] == "link"
            assert countries[link["from"]] != countries[link["to"]]
            assert t.at[i, "category"] == "border"


# ---------------------------------------------------------------- indicators


def test_indicators_by_hand(laos: cr.Route) -> None:
    legs = laos.legs
    km = legs["km"].sum()
    hours, usd = laos.total_hours, laos.total_usd
    moving = legs.loc[legs["kind"] == "link", "hours"].sum()
    border = legs[legs["kind"] == "crossing"]
    wait = legs.loc[legs["kind"] == "wait", "hours"].sum()
    got = route_indicators(laos)
    assert tuple(got) == INDICATORS
    assert got["speed_without_delay_kmh"] == pytest.approx(km / moving)
    assert got["speed_with_delay_kmh"] == pytest.approx(km / hours)
    assert got["hours_share_border"] == pytest.approx(border["hours"].sum() / hours)
    assert got["usd_share_border"] == pytest.approx(border["usd"].sum() / usd)
    assert got["hours_share_wait"] == pytest.approx(wait / hours)
    assert got["hours_share_transfer"] == 0.0
    assert got["usd_share_transfer"] == 0.0
    # the same from the printed legs: 1,038.49 km; 21.06 h moving of 40.06 h; the
    # Mohan–Boten border 7 h and USD 264 of USD 502.85; the wait for a daily train 12 h
    assert got["speed_without_delay_kmh"] == pytest.approx(1038.49 / 21.0647, rel=1e-4)
    assert got["speed_with_delay_kmh"] == pytest.approx(1038.49 / 40.0647, rel=1e-4)
    assert got["hours_share_border"] == pytest.approx(7 / 40.0647, rel=1e-4)
    assert got["usd_share_border"] == pytest.approx(264 / 502.8527, rel=1e-4)
    assert got["hours_share_wait"] == pytest.approx(12 / 40.0647, rel=1e-4)


def test_indicators_sea_shares(duisburg: dict[str, cr.Route]) -> None:
    r = duisburg["sea_suez"]
    legs = r.legs
    got = route_indicators(r)
    transfer = legs[legs["kind"].isin(["transfer", "gauge_change", "port"])]
    assert got["hours_share_transfer"] == pytest.approx(transfer["hours"].sum() / r.total_hours)
    assert got["usd_share_transfer"] == pytest.approx(transfer["usd"].sum() / r.total_usd)
    assert got["hours_share_border"] == 0.0
    moving = legs.loc[legs["kind"] == "link", "hours"].sum() / r.total_hours
    passage = 29.0 / r.total_hours  # the Suez convoy: delay, but in none of the shares
    shares = got["hours_share_border"] + got["hours_share_transfer"] + got["hours_share_wait"]
    assert shares + moving + passage == pytest.approx(1.0)
    assert got["speed_without_delay_kmh"] > got["speed_with_delay_kmh"] > 0


def test_indicators_zero_km(laos: cr.Route) -> None:
    g = laos._graph
    only_wait = _sub_route(laos, ~g.is_travel[laos._arcs])  # a wait, no km
    t = tcd_table(only_wait)
    assert t["kind"].tolist() == ["wait"]
    assert t["km_end"].iloc[-1] == 0.0
    got = route_indicators(only_wait)
    assert math.isnan(got["speed_without_delay_kmh"])
    assert math.isnan(got["speed_with_delay_kmh"])
    assert got["hours_share_wait"] == 1.0
    assert math.isnan(got["usd_share_border"])  # no cost to share
    empty = _sub_route(laos, np.zeros(len(laos._arcs), dtype=bool))
    assert tcd_table(empty).empty
    assert all(math.isnan(v) for v in route_indicators(empty).values())
    _, ax = cr.plot_tcd([only_wait, empty])  # draws, does not divide by zero
    assert ax.get_xlim()[1] > 0


@pytest.mark.parametrize("fn", [tcd_table, route_indicators])
@pytest.mark.parametrize("bad", [None, "Kunming", 3])
def test_indicators_want_a_route(fn: object, bad: object) -> None:
    with pytest.raises(DataError, match=r"route must be a corridor\.Route"):
        fn(bad)  # type: ignore[operator]


# ---------------------------------------------------------------- the chart


def _tcd_lines(ax: plt.Axes) -> dict[tuple[int, int], Line2D]:
    out = {}
    for line in ax.lines:
        gid = str(line.get_gid())
        if gid.startswith("tcd:"):
            _, i, j = gid.split(":")
            out[int(i), int(j)] = line
    return out


def _texts(ax: plt.Axes) -> list[str]:
    return [t.get_text() for t in ax.texts if isinstance(t, Annotation)]


@pytest.mark.parametrize("y", ["hours", "usd"])
def test_plot_tcd_lines_match_table(duisburg: dict[str, cr.Route], y: str) -> None:
    routes = [duisburg["china_europe_alashankou"], duisburg["sea_suez"]]
    _, ax = cr.plot_tcd(routes, y=y, labels=["rail", "sea"])
    lines = _tcd_lines(ax)
    assert len(lines) == sum(len(r.legs) for r in routes)
    for i, r in enumerate(routes):
        t = tcd_table(r)
        for j, row in t.iterrows():
            line = lines[i, j]
            np.testing.assert_allclose(
                np.asarray(line.get_xdata()), [row["km_start"], row["km_end"]]
            )
            np.testing.assert_allclose(
                np.asarray(line.get_ydata()), [row[f"{y}_start"], row[f"{y}_end"]]
            )
            if row["kind"] == "link":
                assert line.get_color() == MODE_COLORS[row["mode"]]
            else:
                assert line.get_color() == STOP_COLORS[row["category"]]
                assert np.ptp(np.asarray(line.get_xdata())) == 0  # vertical
        end = lines[i, len(t) - 1]
        assert np.asarray(end.get_ydata())[-1] == pytest.approx(
            r.total_hours if y == "hours" else r.total_usd
        )
        assert len({lines[i, j].get_linestyle() for j in range(len(t))}) == 1  # one per route
    assert lines[0, 0].get_linestyle() != lines[1, 0].get_linestyle()
    assert ax.get_xlabel() == "cumulative distance (km)"
    if y == "hours":
        assert ax.get_title().startswith("Time–distance: Guiyang → Duisburg")
        assert "hours" in ax.get_ylabel()
        assert any(c.get_ylabel() == "days" for c in ax.child_axes)
    else:
        assert ax.get_title().startswith("Cost–distance")
        assert ax.get_ylabel() == "cumulative cost (USD per TEU)"
    texts = _texts(ax)
    assert any("UNESCAP Time/Cost-Distance" in s and "data/" in s for s in texts)
    assert any(s.startswith("rail\n") for s in texts)
    assert any(s.startswith("sea\n") for s in texts)
    legs_legend = {t.get_text() for lg in ax.artists for t in lg.get_texts()}
    assert {"road", "rail", "sea", "stop: border crossing", "stop: wait for a departure"} <= (
        legs_legend
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["rail", "sea"]  # routes


def test_plot_tcd_labels_large_stops(duisburg: dict[str, cr.Route]) -> None:
    sea, rail = duisburg["sea_suez"], duisburg["china_europe_alashankou"]
    _, ax = cr.plot_tcd(sea, y="hours")
    texts = _texts(ax)
    t = tcd_table(sea)
    large = t[(t["kind"] != "link") & (t["hours"] > TCD_LABEL_SHARE * sea.total_hours)]
    assert len(large) == 2  # the wait for a ship at Qinzhou, the import at Rotterdam
    assert sum("wait for departure at Qinzhou Port: 84 h" in s for s in texts) == 1
    assert sum("transfer sea→road at Rotterdam Port: 89 h" in s for s in texts) == 1
    assert not any("Suez" in s for s in texts)  # 29 h: under 5 % of 1,060 h
    _, ax = cr.plot_tcd(rail, y="usd")
    texts = _texts(ax)
    # Alashankou export USD 40 + Dostyk transit USD 185 (the train does not stop in Kazakhstan)
    assert any(s == "border Alashankou → Dostyk: USD 225" for s in texts)
    assert any(s == "border Brest → Małaszewicze: USD 216" for s in texts)
    assert not any(s.startswith("gauge change") for s in texts)  # USD 25: small


def test_plot_tcd_given_axes_and_defaults(laos: cr.Route) -> None:
    fig, ax = plt.subplots()
    got_fig, got_ax = cr.plot_tcd(laos, ax=ax)
    assert got_ax is ax
    assert got_fig is fig
    assert len(_tcd_lines(ax)) == len(laos.legs)
    assert any(s.startswith("rail\n1.7 days") for s in _texts(ax))  # default label: modes
    assert cr.plot_tcd is cr.plot.plot_tcd
    assert "plot_tcd" in cr.__all__


def test_plot_tcd_text_is_plain(laos: cr.Route) -> None:
    _, ax = cr.plot_tcd(laos, labels=["$5 box"])
    assert all(not t.get_parse_math() for t in ax.texts)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": "days"}, "y='days'"),
        ({"y": None}, "y=None"),
        ({"labels": ["a", "b"]}, "labels: 2 given for 1 routes"),
        ({"labels": [3]}, r"labels\[0\]"),
        ({"ax": "axes"}, "ax must be a matplotlib Axes"),
    ],
)
def test_plot_tcd_bad_arguments(laos: cr.Route, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(DataError, match=match):
        cr.plot_tcd(laos, **kwargs)


@pytest.mark.parametrize(
    ("routes", "match"),
    [
        (None, "routes must be a list of corridor.Route"),
        ("Kunming", "routes must be a list of corridor.Route"),
        ([], "at least one route"),
    ],
)
def test_plot_tcd_bad_routes(routes: object, match: str) -> None:
    with pytest.raises(DataError, match=match):
        cr.plot_tcd(routes)


def test_plot_tcd_unserved_corridor(laos: cr.Route) -> None:
    with pytest.raises(DataError, match=r"routes\[1\] must be a corridor.Route, got NoneType"):
        cr.plot_tcd([laos, None])


def test_the_tcd_command_writes_the_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from corridor.cli import main

    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.argv", ["corridor", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, capsys.readouterr().err

    out = tmp_path / "tcd.png"
    code, err = run(
        "tcd", "Guiyang", "Duisburg", "-o", str(out), "--corridors",
        "china_europe_alashankou,sea_suez", "--y", "usd",
    )  # fmt: skip
    assert code == 0, err
    assert out.read_bytes()[:4] == b"\x89PNG"
    code, err = run("tcd", "Guiyang", "Guiyang", "-o", str(out))
    assert code == 1
    assert err.startswith("error: origin and destination are the same hub")


def test_compare_reports_the_cpmm_indicators(net: cr.Network) -> None:
    from corridor.indicators import INDICATORS

    t = cr.compare(net, "Kunming", "Vientiane")
    assert set(INDICATORS) <= set(t.columns)
    r = cr.corridor_routes(net, "Kunming", "Vientiane")["china_laos"].route
    assert r is not None
    for key, value in r.indicators().items():
        assert t.loc["china_laos", key] == pytest.approx(value, nan_ok=True)
