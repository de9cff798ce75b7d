"""Faults survived, bad sweep arguments named.

- ``sweep``: every argument checked at the boundary, the error naming it.
- Numba's ``workqueue`` threading layer aborts the process when two threads launch parallel
  kernels at once: calls into them are serialised (in a subprocess with the layer forced).
- A Dask sweep survives the loss of workers: the only one (restarted by its nanny), both of
  two, and a worker with several threads under ``workqueue`` does not die.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor import DataError, Scenario, _config, _kernels

try:
    import cloudpickle
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin

    HAVE_DASK = True
except ImportError:  # the Dask tests skip; the rest run
    WorkerPlugin = object
    HAVE_DASK = False

needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="needs dask.distributed")

PAIRS = [("Guiyang", "Duisburg"), ("Guiyang", "Singapore"), ("Chongqing", "Hamburg"),
         ("Kunming", "Bangkok")]  # fmt: skip


def _call(net: cr.Network, **kwargs: Any) -> pd.DataFrame:
    args: dict[str, Any] = {"net": net, "scenarios": [Scenario("b")], "pairs": PAIRS[:1]}
    args.update(kwargs)
    return cr.sweep(args.pop("net"), args.pop("scenarios"), args.pop("pairs"), **args)


# ---------------------------------------------------------------- sweep arguments


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"net": "network"}, r"net must be a corridor\.Network .*got str 'network'"),
        ({"scenarios": 42}, r"scenarios must be a list of Scenario objects, got int 42"),
        ({"scenarios": "suez_closed"}, r"scenarios must be a list of Scenario objects, got str"),
        ({"scenarios": None}, r"scenarios must be a list of Scenario objects, got NoneType"),
        ({"scenarios": {"a": Scenario("a")}}, r"scenarios .*a mapping: pass its values"),
        ({"scenarios": [Scenario("a"), 3]}, r"scenarios\[1\] must be a Scenario, got int 3"),
        ({"pairs": 42}, r"pairs must be a list of \(origin, destination\).*got int 42"),
        ({"pairs": None}, r"pairs must be a list of .*got NoneType"),
        ({"pairs": {"Guiyang": "Hanoi"}}, r"pairs must be a list of .*got dict"),
        ({"pairs": ["GH"]}, r"pairs\[0\]: expected \(origin, destination\), got 'GH'"),
        ({"pairs": [5]}, r"pairs\[0\]: expected \(origin, destination\), got 5"),
        ({"pairs": [("Guiyang", None)]}, r"pairs\[0\] destination is empty"),
        ({"pairs": [("Guiyang", "Hanoi"), (" ", "Hanoi")]}, r"pairs\[1\] origin is blank"),
        (
            {"pairs": [(7, "Hanoi")]},
            r"pairs\[0\] origin must be a hub name \(a string\), got int 7",
        ),
        ({"pairs": "everything"}, r"pairs must be a list of .*got 'everything'"),
        (
            {
                "pairs": pd.DataFrame({"origin": ["Guiyang"], "destination": ["Hanoi"]}).rename(
                    columns={"destination": "origin"}
                )
            },
            r"pairs: the table lacks column\(s\) destination",
        ),
        ({"by": "fastest"}, r"by='fastest' is not a criterion; use one of usd, hours, km, co2"),
        ({"by": None}, r"by=None is not a criterion"),
        ({"by": ["hours"]}, r"by=\['hours'\] is not a criterion"),
        ({"chunk": 2.5}, r"chunk must be a positive integer, got 2\.5"),
        ({"chunk": "2"}, r"chunk must be a positive integer, got '2'"),
        ({"chunk": True}, r"chunk must be a positive integer, got True"),
        ({"chunk": -1}, r"chunk must be a positive integer, got -1"),
        ({"corridors": 5}, r"corridors must be a corridor id or a list of them, got int 5"),
        ({"corridors": ["road", 1]}, r"corridors\[1\] must be a corridor id \(a string\)"),
        ({"corridors": "silk"}, r"corridors: unknown corridor 'silk'"),
        ({"corridors": ["road", "road"]}, r"corridors: each may be given once; repeated: road"),
        ({"costs": {"carbon_price_usd_per_t": 80}}, r"costs must be a CostModel, got dict"),
        ({"costs": "default"}, r"costs must be a CostModel, got str 'default'"),
        ({"progress": "yes"}, r"progress must be True or False, got 'yes'"),
        ({"client": ""}, r"client: the scheduler address is empty"),
    ],
)
def test_bad_sweep_argument_is_named(net: cr.Network, kwargs: dict[str, Any], pattern: str) -> None:
    if kwargs.get("net") is None:
        kwargs = {"net": net, **kwargs}
    with pytest.raises(DataError, match=pattern):
        _call(**kwargs)


@needs_dask
@pytest.mark.parametrize(
    ("client", "pattern"),
    [
        (42, r"client must be a dask\.distributed\.Client or a scheduler address, got int 42"),
        ({"address": "tcp://x:1"}, r"client must be a dask\.distributed\.Client .*got dict"),
        ("no address", r"client 'no address': cannot connect within 10 s"),
    ],
)
def test_bad_client_is_named(net: cr.Network, client: object, pattern: str) -> None:
    with pytest.raises(DataError, match=pattern):
        _call(net, client=client)


def test_empty_cell_in_a_pairs_table_names_row_and_column(net: cr.Network) -> None:
    import io

    table = pd.read_csv(
        io.StringIO("origin,destination\nGuiyang,Hanoi\nGuiyang,\n,Hanoi\n"), dtype=str
    )
    with pytest.raises(
        DataError, match=r"^pairs: row 1, column 'destination' is empty \(and 1 more"
    ) as err:
        _call(net, pairs=table)
    assert "nan" not in str(err.value)
    labelled = pd.DataFrame({"origin": ["Guiyang", 3]}, index=["a", "b"]).assign(
        destination="Hanoi"
    )
    with pytest.raises(
        DataError, match=r"^pairs: row 'b', column 'origin' must be a hub name \(a string\)"
    ):
        _call(net, pairs=labelled)


def test_one_string_is_one_corridor_and_one_scenario_is_one(net: cr.Network) -> None:
    df = _call(
        net, scenarios=Scenario("b"), pairs=[("Guiyang", "Vientiane")], corridors="china_laos"
    )
    assert list(df["corridor"].cat.categories) == ["", "china_laos"]
    assert df.loc[0, "corridor"] == "china_laos"
    assert list(df["scenario"].astype(str)) == ["b"]


def test_echoed_values_are_cut_short(net: cr.Network) -> None:
    huge = "x" * 1_000_000
    for kwargs in ({"by": huge}, {"pairs": huge}, {"corridors": [huge]}):
        with pytest.raises(DataError) as err:
            _call(net, **kwargs)
        assert len(str(err.value)) < 400
    with pytest.raises(DataError, match="repeated: " + "x" * 79 + "…$") as dup:
        _call(net, scenarios=[Scenario(huge), Scenario(huge)])
    assert len(str(dup.value)) < 200


# ---------------------------------------------------------------- threads under workqueue

THREADS_SCRIPT = textwrap.dedent(
    """
    import threading
    import numba
    import numpy as np
    import scipy.sparse.csgraph as scs
    import corridor as cr
    from corridor import _config, csgraph

    net = cr.load_network()
    rng = np.random.default_rng(0)
    g = rng.random((200, 200))
    g[g < 0.95] = 0
    want = scs.dijkstra(g)
    origins, dests = ["Guiyang", "Chongqing", "Kunming"], ["Singapore", "Duisburg", "Hanoi"]
    start = threading.Barrier(4)
    got, errors = [], []

    def work():
        try:
            start.wait()  # all at once, before any kernel has told which layer runs
            for _ in range(3):
                np.testing.assert_allclose(csgraph.dijkstra(g), want)
                m = cr.route_matrix(net, origins, dests, by="hours")
                s = cr.sweep(net, [cr.Scenario("b")], [("Guiyang", "Duisburg")])
                got.append((m, s))
        except BaseException as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert numba.threading_layer() == "workqueue", numba.threading_layer()
    assert _config.parallel_is_serialised()
    m0 = cr.route_matrix(net, origins, dests, by="hours")
    s0 = cr.sweep(net, [cr.Scenario("b")], [("Guiyang", "Duisburg")])
    assert len(got) == 12
    for m, s in got:
        assert m.equals(m0) and s.equals(s0)
    print("ok", len(got))
    """
)


def test_parallel_kernels_from_threads_under_workqueue(tmp_path: Path) -> None:
    script = tmp_path / "threads.py"
    script.write_text(THREADS_SCRIPT, encoding="utf-8")
    env = {**os.environ, "NUMBA_THREADING_LAYER": "workqueue", "NUMBA_NUM_THREADS": "2"}
    env.pop("NUMBA_DISABLE_JIT", None)
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]  # -6: SIGABRT, the fault
    assert done.stdout.strip() == "ok 12"


def test_parallel_kernels_lock_only_when_needed() -> None:
    d = np.full(3, np.inf)
    _kernels.many_to_all(
        np.array([0, 1, 1, 1], dtype=np.int32), np.array([1], dtype=np.int32),
        np.array([2.0]), np.array([0], dtype=np.int64), np.inf, False, 1, d[None, :],
        np.empty((0, 0), dtype=np.int32),
    )  # fmt: skip
    assert list(d[:2]) == [0.0, 2.0]
    if os.environ.get("NUMBA_DISABLE_JIT") == "1":
        assert not _config.parallel_is_serialised()
        return
    import numba

    assert _kernels.many_to_all.kernel.py_func is _kernels.many_to_all.__wrapped__  # type: ignore[attr-defined]
    layer = numba.threading_layer()
    assert _config.parallel_is_serialised() == (layer not in _config.THREAD_SAFE_LAYERS)


# ---------------------------------------------------------------- Dask: lost workers


class KillOnce(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Kill the worker process (``os._exit``: no cleanup, as in a crash) as it starts its
    first sweep task; once per worker name, which a nanny's restart keeps, so a restarted
    worker then works."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.worker_name = ""

    def setup(self, worker: Any) -> None:
        self.worker_name = str(worker.name)

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        name = key[0] if isinstance(key, tuple) else key
        if finish != "executing" or not str(name).startswith("corridor-sweep-"):
            return
        flag = os.path.join(self.folder, f"killed-{self.worker_name}")
        try:
            os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os._exit(1)


def _scenarios() -> list[Scenario]:
    return [Scenario("baseline"), *cr.presets().values()]


def _killed_sweep(net: cr.Network, tmp_path: Path, n_workers: int) -> None:
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import us
    scenarios = _scenarios()
    local = cr.sweep(net, scenarios, PAIRS)
    with (
        LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as lc,
        Client(lc, set_as_default=False) as client,  # as the CLI makes it: not the default
    ):
        client.register_plugin(KillOnce(str(tmp_path)))
        before = set(client.run(os.getpid).values())
        remote = cr.sweep(net, scenarios, PAIRS, client=client, chunk=1)
        killed = sorted(p.name for p in tmp_path.glob("killed-*"))
        assert killed == [f"killed-{i}" for i in range(n_workers)]  # each worker died once
        client.wait_for_workers(n_workers, timeout=60)
        assert not before & set(client.run(os.getpid).values())  # all replaced by nannies
    pd.testing.assert_frame_equal(local, remote)
    assert (remote["status"] == "ok").all()
    with pytest.raises(DataError, match="client is closed"):
        cr.sweep(net, scenarios, PAIRS, client=client)


@needs_dask
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_sweep_survives_losing_its_only_worker(net: cr.Network, tmp_path: Path) -> None:
    _killed_sweep(net, tmp_path, 1)


@needs_dask
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_sweep_survives_losing_both_workers(net: cr.Network, tmp_path: Path) -> None:
    _killed_sweep(net, tmp_path, 2)


@needs_dask
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_worker_with_threads_under_workqueue_does_not_die(net: cr.Network) -> None:
    scenarios = [
        Scenario("baseline"),
        *(Scenario(f"rail {i}", tariffs={"rail": 0.2 + i / 100}) for i in range(7)),
    ]
    local = cr.sweep(net, scenarios, PAIRS)
    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=4,
            processes=True,
            dashboard_address=None,
            env={"NUMBA_THREADING_LAYER": "workqueue", "NUMBA_NUM_THREADS": "2"},
        ) as lc,
        Client(lc) as client,
    ):
        pid = client.run(os.getpid)
        remote = cr.sweep(net, scenarios, PAIRS, client=client, chunk=1)
        assert client.run(os.getpid) == pid  # the same worker: none aborted

        def layer() -> str:
            import numba

            return str(numba.threading_layer())

        assert set(client.run(layer).values()) == {"workqueue"}
    pd.testing.assert_frame_equal(local, remote)


class KillAlways(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Kill the worker every time it starts the first sweep task: a poison task."""

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        name = str(key[0] if isinstance(key, tuple) else key)
        if finish == "executing" and name.startswith("corridor-sweep-") and name.endswith("-0"):
            os._exit(1)


@needs_dask
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_task_that_kills_its_workers_fails_alone(net: cr.Network) -> None:
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    scenarios = _scenarios()
    local = cr.sweep(net, scenarios, PAIRS)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as lc,
        Client(lc) as client,
    ):
        client.register_plugin(KillAlways())
        remote = cr.sweep(net, scenarios, PAIRS, client=client, chunk=1)
    failed = remote["status"] == "failed"
    first = remote["scenario"] == scenarios[0].name
    assert failed[first].all()
    assert remote.loc[failed, "error"].str.contains("KilledWorker").all()
    assert (
        remote.loc[first, "error"].str.startswith("Scenario 'baseline': its Dask task died").all()
    )
    assert (~failed).sum() >= len(remote) - 2 * len(PAIRS)  # at most the task queued with it
    ok = remote[~failed].reset_index(drop=True)
    want = local[~failed.to_numpy()].reset_index(drop=True)
    # the error column is categorical: the remote one also lists the failed rows' messages
    pd.testing.assert_frame_equal(ok, want, check_categorical=False)
