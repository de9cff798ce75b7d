"""Scenario sweeps: every scenario x every origin-destination pair, locally or on Dask.

Locally, each scenario is compiled and all its pairs are searched at once by the parallel
Numba many-to-many kernel. With a ``dask.distributed`` client (or a scheduler address) the
network is scattered to every worker once, scenarios are split into tasks, and Dask retries
a task whose worker is lost. A scenario that cannot be compiled (a misspelt hub, say) fails
alone: its rows say why, and every other scenario completes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor import _kernels
from corridor._compile import CompiledGraph, compile_graph, effective_costs
from corridor._errors import CorridorError, DataError
from corridor.compare import _steps, modes_mask
from corridor.corridors import Corridor, load_corridors, select
from corridor.costs import CRITERIA, CostModel, Criterion
from corridor.csgraph import n_chunks
from corridor.network import Network
from corridor.routing import _check_by
from corridor.scenario import Scenario

__all__ = ["sweep"]

COLUMNS = ["scenario", "origin", "destination", "status", "usd", "hours", "days", "km", "co2_kg",
           "generalized", "corridor", "error"]  # fmt: skip


def _pairs(
    net: Network, pairs: Any
) -> tuple[list[str], list[str], NDArray[np.int64], NDArray[np.int64]]:
    """Unique origins and destinations (hub ids) and, per pair, their positions."""
    if isinstance(pairs, str):
        if pairs != "all":
            raise DataError(
                "pairs must be a list of (origin, destination), a DataFrame or 'all', "
                f"got {pairs!r}"
            )
        hubs = list(net._nodes.index)
        items = [(a, b) for a in hubs for b in hubs]
    elif isinstance(pairs, pd.DataFrame):
        missing = {"origin", "destination"} - set(pairs.columns)
        if missing:
            raise DataError(f"pairs: the table lacks column(s) {', '.join(sorted(missing))}")
        items = list(zip(pairs["origin"], pairs["destination"], strict=True))
    else:
        items = [tuple(p) for p in pairs]
    if not items:
        raise DataError("pairs: no origin-destination pair given")
    origins: dict[str, int] = {}
    dests: dict[str, int] = {}
    oi, di = [], []
    for i, item in enumerate(items):
        if len(item) != 2:
            raise DataError(f"pairs[{i}]: expected (origin, destination), got {item!r}")
        o, d = net.hub_id(str(item[0])), net.hub_id(str(item[1]))
        oi.append(origins.setdefault(o, len(origins)))
        di.append(dests.setdefault(d, len(dests)))
    return list(origins), list(dests), np.array(oi, dtype=np.int64), np.array(di, dtype=np.int64)


def corridor_bits(
    g: CompiledGraph, corridors: Sequence[Corridor]
) -> tuple[NDArray[np.uint64], NDArray[np.uint64], NDArray[np.uint64]]:
    """Bitmasks of up to 64 corridors for :func:`_kernels.sweep_pairs`: per arc, the
    corridors that may use it (bit per corridor) and the gateway steps it meets (bit per
    step), and per corridor the bits of its steps."""
    if len(corridors) > 64:
        raise DataError(f"at most 64 corridors can label a sweep, got {len(corridors)}")
    m = g.indices.size
    arc = np.zeros(m, dtype=np.uint64)
    gate = np.zeros(m, dtype=np.uint64)
    step_masks = np.zeros(len(corridors), dtype=np.uint64)
    n_bits = 0
    for i, c in enumerate(corridors):
        arc[modes_mask(g, c.modes)] |= np.uint64(1) << np.uint64(i)
        steps = _steps(g, c)
        if isinstance(steps, int):  # a step no arc meets: the corridor labels nothing
            arc[:] &= ~(np.uint64(1) << np.uint64(i))
            continue
        for cand in steps:
            if n_bits == 64:
                raise DataError("at most 64 gateway steps in all can label a sweep")
            bit = np.uint64(1) << np.uint64(n_bits)
            gate[cand] |= bit
            step_masks[i] |= bit
            n_bits += 1
    return arc, gate, step_masks


STATUS = ["ok", "no route", "failed"]


@dataclass(frozen=True)
class _Plan:
    """What every sweep task needs besides the network and its scenarios."""

    origins: list[str]
    dests: list[str]
    oi: NDArray[np.int64]
    di: NDArray[np.int64]
    by: Criterion
    corridor_ids: list[str] | None
    costs: CostModel | None
    names: list[str]


def _run(net: Network, scenarios: Sequence[Scenario], plan: _Plan) -> pd.DataFrame:
    """Sweep some scenarios (a Dask task, or a slice of the local run)."""
    origins, dests, oi, di, by = plan.origins, plan.dests, plan.oi, plan.di, plan.by
    corridor_ids, costs, all_names = plan.corridor_ids, plan.costs, plan.names
    chosen = select(list(corridor_ids) if corridor_ids is not None else None, load_corridors())
    corridor_cats = ["", *(c.id for c in chosen)]
    frames = []
    base = costs if costs is not None else CostModel()
    n_pairs = oi.size
    same = np.asarray(origins, dtype=object)[oi] == np.asarray(dests, dtype=object)[di]
    for s in scenarios:
        vals = np.full((n_pairs, len(CRITERIA)), np.nan)
        status = np.full(n_pairs, STATUS.index("failed"), dtype=np.int8)
        labels = np.full(n_pairs, -1, dtype=np.int32)
        error = np.full(n_pairs, "", dtype=object)
        try:
            g = compile_graph(net, effective_costs(base, s), s)
            src = np.array([g.source(g.hub_index[o]) for o in origins], dtype=np.int64)
            dst = np.array([g.sink(g.hub_index[d]) for d in dests], dtype=np.int64)
            out = np.full((src.size, dst.size, len(CRITERIA)), np.inf)
            lab = np.full((src.size, dst.size), -1, dtype=np.int32)
            arc, gate, step_masks = corridor_bits(g, chosen)
            w = g.weights(by)
            _kernels.sweep_pairs(
                g.indptr, g.indices, w, g.tail, g.criteria, src, dst, arc, gate, step_masks,
                n_chunks(src.size), out, lab,
            )  # fmt: skip
            vals = out[oi, di]
            labels = lab[oi, di]
            vals[same] = 0.0
            labels[same] = -1  # a hub to itself uses no corridor
            ok = np.isfinite(vals[:, 0])
            vals[~ok] = np.nan
            status = np.where(ok, STATUS.index("ok"), STATUS.index("no route")).astype(np.int8)
            closed = sorted((set(origins) | set(dests)) & set(g.closure.hubs))
            if closed:
                hit = np.isin(np.asarray(origins, dtype=object)[oi], closed)
                hit |= np.isin(np.asarray(dests, dtype=object)[di], closed)
                error[hit] = "the scenario closes this origin or destination"
        except CorridorError as exc:
            msg = str(exc) if s.name in str(exc) else f"Scenario {s.name!r}: {exc}"
            error[:] = msg
        frames.append(
            pd.DataFrame(
                {
                    "scenario": pd.Categorical.from_codes(  # type: ignore[call-overload]
                        np.full(n_pairs, list(all_names).index(s.name)), categories=list(all_names)
                    ),
                    "origin": pd.Categorical.from_codes(  # type: ignore[call-overload]
                        oi, categories=list(origins)
                    ),
                    "destination": pd.Categorical.from_codes(  # type: ignore[call-overload]
                        di, categories=list(dests)
                    ),
                    "status": pd.Categorical.from_codes(  # type: ignore[call-overload]
                        status, categories=STATUS
                    ),
                    "usd": vals[:, 0],
                    "hours": vals[:, 1],
                    "days": vals[:, 1] / 24.0,
                    "km": vals[:, 2],
                    "co2_kg": vals[:, 3],
                    "generalized": vals[:, 4],
                    "corridor": pd.Categorical.from_codes(  # type: ignore[call-overload]
                        labels + 1, categories=corridor_cats
                    ),
                    "error": error,
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def sweep(
    net: Network,
    scenarios: Iterable[Scenario],
    pairs: Sequence[tuple[str, str]] | pd.DataFrame | str,
    *,
    by: Criterion = "generalized",
    client: Any = None,
    chunk: int | None = None,
    corridors: Sequence[str] | None = None,
    costs: CostModel | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Best route of every origin-destination pair under every scenario.

    Parameters
    ----------
    scenarios : iterable of Scenario
        ``Scenario("baseline")`` (no changes) gives the baseline rows.
    pairs : list of (origin, destination), DataFrame with those columns, or ``"all"``
    client : dask.distributed.Client or str, optional
        Run on this cluster (or connect to this scheduler address); locally if omitted.
    chunk : int, optional
        Scenarios per Dask task (default: about four tasks per worker thread).
    corridors : list of corridor ids, optional
        Which corridors label the routes (``corridor`` column: the first, in this order,
        whose links and gateways the route keeps to; empty if none).

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, origin, destination), in that order: ``status`` (``ok``,
        ``no route`` or ``failed``), ``usd``, ``hours``, ``days``, ``km``, ``co2_kg``,
        ``generalized``, ``corridor``, and ``error`` (why a scenario failed).

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> df = cr.sweep(net, [cr.Scenario("baseline"), cr.presets()["suez_closed"]],
    ...               [("Guiyang", "Duisburg"), ("Guiyang", "Shenzhen")])
    >>> df[["scenario", "destination", "corridor"]].astype(str).values.tolist()[:2]
    [['baseline', 'duisburg', 'china_europe_alashankou'], ['baseline', 'yantian', 'road']]
    """
    by = _check_by(by)
    items = list(scenarios)
    if not items:
        raise DataError("scenarios: none given")
    for i, s in enumerate(items):
        if not isinstance(s, Scenario):
            raise DataError(f"scenarios[{i}] must be a Scenario, got {type(s).__name__}")
    names = [s.name for s in items]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise DataError(f"scenario names must be unique; repeated: {', '.join(dup)}")
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise DataError(f"chunk must be a positive integer, got {chunk!r}")
    origins, dests, oi, di = _pairs(net, pairs)
    corridor_ids = (
        None if corridors is None else [c.id for c in select(list(corridors), load_corridors())]
    )
    plan = _Plan(origins, dests, oi, di, by, corridor_ids, costs, names)
    from tqdm.auto import tqdm

    disable = (
        (not progress)
        if progress is not None
        else None
        if len(items) * oi.size >= 200_000
        else True
    )
    if client is None:
        step = chunk or max(1, math.ceil(len(items) / 50))
        parts = []
        with tqdm(
            total=len(items), unit="scenario", desc="sweep", disable=disable, leave=False
        ) as bar:
            for start in range(0, len(items), step):
                part = items[start : start + step]
                parts.append(_run(net, part, plan))
                bar.update(len(part))
        return pd.concat(parts, ignore_index=True)
    return _distributed(net, items, plan, client, chunk, disable)


def _distributed(
    net: Network,
    items: list[Scenario],
    plan: _Plan,
    client: Any,
    chunk: int | None,
    disable: bool | None,
) -> pd.DataFrame:
    try:
        from dask.distributed import Client, as_completed
    except ImportError:
        raise DataError("a distributed sweep needs Dask: pip install 'corridor[dask]'") from None
    from tqdm.auto import tqdm

    own = isinstance(client, str)
    cl = Client(client) if own else client  # type: ignore[no-untyped-call]
    try:
        threads = max(1, sum(cl.nthreads().values()))
        step = chunk or max(1, math.ceil(len(items) / (4 * threads)))
        net_f = cl.scatter(net, broadcast=True)
        futures = {}
        for i, start in enumerate(range(0, len(items), step)):
            part = items[start : start + step]
            fut = cl.submit(_run, net_f, part, plan, retries=3, pure=False)
            futures[fut] = (i, len(part))
        results: dict[int, pd.DataFrame] = {}
        with tqdm(
            total=len(items), unit="scenario", desc="sweep", disable=disable, leave=False
        ) as bar:
            for fut in as_completed(list(futures)):  # type: ignore[no-untyped-call]
                i, n = futures[fut]
                results[i] = fut.result()
                bar.update(n)
        return pd.concat([results[i] for i in sorted(results)], ignore_index=True)
    finally:
        if own:
            cl.close()
