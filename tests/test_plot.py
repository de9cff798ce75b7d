"""Maps and charts, headless: one line per leg, extents cover the route, folium holds every leg."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd
import matplotlib.pyplot as plt
import pytest

import corridor as cr
from corridor import DataError
from corridor.plot import projection


@pytest.fixture(autouse=True)
def _close_figures() -> None:
    yield
    plt.close("all")


def _inside(ax: plt.Axes, net: cr.Network, hubs: tuple[str, ...], crs: object) -> None:
    pts = gpd.GeoSeries(net.nodes.loc[list(hubs)].geometry, crs=4326).to_crs(crs)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for hub, p in zip(hubs, pts, strict=True):
        assert x0 <= p.x <= x1, hub
        assert y0 <= p.y <= y1, hub


def test_plot_route_one_line_per_leg(net: cr.Network) -> None:
    r = cr.route(net, "Kunming", "Bangkok", modes=["rail"])
    fig, ax = cr.plot_route(r, by="mode")
    n_links = int((r.legs["kind"] == "link").sum())
    assert len(ax.lines) == n_links
    crs = projection(cr.plot.__dict__["_route_bounds"]([r]))
    _inside(ax, net, r.hubs, crs)
    legend_texts = {
        t.get_text()
        for leg in [*ax.artists, ax.get_legend()]
        if leg is not None
        for t in leg.get_texts()
    }
    assert "rail" in legend_texts
    assert fig is ax.figure


def test_plot_route_by_service(net: cr.Network) -> None:
    r = cr.corridor_routes(net, "Guiyang", "Singapore")["land_sea"].route
    assert r is not None
    assert r.services
    fig, ax = cr.plot_route(r)
    texts = {t.get_text() for leg in ax.artists for t in leg.get_texts()}
    names = net.services.loc[list(r.services), "name"]
    for name in names:  # every service ridden is named, with its frequency
        assert any(t.startswith(name[:20]) and "/week)" in t for t in texts), name
    assert "wait for a departure" in texts
    colours = {line.get_color() for line in ax.lines}
    assert len(colours) >= len(r.services)
    with pytest.raises(cr.DataError, match="by='line'"):
        cr.plot_route(r, by="line")
    plt.close(fig)


def test_plot_routes_labels_and_given_axes(net: cr.Network) -> None:
    routes = [cr.route(net, "Guiyang", d) for d in ("Singapore", "Duisburg", "Shenzhen")]
    fig, ax = plt.subplots()
    got_fig, got_ax = cr.plot_routes(routes, labels=["SG", "DU", "SZ"], ax=ax, title="t")
    assert got_ax is ax
    assert got_fig is fig
    assert len(ax.lines) == sum(int((r.legs["kind"] == "link").sum()) for r in routes)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SG", "DU", "SZ"]
    crs = projection(cr.plot.__dict__["_route_bounds"](routes))
    for r in routes:
        _inside(ax, net, r.hubs, crs)
    assert ax.get_title() == "t"


def test_plot_routes_errors(net: cr.Network) -> None:
    r = cr.route(net, "Guiyang", "Singapore")
    with pytest.raises(DataError, match="at least one non-empty route"):
        cr.plot_routes([])
    with pytest.raises(DataError, match=r"labels: 2 given for 1 routes"):
        cr.plot_routes([r], labels=["a", "b"])
    with pytest.raises(DataError, match="colours by 'mode' or 'status'"):
        cr.plot_network(net, by="colour")


@pytest.mark.parametrize("by", ["mode", "status"])
def test_plot_network(net: cr.Network, by: str) -> None:
    _fig, ax = cr.plot_network(net, by=by)
    assert len(ax.collections) >= 3
    assert ax.get_xlim()[1] > ax.get_xlim()[0]


def test_charts(net: cr.Network) -> None:
    df = cr.compare(net, "Guiyang", "Duisburg")
    served = int(((df["status"] == "ok") & (df.index != "best")).sum())
    _, axes = cr.plot_comparison(df)
    assert len(axes) == 3
    assert all(len(ax.patches) == served for ax in axes)
    _, ax = cr.plot_tradeoff(df)
    assert len(ax.collections[0].get_offsets()) == served
    res = cr.sensitivity(net, "Guiyang", "Shenzhen", samples=300, seed=2)
    _fig, axes = cr.plot_sensitivity(res)
    assert len(axes[0].patches) == int(
        ((res.summary["status"] == "ok") & (res.summary.index != "best")).sum()
    )
    with pytest.raises(DataError, match="no corridor with a route"):
        cr.plot_comparison(df[df["status"] != "ok"])


def test_explore_holds_every_leg(net: cr.Network) -> None:
    routes = [
        cr.route(net, "Guiyang", "Singapore"),
        cr.route(net, "Kunming", "Vientiane", modes=["rail"]),
    ]
    m = cr.explore(routes, labels=["a", "b"])
    html = m.get_root().render()
    for r in routes:
        for link in r.legs.loc[r.legs["kind"] == "link", "link"]:
            assert link in html
    assert "LayerControl" in html or "control.layers" in html
    with pytest.raises(DataError, match="explore needs a Route"):
        cr.explore([])
    with pytest.raises(DataError, match=r"labels: 1 given for 2 routes"):
        cr.explore(routes, labels=["a"])


def test_route_html_repr(net: cr.Network) -> None:
    html = cr.route(net, "Guiyang", "Shenzhen")._repr_html_()
    assert "<table" in html
    assert "Guiyang" in html


def test_cli_map(tmp_path: Path) -> None:
    png, page = tmp_path / "r.png", tmp_path / "r.html"
    for target in (png, page):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "corridor",
                "map",
                "Guiyang",
                "Duisburg",
                "--scenario",
                "suez_closed",
                "-o",
                str(target),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:4] == b"\x89PNG"
    html = page.read_text(encoding="utf-8")
    best = cr.corridor_routes(
        cr.load_network(), "Guiyang", "Duisburg", scenario=cr.presets()["suez_closed"]
    )
    rail = best["china_europe_alashankou"].route
    assert rail is not None
    assert all(link in html for link in rail.legs.loc[rail.legs["kind"] == "link", "link"])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "corridor",
            "map",
            "Guiyang",
            "Duisburg",
            "-o",
            str(tmp_path / "r.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "use a .png, .svg, .pdf, .html or .htm file" in done.stderr


def test_import_does_not_load_plotting() -> None:
    code = "import sys, corridor; print('matplotlib' in sys.modules, 'folium' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
