"""Transit-time distributions, percentiles, cargo segments and market shares (issue 14)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor import reliability, shares
from corridor.cli import app
from corridor.io import bundled_data_path
from corridor.reliability import Distribution, fit_distribution, read_distributions
from corridor.segments import load_segments, read_segments

runner = CliRunner()
SOURCES = bundled_data_path("nodes.geojson").parent / "sources"


@pytest.fixture(scope="module")
def net() -> cr.Network:
    return cr.load_network()


# ------------------------------------------------------------------ fitting


def test_fit_lognormal_from_two_percentiles_is_closed_form() -> None:
    shape, shift = fit_distribution("lognorm", shift=0.0, p50_h=48, p90_h=96)
    assert shape == pytest.approx(math.log(2) / 1.2815516, rel=1e-4)
    assert shift == 0.0


@pytest.mark.parametrize("family", ["lognorm", "gamma"])
def test_fit_reproduces_what_it_was_given(family: str) -> None:
    shape, shift = fit_distribution(family, mean_h=100.0, p10_h=80.0, p90_h=130.0)
    d = Distribution("x", "", family, shape, shift)
    assert float(d.quantile(0.1, 100.0)) == pytest.approx(80.0, rel=0.03)
    assert float(d.quantile(0.9, 100.0)) == pytest.approx(130.0, rel=0.03)


def test_fit_on_time_share_and_floor() -> None:
    shape, shift = fit_distribution(
        "lognorm", mean_h=900.0, shift=0.9067, on_time_h=864.0, on_time_share=0.525
    )
    d = Distribution("sea", "", "lognorm", shape, shift)
    assert float(d.cdf(864.0, 900.0)) == pytest.approx(0.525, abs=1e-3)
    shape, shift = fit_distribution("lognorm", min_h=3.17, p50_h=4.0, p90_h=8.0)
    assert 0 < shift < 1


def test_the_sea_fit_reproduces_the_late_ships_delay_it_was_not_fitted_to() -> None:
    """Sea-Intelligence 2024: late ships 5.0-5.7 days late; only the on-time share was fitted."""
    d = read_distributions(SOURCES / "reliability.csv").loc[("sea", "")]
    rng = np.random.default_rng(0)
    y = np.exp(d["shape"] * rng.standard_normal(400_000) - d["shape"] ** 2 / 2)
    t = 900.0 * (d["shift"] + (1 - d["shift"]) * y)
    late = t > 864.0
    assert 5.0 <= (t[late] - 840.0).mean() / 24 <= 5.7


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"p50_h": 96, "p90_h": 48, "shift": 0.0}, "p90_h .* must be above p50_h"),
        ({"p50_h": 10, "shift": 0.0}, "cannot fix 2 unknowns"),
        ({"on_time_h": 10, "on_time_share": 1.5, "mean_h": 5, "shift": 0.0}, "between 0 and 1"),
        ({"on_time_h": 10, "mean_h": 5, "shift": 0.0}, "go together"),
    ],
)
def test_fit_refuses_figures_that_cannot_make_a_distribution(kwargs: dict, match: str) -> None:
    with pytest.raises(cr.DataError, match=match):
        fit_distribution("lognorm", **kwargs)


def _table() -> pd.DataFrame:
    return pd.read_csv(SOURCES / "reliability.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("shape", "-1", "field 'shape'"),
        ("p90_h", "10", "field 'family'.*p90"),  # the border row: p90 below its p50 (60 h)
        ("on_time_share", "1.2", "field 'on_time_share'"),
        ("shift", "1.5", "field 'shift'"),
        ("p50_h", "inf", "field 'p50_h'"),
        ("family", "weibull", "field 'family'"),
        ("component", "teleport", "field 'component'"),
        ("hub", "atlantis", "field 'hub'.*unknown hub"),
    ],
)
def test_a_bad_distribution_row_is_named(
    net: cr.Network, column: str, value: str, match: str
) -> None:
    t = _table()
    row = t.index[(t["component"] == "border_rail") & (t["hub"] == "")][0]
    t.loc[row, column] = value
    refit = column != "shape"
    with pytest.raises(cr.DataError, match=match) as err:
        read_distributions(t, net._nodes.index, refit=refit)
    assert "#8" in str(err.value)  # the row


def test_every_component_needs_a_default_row() -> None:
    t = _table()
    t = t[t["component"] != "lock"]
    with pytest.raises(cr.DataError, match="no default row for 'lock'"):
        read_distributions(t)


def test_bundled_fit_is_the_fit_of_the_sources(net: cr.Network) -> None:
    fresh = read_distributions(SOURCES / "reliability.csv", net._nodes.index)
    bundled = reliability.load_distributions()
    pd.testing.assert_series_equal(fresh["shape"], bundled["shape"], rtol=1e-5)
    pd.testing.assert_series_equal(fresh["shift"], bundled["shift"], rtol=1e-5)
    assert (bundled["source"].str.len() > 0).all()
    assert (bundled["method"].str.len() > 0).all()


# ------------------------------------------------------------------ transit_time


def test_transit_time_mean_is_the_routes_time(net: cr.Network) -> None:
    t = cr.transit_time(net, "Guiyang", "Singapore", seed=1, samples=40_000)
    assert t.mean == pytest.approx(t.route.total_hours, rel=0.01)
    p = t.percentiles([5, 50, 90, 95, 99])
    assert p["hours"].is_monotonic_increasing
    assert p.loc[50, "days"] == pytest.approx(p.loc[50, "hours"] / 24)
    assert t.on_time(p.loc[90, "days"]) == pytest.approx(np.mean(t.hours <= p.loc[90, "hours"]))
    assert t.on_time(p.loc[90, "hours"], unit="hours") == pytest.approx(0.9, abs=0.01)
    assert t.std > 0
    assert "p90" in repr(t)


def test_seed_reproduces_and_differs(net: cr.Network) -> None:
    a = cr.transit_time(net, "Kunming", "Vientiane", seed=5, samples=1000)
    b = cr.transit_time(net, "Kunming", "Vientiane", seed=5, samples=1000)
    c = cr.transit_time(net, "Kunming", "Vientiane", seed=6, samples=1000)
    assert np.array_equal(a.hours, b.hours)
    assert not np.array_equal(a.hours, c.hours)
    d = cr.transit_time(net, "Kunming", "Vientiane", samples=10)
    assert isinstance(d.seed, int)


def test_a_ship_is_one_draw_across_its_ports(net: cr.Network) -> None:
    """Sea legs of one voyage share a draw: one sea element, with the whole voyage's hours."""
    t = cr.transit_time(net, "Shanghai", "Rotterdam", corridor="sea_suez", seed=1)
    comp = t.components()
    legs = t.route.legs
    sea_hours = legs.loc[(legs["kind"] == "link") & (legs["mode"] == "sea"), "hours"].sum()
    assert (legs["kind"].eq("link") & legs["mode"].eq("sea")).sum() > 1
    assert (comp["component"] == "sea").sum() == 1
    assert comp.loc[comp["component"] == "sea", "hours"].sum() == pytest.approx(sea_hours, rel=0.05)
    assert comp["hours"].sum() == pytest.approx(t.route.total_hours)
    assert comp["variance_share"].sum() == pytest.approx(1.0)


def test_corridor_and_errors(net: cr.Network) -> None:
    t = cr.transit_time(net, "Guiyang", "Duisburg", corridor="sea_suez", seed=1)
    assert "sea" in t.route.modes
    assert t.corridor == "sea_suez"
    with pytest.raises(cr.NoRouteError, match="china_laos"):
        cr.transit_time(net, "Guiyang", "Duisburg", corridor="china_laos")
    with pytest.raises(cr.DataError, match="samples"):
        cr.transit_time(net, "Guiyang", "Duisburg", samples=0)
    with pytest.raises(cr.DataError, match="samples"):
        cr.transit_time(net, "Guiyang", "Duisburg", samples=10**9)
    with pytest.raises(cr.DataError, match="seed"):
        cr.transit_time(net, "Guiyang", "Duisburg", seed=-1)
    with pytest.raises(cr.DataError, match="corridor"):
        cr.transit_time(net, "Guiyang", "Duisburg", corridor=3)  # type: ignore[arg-type]
    t = cr.transit_time(net, "Kunming", "Vientiane", seed=1, samples=100)
    with pytest.raises(cr.DataError, match="unit"):
        t.on_time(3, unit="weeks")
    with pytest.raises(cr.DataError, match="q"):
        t.percentiles([50, 101])


def test_route_by_p90_is_no_worse_at_p90_than_the_fastest(net: cr.Network) -> None:
    from corridor.reliability import SEARCH_SAMPLES, SEARCH_SEED, sample_route

    best = cr.route(net, "Guiyang", "Singapore", by="p90")
    fast = cr.route(net, "Guiyang", "Singapore", by="hours")
    cheap = cr.route(net, "Guiyang", "Singapore")

    def p90(r: cr.Route) -> float:
        return float(np.percentile(sample_route(r, SEARCH_SAMPLES, SEARCH_SEED)[0], 90))

    assert p90(best) <= p90(fast) + 1e-9
    assert p90(best) <= p90(cheap) + 1e-9
    assert best.by == "p90"
    with pytest.raises(cr.DataError, match="via"):
        cr.route(net, "Guiyang", "Singapore", by="p90", via=["Nanning"])
    r = cr.route(net, "Guiyang", "Singapore", by="p90", modes=["rail", "sea", "road"])
    assert "air" not in r.modes


def test_compare_with_reliability(net: cr.Network) -> None:
    df = cr.compare(net, "Guiyang", "Duisburg", reliability=True)
    ok = df[df["status"] == "ok"]
    assert (ok["p50_days"] <= ok["p90_days"]).all()
    assert (ok["p90_days"] <= ok["p95_days"]).all()
    assert ok["on_time_share"].between(0, 1).all()
    # a longer sea voyage spreads wider than the timetabled train
    spread = ok["p90_days"] - ok["p50_days"]
    assert spread["sea_suez"] > spread["china_europe_alashankou"]
    assert "p50_days" not in cr.compare(net, "Guiyang", "Duisburg").columns
    with pytest.raises(cr.DataError, match="reliability"):
        cr.compare(net, "Guiyang", "Duisburg", reliability="yes")  # type: ignore[arg-type]


# ------------------------------------------------------------------ segments and shares


def test_segments_are_sourced_and_in_the_published_range() -> None:
    s = load_segments()
    assert {"fertiliser", "tyres", "liquor", "tea", "guitars", "electromechanical",
            "battery_materials", "ores", "equipment"} <= set(s.index)  # fmt: skip
    assert s["time_value_pct_per_day"].between(0.6, 2.1).all()
    assert (s["source"].str.len() > 20).all()
    assert (s["method"].str.len() > 20).all()
    assert s["weight"].sum() == pytest.approx(1.0)
    cm = cr.CostModel().for_segment("tea")
    assert cm.cargo_value_usd == 350_000
    assert cm.time_value_pct_per_day == 1.0
    with pytest.raises(cr.DataError, match="unknown cargo segment 'caviar'"):
        cr.CostModel().for_segment("caviar")


@pytest.mark.parametrize(
    ("column", "value", "match"),
    [
        ("value_usd_per_teu", "-5", "tea.*value_usd_per_teu"),
        ("value_usd_per_teu", "", "tea.*value_usd_per_teu.*required"),
        ("time_value_pct_per_day", "nan", "tea.*time_value_pct_per_day"),
        ("direction", "sideways", "tea.*direction"),
        ("source", "", "tea.*source"),
    ],
)
def test_a_bad_segment_row_is_named(column: str, value: str, match: str) -> None:
    t = pd.read_csv(SOURCES / "segments.csv", dtype=str, keep_default_na=False)
    t.loc[t["segment"] == "tea", column] = value
    with pytest.raises(cr.DataError, match=match):
        read_segments(t)


def test_shares_sum_to_one_and_total_is_the_weighted_mean(net: cr.Network) -> None:
    s = cr.market_shares(net, "Guiyang", "Duisburg")
    assert np.allclose(s.sum(), 1.0)
    w = pd.Series(s.attrs["weights"])
    assert np.allclose(s[list(w.index)].to_numpy() @ w.to_numpy(), s["total"])
    # one physical route, one alternative: corridors whose best routes are the same are
    # merged ("a+b"), and alternatives listed apart have different routes
    table = cr.compare(net, "Guiyang", "Duisburg")
    key = {k: (table.loc[k, "path"], round(float(table.loc[k, "usd"]), 6)) for k in table.index}
    names = [n.split("+") for n in s.index if n != "total"]
    for group in names:
        assert len({key[k] for k in group}) == 1, group
    firsts = [key[g[0]] for g in names]
    assert len(set(firsts)) == len(firsts)
    sub = cr.market_shares(net, "Guiyang", "Duisburg", segments=["tea"])
    assert list(sub.columns) == ["tea", "total"]
    assert np.allclose(sub["tea"], sub["total"])


def test_a_higher_value_of_time_never_lowers_the_faster_corridors_share(
    net: cr.Network,
) -> None:
    seg = load_segments().loc[["tyres"]].reset_index()
    prev = -1.0
    for vot in (0.6, 0.9, 1.3, 1.7, 2.1):
        seg["time_value_pct_per_day"] = str(vot)
        s = cr.market_shares(net, "Guiyang", "Duisburg", segments=seg)
        rail = float(s.loc["china_europe_alashankou", "tyres"])
        assert rail >= prev - 1e-12
        prev = rail


def test_calibration_reproduces_the_published_shares(net: cr.Network) -> None:
    c = shares.calibrate(net)
    assert c.fit["within"].all(), c.fit
    assert c.scale == pytest.approx(shares.DEFAULT_SCALE, rel=0.01)
    for k, v in c.constants.items():
        assert v == pytest.approx(shares.DEFAULT_CONSTANTS[k], rel=0.01)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"segments": ["caviar"]}, "unknown cargo segment"),
        ({"segments": 5}, "segments must be"),
        ({"scale": 0}, "scale"),
        ({"scale": "big"}, "scale"),
        ({"constants": {"china_europe_*": math.inf}}, "constants"),
        ({"samples": 0}, "samples"),
    ],
)
def test_market_shares_bad_arguments(net: cr.Network, kwargs: dict, match: str) -> None:
    with pytest.raises(cr.DataError, match=match):
        cr.market_shares(net, "Guiyang", "Duisburg", **kwargs)


def test_cli_shares_and_compare_reliability() -> None:
    r = runner.invoke(app, ["shares", "Guiyang", "Vientiane"])
    assert r.exit_code == 0, r.output
    assert "china_laos" in r.output
    assert "share of boxes" in r.output
    r = runner.invoke(app, ["shares", "Guiyang", "Vientiane", "-f", "json"])
    assert r.exit_code == 0
    assert '"china_laos"' in r.output
    r = runner.invoke(app, ["shares", "Guiyang", "Vientiane", "--segments", "caviar"])
    assert r.exit_code == 1
    assert "caviar" in r.output
    r = runner.invoke(app, ["compare", "Guiyang", "Duisburg", "--reliability", "--wide"])
    assert r.exit_code == 0, r.output
    assert "p90" in r.output
    assert "on_time" in r.output


def test_plots_have_titles_units_and_sources(net: cr.Network) -> None:
    import matplotlib

    matplotlib.use("Agg")
    t = cr.transit_time(net, "Guiyang", "Singapore", seed=1, samples=2000)
    fig, ax = t.plot()
    texts = " ".join(x.get_text() for x in fig.findobj(matplotlib.text.Text))
    assert "days" in ax.get_xlabel()
    assert "Source" in texts
    assert fig._suptitle is not None
    fig, ax = cr.plot_shares(cr.market_shares(net, "Guiyang", "Singapore"))
    texts = " ".join(x.get_text() for x in fig.findobj(matplotlib.text.Text))
    assert "%" in ax.get_ylabel()
    assert "Source" in texts
    assert ax.get_title()
    with pytest.raises(cr.DataError):
        cr.plot_shares(pd.DataFrame({"x": [1]}))
    with pytest.raises(cr.DataError):
        cr.plot_transit_time("not a distribution")  # type: ignore[arg-type]
    import matplotlib.pyplot as plt

    plt.close("all")
