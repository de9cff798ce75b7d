"""Scenario sweeps: local against the routing API, Dask against local, failures contained."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor import DataError, Scenario

PAIRS = [("Guiyang", "Duisburg"), ("Guiyang", "Singapore"), ("Guiyang", "Shenzhen"), ("Chongqing", "Hamburg"),
         ("Kunming", "Bangkok"), ("Guiyang", "Guiyang")]  # fmt: skip


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categories as plain strings, rows renumbered: for comparing subsets."""
    out = df.reset_index(drop=True).copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
    return out


def _scenarios() -> list[Scenario]:
    return [
        Scenario("baseline"),
        *cr.presets().values(),
        Scenario("no Alashankou", close=["Alashankou"]),
    ]


def test_local_sweep_matches_route(net: cr.Network) -> None:
    scenarios = _scenarios()
    df = cr.sweep(net, scenarios, PAIRS)
    assert len(df) == len(scenarios) * len(PAIRS)
    assert list(df["scenario"].cat.categories) == [s.name for s in scenarios]
    for s in scenarios:
        part = df[df["scenario"] == s.name]
        for (o, d), (_, row) in zip(PAIRS, part.iterrows(), strict=True):
            assert row["status"] == "ok"
            if o == d:  # a pair given explicitly from a hub to itself costs nothing
                assert row[["usd", "hours", "km", "co2_kg", "generalized"]].eq(0).all()
                continue
            r = cr.route(net, o, d, scenario=s)
            assert row["usd"] == pytest.approx(r.total_usd)
            assert row["hours"] == pytest.approx(r.total_hours)
            assert row["km"] == pytest.approx(r.total_km)
            assert row["co2_kg"] == pytest.approx(r.total_co2_kg)
            assert row["generalized"] == pytest.approx(r.total_generalized)
    base = df[df["scenario"] == "baseline"].set_index("destination")
    assert base.loc["duisburg", "corridor"] == "china_europe_alashankou"
    assert base.loc["bangkok", "corridor"] in {"road", "china_laos"}
    assert base.loc["guiyang", "corridor"] == ""
    no_ala = df[df["scenario"] == "no Alashankou"].set_index("destination")
    assert no_ala.loc["duisburg", "corridor"] == "china_europe_horgos"


def test_reweighted_scenarios_match_route(net: cr.Network) -> None:
    """Scenarios that share a compiled graph and differ in mode tariffs, border hours (at
    border hubs, at the Three Gorges locks, shorter and longer than the data's) and carbon
    price give, pair by pair, what route() gives when it compiles each one."""
    rng = np.random.default_rng(7)
    scenarios = []
    for i in range(12):
        border = {
            "Mohan": float(rng.uniform(0, 60)),
            "Three Gorges locks": float(rng.uniform(0, 300)),
            "Dostyk": float(rng.uniform(0, 80)),
            "Brest": float(rng.uniform(0, 10)),
        }
        scenarios.append(
            Scenario(
                f"r{i}",
                tariffs={"rail": float(rng.uniform(0.1, 0.6)), "sea": float(rng.uniform(0.02, 0.1)),
                         "road": float(rng.uniform(0.3, 1.2))},
                border_hours=dict(list(border.items())[: 1 + i % 4]),
                carbon_price_usd_per_t=float(rng.uniform(0, 300)),
                close=["Suez Canal"] if i % 3 == 0 else [],
            )
        )  # fmt: skip
    pairs = [*PAIRS[:5], ("Chongqing Port", "Shanghai"), ("Kunming", "Vientiane")]
    df = cr.sweep(net, scenarios, pairs)
    for s in scenarios:
        part = df[df["scenario"] == s.name]
        for (o, d), (_, row) in zip(pairs, part.iterrows(), strict=True):
            r = cr.route(net, o, d, scenario=s)
            assert row["generalized"] == pytest.approx(r.total_generalized, rel=1e-9), (s, o, d)
            assert row["usd"] == pytest.approx(r.total_usd, rel=1e-9)
            assert row["hours"] == pytest.approx(r.total_hours, rel=1e-9)
            assert row["co2_kg"] == pytest.approx(r.total_co2_kg, rel=1e-9)


def test_corridor_labels_agree_with_compare(net: cr.Network) -> None:
    df = cr.sweep(net, [Scenario("baseline")], "all").query(
        "origin == 'guiyang' and status == 'ok'"
    )
    for dest in ("duisburg", "yantian", "hanoi"):
        label = df.set_index("destination").loc[dest, "corridor"]
        if label:
            table = cr.compare(net, "guiyang", dest, corridors=[label])
            assert table.loc[label, "generalized"] == pytest.approx(
                table.loc["best", "generalized"]
            )


def test_a_bad_scenario_fails_alone(net: cr.Network) -> None:
    bad = Scenario("typo", close=["Suez Canel"])
    df = cr.sweep(net, [Scenario("baseline"), bad, cr.presets()["suez_closed"]], PAIRS[:3])
    failed = df[df["scenario"] == "typo"]
    assert (failed["status"] == "failed").all()
    assert (
        failed["error"].str.contains("Scenario 'typo': nothing named 'Suez Canel' to close").all()
    )
    assert failed["usd"].isna().all()
    rest = df[df["scenario"] != "typo"]
    assert (rest["status"] == "ok").all()
    assert len(rest) == 6


def test_closed_endpoint_and_unreachable(net: cr.Network) -> None:
    df = cr.sweep(
        net,
        [Scenario("no Singapore", close=["Singapore"])],
        [("Guiyang", "Singapore"), ("Guiyang", "Duisburg")],
    )
    first, second = df.iloc[0], df.iloc[1]
    assert first["status"] == "no route"
    assert "closes this origin or destination" in first["error"]
    assert np.isnan(first["usd"])
    assert second["status"] == "ok"


def test_pairs_forms(net: cr.Network) -> None:
    frame = pd.DataFrame({"origin": ["Guiyang"], "destination": ["Hanoi"]})
    assert len(cr.sweep(net, [Scenario("b")], frame)) == 1
    n = int((net.nodes["kind"] != "waypoint").sum())  # sea passages and locks are no ends
    df = cr.sweep(net, [Scenario("b")], "all")
    assert len(df) == n * (n - 1)
    assert not (df["origin"] == df["destination"]).any()


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"scenarios": []}, "scenarios: none given"),
        ({"scenarios": ["suez_closed"]}, r"scenarios\[0\] must be a Scenario, got str"),
        (
            {"scenarios": [Scenario("a"), Scenario("a")]},
            "scenario names must be unique; repeated: a",
        ),
        ({"pairs": []}, "pairs: no origin-destination pair given"),
        ({"pairs": "everything"}, "pairs must be a list of"),
        (
            {"pairs": pd.DataFrame({"from": ["x"]})},
            r"pairs: the table lacks column\(s\) destination, origin",
        ),
        ({"pairs": [("Guiyang",)]}, r"pairs\[0\]: expected \(origin, destination\)"),
        ({"chunk": 0}, "chunk must be a positive integer"),
        ({"corridors": ["silk"]}, "unknown corridor 'silk'"),
    ],
)
def test_bad_arguments(net: cr.Network, kwargs: dict[str, object], pattern: str) -> None:
    args: dict[str, object] = {"scenarios": [Scenario("b")], "pairs": PAIRS[:1]}
    args.update(kwargs)
    with pytest.raises(DataError, match=pattern):
        cr.sweep(net, args.pop("scenarios"), args.pop("pairs"), **args)  # type: ignore[arg-type]


def test_unknown_hub_in_pairs(net: cr.Network) -> None:
    with pytest.raises(cr.NodeNotFound, match="did you mean 'Guiyang'"):
        cr.sweep(net, [Scenario("b")], [("Guiyng", "Hanoi")])


def test_import_does_not_load_dask() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import sys, corridor; print('dask' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"


# ---------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as lc,
        distributed.Client(lc) as client,
    ):
        yield lc, client


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_distributed_equals_local(net: cr.Network, cluster) -> None:  # type: ignore[no-untyped-def]
    _, client = cluster
    scenarios = _scenarios()
    local = cr.sweep(net, scenarios, PAIRS)
    remote = cr.sweep(net, scenarios, PAIRS, client=client, chunk=2)
    pd.testing.assert_frame_equal(local, remote)
    by_address = cr.sweep(net, scenarios[:2], PAIRS, client=client.scheduler.address)
    first_two = local[local["scenario"].isin([s.name for s in scenarios[:2]])]
    pd.testing.assert_frame_equal(_plain(first_two), _plain(by_address))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_lost_worker_loses_nothing(net: cr.Network, cluster) -> None:  # type: ignore[no-untyped-def]
    _, client = cluster
    scenarios = [
        Scenario("baseline"),
        *(Scenario(f"rail {i}", tariffs={"rail": 0.2 + i / 1000}) for i in range(200)),
    ]
    result: dict[str, pd.DataFrame] = {}

    def run() -> None:
        result["df"] = cr.sweep(net, scenarios, "all", client=client, chunk=1)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(client.processing().values()):
        time.sleep(0.05)
    time.sleep(0.1)
    pids = client.run(os.getpid)
    victim = next(iter(pids))
    assert worker.is_alive()  # the sweep is still running: the worker dies mid-sweep
    os.kill(pids[victim], signal.SIGKILL)  # a crash, not a clean shutdown
    worker.join(timeout=300)
    assert not worker.is_alive()
    assert victim not in client.scheduler_info()["workers"]  # it really was lost
    df = result["df"]
    n = int((net.nodes["kind"] != "waypoint").sum())
    assert len(df) == len(scenarios) * n * (n - 1)
    assert (df["status"] != "failed").all()
    local = cr.sweep(net, scenarios[:3], "all")
    pd.testing.assert_frame_equal(
        _plain(df[df["scenario"].isin([s.name for s in scenarios[:3]])]), _plain(local)
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_cli_sweep(tmp_path: Path, cluster) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess
    import sys

    _, client = cluster
    scen = tmp_path / "s.json"
    scen.write_text(
        json.dumps(
            [
                {"name": "baseline"},
                {"name": "typo", "close": ["Suez Canel"]},
                {"name": "Suez closed", "close": ["Suez Canal"]},
            ]
        ),
        encoding="utf-8",
    )
    pairs = tmp_path / "p.csv"
    pairs.write_text("origin,destination\nGuiyang,Duisburg\nGuiyang,Singapore\n", encoding="utf-8")
    out = tmp_path / "r.parquet"
    for extra in ([], ["--scheduler", client.scheduler.address]):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "corridor",
                "sweep",
                "--scenarios",
                str(scen),
                "--pairs",
                str(pairs),
                "-o",
                str(out),
                *extra,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "warning: Scenario 'typo': nothing named 'Suez Canel'" in done.stderr
        df = pd.read_parquet(out)
        assert len(df) == 6
        assert set(df.loc[df["scenario"] == "typo", "status"]) == {"failed"}
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "corridor",
            "sweep",
            "--scenarios",
            "presets",
            "--pairs",
            str(pairs),
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "use a .parquet or .csv file" in bad.stderr
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "corridor",
            "sweep",
            "--scenarios",
            "presets",
            "--pairs",
            str(tmp_path / "none.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert "none.csv: file not found" in missing.stderr
