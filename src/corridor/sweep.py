"""Scenario sweeps: every scenario x every origin-destination pair, locally or on Dask.

Locally, each scenario is compiled and all its pairs are searched at once by the parallel
Numba many-to-many kernel. With a ``dask.distributed`` client (or a scheduler address) the
network is sent once, as a task of its own, and scenarios are split into tasks that depend
on it. Unlike scattered data, a task's result can be rebuilt: when a worker dies (even the
last one, restarted by its nanny) the scheduler recomputes the network where it is needed
and reruns the scenarios the worker held, so the sweep still returns every row. A scenario
that cannot be compiled (a misspelt hub, say) fails alone: its rows say why, and every
other scenario completes; so do the scenarios of a task that keeps killing its workers
(Dask's ``KilledWorker``).
"""

from __future__ import annotations

import math
import numbers
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pandas.api.types import union_categoricals

from corridor import _kernels
from corridor._checks import check_bool, check_network, check_number, shown
from corridor._compile import (
    COMPONENTS,
    CompiledGraph,
    border_deltas,
    compile_graph,
    effective_costs,
)
from corridor._errors import CorridorError, DataError, NodeNotFound
from corridor._schema import MODES
from corridor.compare import _steps, modes_mask
from corridor.corridors import Corridor, load_corridors, select
from corridor.costs import CRITERIA, CostModel, Criterion
from corridor.csgraph import n_chunks
from corridor.network import Network
from corridor.routing import _check_by
from corridor.scenario import Scenario

__all__ = ["sweep"]
#: most result rows (scenarios x pairs) one sweep returns: about 5 GB as a DataFrame
MAX_ROWS = 50_000_000

COLUMNS = ["scenario", "origin", "destination", "status", "usd", "hours", "days", "km", "co2_kg",
           "generalized", "corridor", "error"]  # fmt: skip
#: the figures of a row, in the order of COLUMNS
_FIGURES = ["usd", "hours", "days", "km", "co2_kg", "generalized"]


def _end(where: str, value: object) -> str:
    """One end of a pair: a non-empty hub name, else an error naming where it is."""
    if isinstance(value, str) and value.strip():
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        raise DataError(f"{where} is empty")
    if isinstance(value, str):
        raise DataError(f"{where} is blank")
    raise DataError(
        f"{where} must be a hub name (a string), got {type(value).__name__} {shown(value)}"
    )


def _pair_items(pairs: Any) -> list[tuple[str, str]] | None:
    """The pairs as (origin, destination) names, checked; None for ``"all"``."""
    if isinstance(pairs, str):
        if pairs != "all":
            raise DataError(
                "pairs must be a list of (origin, destination), a DataFrame or 'all', "
                f"got {shown(pairs)}"
            )
        return None
    if isinstance(pairs, pd.DataFrame):
        missing = {"origin", "destination"} - set(pairs.columns)
        if missing:
            raise DataError(f"pairs: the table lacks column(s) {', '.join(sorted(missing))}")
        twice = sorted({"origin", "destination"} & set(pairs.columns[pairs.columns.duplicated()]))
        if twice:
            raise DataError(f"pairs: the table has more than one column {', '.join(twice)}")
        ends = pairs[["origin", "destination"]]
        good = ends.map(lambda v: isinstance(v, str) and bool(v.strip())).to_numpy(dtype=bool)
        if not good.all():
            r, c = (int(x[0]) for x in np.nonzero(~good))
            label = pairs.index[r]
            label = label.item() if isinstance(label, np.generic) else label
            where = f"pairs: row {shown(label)}, column {ends.columns[c]!r}"
            n_bad = int((~good).sum())
            try:
                _end(where, ends.iat[r, c])
            except DataError as exc:
                more = f" (and {n_bad - 1:,} more empty or bad cell(s))" if n_bad > 1 else ""
                raise DataError(f"{exc}{more}") from None
        return list(zip(ends["origin"], ends["destination"], strict=True))
    if isinstance(pairs, bytes | Mapping) or not isinstance(pairs, Iterable):
        raise DataError(
            "pairs must be a list of (origin, destination), a DataFrame or 'all', "
            f"got {type(pairs).__name__} {shown(pairs)}"
        )
    items = []
    for i, item in enumerate(pairs):
        if (
            isinstance(item, str | bytes)
            or not isinstance(item, Sequence | np.ndarray)
            or len(item) != 2
        ):
            raise DataError(f"pairs[{i}]: expected (origin, destination), got {shown(item)}")
        items.append(
            (_end(f"pairs[{i}] origin", item[0]), _end(f"pairs[{i}] destination", item[1]))
        )
    return items


def _pairs(
    net: Network, pairs: Any
) -> tuple[list[str], list[str], NDArray[np.int64], NDArray[np.int64]]:
    """Unique origins and destinations (hub ids) and, per pair, their positions."""
    items = _pair_items(pairs)
    if items is None:  # "all": every hub to every other, but sea passages are no origins
        kinds = net._nodes["kind"]
        hubs = [str(h) for h in net._nodes.index[kinds != "waypoint"]]
        n = len(hubs)
        idx = np.arange(n, dtype=np.int64)
        all_o, all_d = np.repeat(idx, n), np.tile(idx, n)
        keep = all_o != all_d
        return hubs, list(hubs), all_o[keep], all_d[keep]
    if not items:
        raise DataError("pairs: no origin-destination pair given")
    ids: dict[str, str] = {}
    origins: dict[str, int] = {}
    dests: dict[str, int] = {}
    oi: list[int] = []
    di: list[int] = []
    for a, b in items:
        o = ids[a] if a in ids else ids.setdefault(a, net.hub_id(a))
        d = ids[b] if b in ids else ids.setdefault(b, net.hub_id(b))
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
    corridors: tuple[Corridor, ...]
    costs: CostModel | None
    names: list[str]


def _failed(scenarios: Sequence[Scenario], plan: _Plan, why: str) -> pd.DataFrame:
    """Rows saying every pair of these scenarios failed, and why."""
    res = _Out.empty(len(scenarios), plan.oi.size)
    for i, s in enumerate(scenarios):
        res.error[i] = res.code(f"Scenario {s.name!r}: {why}")
    return _frame_all(scenarios, plan, res)


def _structure(s: Scenario) -> tuple[Any, ...]:
    """What of a scenario changes the compiled graph: everything but its tariffs by mode,
    border hours and carbon price, which only reweight the arcs (:func:`_reweigh`)."""
    return (
        s.close, s.open, s.open_planned, s.costs,
        tuple(t for t in s.tariffs if t[0] not in MODES), s.hours_factor,
        s.inland_clearance, s.traction, s.grid_g_per_kwh,
    )  # fmt: skip


def _shell(s: Scenario) -> Scenario:
    """The scenario without its tariffs by mode, border hours and carbon price."""
    return Scenario(
        s.name, close=s.close, open=s.open, open_planned=s.open_planned, costs=s.costs,
        tariffs=dict(t for t in s.tariffs if t[0] not in MODES),
        hours_factor=dict(s.hours_factor), inland_clearance=s.inland_clearance,
        traction=dict(s.traction), grid_g_per_kwh=dict(s.grid_g_per_kwh),
    )  # fmt: skip


def _reweigh(
    net: Network,
    g: CompiledGraph,
    s: Scenario,
    cm: CostModel,
    hubs: dict[str, int] | None = None,
) -> NDArray[np.float64]:
    """The criteria of every arc of ``g`` (compiled for the scenario's shell with cost
    model ``cm``) under the whole scenario: its mode tariffs on the km at the default
    tariffs, its border hours on the crossing processes they replace, its carbon price;
    ``(len(CRITERIA), m)``. ``hubs`` caches hub names looked up."""
    hubs = {} if hubs is None else hubs
    k = {name: i for i, name in enumerate(COMPONENTS)}
    comp = g.components
    hours_at: dict[int, float] = {}
    for name, h in s.border_hours:
        if name not in hubs:
            try:
                hubs[name] = g.hub_index[net.hub_id(name)]
            except NodeNotFound as exc:
                raise DataError(f"Scenario {s.name!r}: border_hours: {exc}") from None
        hours_at[hubs[name]] = h
    tariffs = dict(s.tariffs)
    t = np.array([tariffs.get(m, cm.tariff_usd_per_teu_km[m]) for m in MODES])
    cp = cm.carbon_price_usd_per_t if s.carbon_price_usd_per_t is None else s.carbon_price_usd_per_t
    usd = t @ comp[: len(MODES)] + comp[k["fixed_usd"]]
    hours = comp[k["hours"]] + comp[k["border_hours"]] + border_deltas(g, hours_at)
    co2 = comp[k["co2_kg"]]
    gen = usd + cm.value_of_time_usd_per_hour * hours + cp * co2 / 1000.0
    out: NDArray[np.float64] = np.vstack([usd, hours, comp[k["km"]], co2, gen])
    if not (np.isfinite(out).all() and (out >= 0).all()):
        raise DataError(f"Scenario {s.name!r}: arc costs must be finite and >= 0")
    return out


#: scenarios searched in one call of the batch kernel (its output is about
#: BATCH x origins x destinations x 5 floats)
BATCH = 64


#: compiled graphs a local sweep keeps between its slices, by structure (:func:`_structure`)
GRAPHS_KEPT = 32


@dataclass
class _Out:
    """The result arrays of some scenarios (views into a sweep's arrays): figures, status,
    corridor labels and error messages (codes into ``messages``, shared by the sweep)."""

    #: (scenarios, pairs, 6): usd, hours, days, km, co2_kg, generalized
    vals: NDArray[np.float64]
    status: NDArray[np.int8]
    labels: NDArray[np.int32]
    error: NDArray[np.int32]
    messages: dict[str, int]

    @classmethod
    def empty(cls, n_s: int, n_pairs: int) -> _Out:
        return cls(
            np.full((n_s, n_pairs, len(_FIGURES)), np.nan),
            np.full((n_s, n_pairs), STATUS.index("failed"), dtype=np.int8),
            np.full((n_s, n_pairs), -1, dtype=np.int32),
            np.zeros((n_s, n_pairs), dtype=np.int32),
            {"": 0},
        )

    def part(self, a: int, b: int) -> _Out:
        return _Out(self.vals[a:b], self.status[a:b], self.labels[a:b], self.error[a:b],
                    self.messages)  # fmt: skip

    def code(self, message: str) -> int:
        return self.messages.setdefault(message, len(self.messages))

    def put(self, rows: list[int], v: NDArray[np.float64]) -> None:
        """Figures ``v`` (``(len(rows), pairs, len(CRITERIA))``) of scenarios ``rows``."""
        out = self.vals[rows]
        out[..., [0, 1, 3, 4, 5]] = v
        out[..., 2] = v[..., 1] / 24.0
        self.vals[rows] = out

    def fail(self, i: int, s: Scenario, exc: Exception) -> None:
        text = str(exc) if s.name in str(exc) else f"Scenario {s.name!r}: {exc}"
        self.error[i] = self.code(text)


def _run(
    net: Network,
    scenarios: Sequence[Scenario],
    plan: _Plan,
    graphs: dict[tuple[Any, ...], Any] | None = None,
) -> pd.DataFrame:
    """Sweep some scenarios (a Dask task): their rows (see :func:`_solve`)."""
    out = _Out.empty(len(scenarios), plan.oi.size)
    _solve(net, scenarios, plan, {} if graphs is None else graphs, out)
    return _frame_all(scenarios, plan, out)


def _solve(
    net: Network,
    scenarios: Sequence[Scenario],
    plan: _Plan,
    graphs: dict[tuple[Any, ...], Any],
    res: _Out,
) -> None:
    """Fill ``res`` for these scenarios. Scenarios that differ only in tariffs by mode,
    border hours and carbon price share one compiled graph, reweighted for each and
    searched in batches by one parallel kernel (``graphs`` keeps the last
    :data:`GRAPHS_KEPT` graphs across calls); one that cannot be built fails alone, its
    rows saying why."""
    origins, dests, oi, di, by = plan.origins, plan.dests, plan.oi, plan.di, plan.by
    chosen = list(plan.corridors)
    base = plan.costs if plan.costs is not None else CostModel()
    n_pairs = oi.size
    same = np.asarray(origins, dtype=object)[oi] == np.asarray(dests, dtype=object)[di]
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, s in enumerate(scenarios):
        groups.setdefault(_structure(s), []).append(i)
    q = CRITERIA.index(by)
    for key, members in groups.items():
        try:
            if key not in graphs:
                shell = _shell(scenarios[members[0]])
                g = compile_graph(net, effective_costs(base, shell), shell)
                src = np.array([g.source(g.hub_index[o]) for o in origins], dtype=np.int64)
                dst = np.array([g.sink(g.hub_index[d]) for d in dests], dtype=np.int64)
                bits = corridor_bits(g, chosen)
                closed = sorted((set(origins) | set(dests)) & set(g.closure.hubs))
                while len(graphs) >= GRAPHS_KEPT:
                    del graphs[next(iter(graphs))]
                graphs[key] = (g, src, dst, bits, closed)
            g, src, dst, (arc, gate, step_masks), closed = graphs[key]
        except CorridorError as exc:
            for i in members:
                res.fail(i, scenarios[i], exc)
            continue
        hit = np.zeros(n_pairs, dtype=bool)
        if closed:
            hit = np.isin(np.asarray(origins, dtype=object)[oi], closed)
            hit |= np.isin(np.asarray(dests, dtype=object)[di], closed)
        cm = effective_costs(base, _shell(scenarios[members[0]]))
        hubs: dict[str, int] = {}
        for start in range(0, len(members), BATCH):
            batch, crits = [], []
            for i in members[start : start + BATCH]:
                try:
                    crits.append(_reweigh(net, g, scenarios[i], cm, hubs))
                except CorridorError as exc:
                    res.fail(i, scenarios[i], exc)
                    continue
                batch.append(i)
            if not batch:
                continue
            crit = np.ascontiguousarray(np.stack(crits))
            out = np.empty((len(batch), src.size, dst.size, len(CRITERIA)))
            lab = np.empty((len(batch), src.size, dst.size), dtype=np.int32)
            _kernels.sweep_batch(
                g.indptr, g.indices, g.tail, crit, q, src, dst, arc, gate, step_masks,
                n_chunks(len(batch) * src.size), out, lab,
            )  # fmt: skip
            v = out[:, oi, di]
            lb = lab[:, oi, di]
            v[:, same] = 0.0
            lb[:, same] = -1  # a hub to itself uses no corridor
            ok = np.isfinite(v[..., 0])
            v[~ok] = np.nan
            res.put(batch, v)
            res.labels[batch] = lb
            res.status[batch] = np.where(ok, STATUS.index("ok"), STATUS.index("no route"))
            if hit.any():
                code = res.code("the scenario closes this origin or destination")
                for i in batch:
                    res.error[i, hit] = code


def _frame_all(scenarios: Sequence[Scenario], plan: _Plan, res: _Out) -> pd.DataFrame:
    """The rows of these scenarios (scenario by scenario, pairs in order), built at once."""
    n_s, n_pairs = res.status.shape
    if n_s == 0:
        return pd.DataFrame(columns=COLUMNS)
    codes = np.repeat(
        np.array([plan.names.index(s.name) for s in scenarios], dtype=np.int32), n_pairs
    )
    messages = sorted(res.messages, key=res.messages.__getitem__)
    # the figures as one block, without a copy; the labels inserted around them
    df = pd.DataFrame(res.vals.reshape(n_s * n_pairs, len(_FIGURES)), columns=_FIGURES, copy=False)
    cat = _categorical
    df.insert(0, "scenario", cat(codes, categories=list(plan.names)))
    df.insert(1, "origin", cat(np.tile(plan.oi, n_s), categories=list(plan.origins)))
    df.insert(2, "destination", cat(np.tile(plan.di, n_s), categories=list(plan.dests)))
    df.insert(3, "status", cat(res.status.ravel(), categories=STATUS))
    df["corridor"] = cat(res.labels.ravel() + 1, categories=["", *(c.id for c in plan.corridors)])
    df["error"] = cat(res.error.ravel(), categories=messages).cat.reorder_categories(
        sorted(messages)
    )
    return df


def _categorical(codes: NDArray[Any], categories: Sequence[str]) -> pd.Series:
    """A categorical column from integer codes (-1: missing)."""
    cat = pd.Categorical.from_codes(codes, categories=list(categories))  # type: ignore[call-overload]
    return pd.Series(cat, copy=False)


def _listed(names: Sequence[str], most: int = 10) -> str:
    """Names joined by commas, each cut short, at most ``most`` of them."""
    cut = [n if len(n) <= 80 else n[:79] + "…" for n in names[:most]]
    more = f" and {len(names) - most:,} more" if len(names) > most else ""
    return ", ".join(cut) + more


def _check_scenarios(scenarios: object) -> list[Scenario]:
    """The scenarios as a list: a lone Scenario is one; names must be unique."""
    if isinstance(scenarios, Scenario):
        return [scenarios]
    if isinstance(scenarios, str | bytes | Mapping) or not isinstance(scenarios, Iterable):
        hint = (
            " (a mapping: pass its values, e.g. list(corridor.presets().values()))"
            if isinstance(scenarios, Mapping)
            else ""
        )
        raise DataError(
            "scenarios must be a list of Scenario objects, "
            f"got {type(scenarios).__name__} {shown(scenarios)}{hint}"
        )
    items = list(scenarios)
    if not items:
        raise DataError("scenarios: none given")
    for i, s in enumerate(items):
        if not isinstance(s, Scenario):
            raise DataError(f"scenarios[{i}] must be a Scenario, got {type(s).__name__} {shown(s)}")
    counts = Counter(s.name for s in items)
    dup = sorted(n for n, k in counts.items() if k > 1)
    if dup:
        raise DataError(f"scenario names must be unique; repeated: {_listed(dup)}")
    return items


def _check_corridors(corridors: object) -> tuple[Corridor, ...]:
    """The corridors that label routes: ids (one string is one id) or Corridor objects."""
    known = load_corridors()
    if corridors is None:
        return tuple(known)
    if isinstance(corridors, str | Corridor):
        corridors = [corridors]
    if isinstance(corridors, bytes | Mapping) or not isinstance(corridors, Iterable):
        raise DataError(
            "corridors must be a corridor id or a list of them, "
            f"got {type(corridors).__name__} {shown(corridors)}"
        )
    given = list(corridors)
    for i, c in enumerate(given):
        if not isinstance(c, str | Corridor):
            raise DataError(
                f"corridors[{i}] must be a corridor id (a string), "
                f"got {type(c).__name__} {shown(c)}"
            )
    ids = {c.id: c for c in known}
    for c in given:
        if isinstance(c, str) and c not in ids:
            raise DataError(f"corridors: unknown corridor {shown(c)}; known: {', '.join(ids)}")
    chosen = tuple(select(given, known))
    counts = Counter(c.id for c in chosen)
    dup = sorted(n for n, k in counts.items() if k > 1)
    if dup:
        raise DataError(f"corridors: each may be given once; repeated: {', '.join(dup)}")
    if len(chosen) > 64:
        raise DataError(f"corridors: at most 64 can label a sweep, got {len(chosen)}")
    return chosen


def _check_chunk(chunk: object) -> int | None:
    """None, or a whole number of scenarios per task, at least 1."""
    if chunk is None:
        return None
    if isinstance(chunk, bool) or not isinstance(chunk, numbers.Integral) or chunk < 1:
        raise DataError(f"chunk must be a positive integer, got {shown(chunk)}")
    return int(chunk)


def _check_client(client: object) -> None:
    """None, a scheduler address, or a ``dask.distributed.Client``."""
    if client is None:
        return
    if isinstance(client, str):
        if not client.strip():
            raise DataError("client: the scheduler address is empty")
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise DataError(
            f"client: got {type(client).__name__} {shown(client)}, but a distributed sweep "
            "needs Dask: pip install 'corridor[dask]'"
        ) from None
    if not isinstance(client, Client):
        raise DataError(
            "client must be a dask.distributed.Client or a scheduler address, "
            f"got {type(client).__name__} {shown(client)}"
        )
    if client.status in ("closing", "closed"):
        raise DataError("client is closed")


def sweep(
    net: Network,
    scenarios: Iterable[Scenario] | Scenario,
    pairs: Iterable[tuple[str, str]] | pd.DataFrame | str,
    *,
    by: Criterion = "generalized",
    client: Any = None,
    chunk: int | None = None,
    corridors: Sequence[str] | str | None = None,
    costs: CostModel | None = None,
    progress: bool | None = None,
    timeout: float = 10.0,
) -> pd.DataFrame:
    """Best route of every origin-destination pair under every scenario.

    Parameters
    ----------
    scenarios : iterable of Scenario, or one Scenario
        ``Scenario("baseline")`` (no changes) gives the baseline rows. Names must be unique.
    pairs : list of (origin, destination), DataFrame with those columns, or ``"all"``
        (``"all"``: every hub to every other hub; waypoints such as sea passages and locks
        are no origins or destinations)
        Hub names, ids or aliases; every cell must be a non-empty string.
    by : str
        The criterion minimised: ``"generalized"``, ``"usd"``, ``"hours"``, ``"km"`` or
        ``"co2"``.
    client : dask.distributed.Client or str, optional
        Run on this cluster (or connect to this scheduler address within ``timeout``);
        locally if omitted. The sweep survives the loss of workers, even of the last one
        when a nanny restarts it.
    chunk : int, optional
        Scenarios per Dask task (default: about four tasks per worker thread).
    corridors : corridor id or list of corridor ids, optional
        Which corridors label the routes (``corridor`` column: the first, in this order,
        whose links and gateways the route keeps to; empty if none). Default: all.
    costs : CostModel, optional
        The cost model (each scenario may change it).
    progress : bool, optional
        Show a progress bar (default: only for big sweeps).
    timeout : float
        Seconds to connect to a scheduler given by address, handshake included (> 0).

    Returns
    -------
    pandas.DataFrame
        One row per (scenario, origin, destination), in that order: ``status`` (``ok``,
        ``no route`` or ``failed``), ``usd``, ``hours``, ``days``, ``km``, ``co2_kg``,
        ``generalized``, ``corridor``, and ``error`` (why a scenario failed).

    Raises
    ------
    DataError
        For a bad argument, naming it (an unknown hub raises ``NodeNotFound``).

    Examples
    --------
    >>> import corridor as cr
    >>> net = cr.load_network()
    >>> df = cr.sweep(net, [cr.Scenario("baseline"), cr.presets()["suez_closed"]],
    ...               [("Guiyang", "Duisburg"), ("Guiyang", "Shenzhen")])
    >>> df[["scenario", "destination", "corridor"]].astype(str).values.tolist()[:2]
    [['baseline', 'duisburg', 'china_europe_alashankou'], ['baseline', 'yantian', 'road']]
    """
    check_network(net)
    by = _check_by(by)
    items = _check_scenarios(scenarios)
    step = _check_chunk(chunk)
    if costs is not None and not isinstance(costs, CostModel):
        raise DataError(f"costs must be a CostModel, got {type(costs).__name__} {shown(costs)}")
    if progress is not None:
        progress = check_bool("progress", progress)
    _check_client(client)
    timeout = check_number("timeout", timeout, gt=0.0, le=3600.0)
    chosen = _check_corridors(corridors)
    origins, dests, oi, di = _pairs(net, pairs)
    if len(items) * oi.size > MAX_ROWS:
        raise DataError(
            f"sweep: {len(items):,} scenarios x {oi.size:,} pairs is more than {MAX_ROWS:,} "
            "result rows (about 100 bytes each); sweep in parts"
        )
    plan = _Plan(origins, dests, oi, di, by, chosen, costs, [s.name for s in items])
    from tqdm.auto import tqdm

    disable = (
        (not progress)
        if progress is not None
        else None
        if len(items) * oi.size >= 200_000
        else True
    )
    if client is None:
        step = step or BATCH
        graphs: dict[tuple[Any, ...], Any] = {}
        res = _Out.empty(len(items), oi.size)
        with tqdm(
            total=len(items), unit="scenario", desc="sweep", disable=disable, leave=False
        ) as bar:
            for start in range(0, len(items), step):
                part = items[start : start + step]
                _solve(net, part, plan, graphs, res.part(start, start + len(part)))
                bar.update(len(part))
        return _frame_all(items, plan, res)
    return _distributed(net, items, plan, client, step, disable, timeout)


def _network(net: Network) -> Network:
    """The network, as the result of a task: a result the scheduler can rebuild when the
    worker holding it dies (scattered data it cannot)."""
    return net


def connect(address: str, timeout: float, *, name: str = "client") -> Any:
    """A Dask client of the scheduler at ``address``, or a DataError naming ``name`` and
    saying why not.

    The address is first probed in an event loop of our own, bounded by ``timeout`` as a
    whole: Dask's own ``Client(..., timeout=)`` bounds the TCP connection but not the
    handshake after it, and waits forever on a server that accepts and never answers.
    """
    import asyncio

    where = f"{name} {shown(address)}"
    if not address.strip():
        raise DataError(f"{where}: empty address; give one like tcp://host:8786")
    try:
        from dask.distributed import Client
        from distributed.comm.core import connect as dask_connect
        from distributed.security import Security
    except ImportError:
        raise DataError(
            f"{where}: a distributed sweep needs Dask: pip install 'corridor[dask]'"
        ) from None

    async def probe() -> None:
        args = Security().get_connection_args("client")  # type: ignore[no-untyped-call]
        # the TCP connection is bounded by timeout; the margin lets Dask say why it failed
        handshake = dask_connect(address, timeout=timeout, **args)  # type: ignore[no-untyped-call]
        comm = await asyncio.wait_for(handshake, timeout + 0.5)
        await comm.close()

    try:
        asyncio.run(probe())
        return Client(address, timeout=timeout, set_as_default=False)  # type: ignore[no-untyped-call]
    except TimeoutError:
        reason = "the server there accepted the connection but did not answer as Dask's"
    except MemoryError:  # a frame length read from a server that is not Dask's
        reason = "the server there does not speak Dask's protocol"
    except Exception as exc:  # OSError, ValueError, TypeError: Dask's, naming the address
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
    raise DataError(f"{where}: cannot connect within {timeout:g} s: {reason}")


def _distributed(
    net: Network,
    items: list[Scenario],
    plan: _Plan,
    client: Any,
    chunk: int | None,
    disable: bool | None,
    timeout: float = 10.0,
) -> pd.DataFrame:
    try:
        from dask.distributed import KilledWorker, as_completed
    except ImportError:
        raise DataError("a distributed sweep needs Dask: pip install 'corridor[dask]'") from None
    from tqdm.auto import tqdm

    own = isinstance(client, str)
    cl: Any = connect(client, timeout) if own else client  # distributed is untyped
    futures: dict[Any, tuple[int, list[Scenario]]] = {}
    net_f = None
    try:
        threads = max(1, sum(cl.nthreads().values()))
        step = chunk or max(1, math.ceil(len(items) / (4 * threads)))
        # Not scatter(): scattered data lost with its last worker is lost for good, and the
        # tasks needing it fail. A task's result is recomputed from the task, which the
        # scheduler keeps (one pickled copy of the network) as long as the sweep runs.
        token = uuid.uuid4().hex
        net_f = cl.submit(_network, net, key=f"corridor-network-{token}", retries=3)
        for i, start in enumerate(range(0, len(items), step)):
            part = items[start : start + step]
            fut = cl.submit(_run, net_f, part, plan, key=f"corridor-sweep-{token}-{i}", retries=3)
            futures[fut] = (i, part)
        results: dict[int, pd.DataFrame] = {}
        with tqdm(
            total=len(items), unit="scenario", desc="sweep", disable=disable, leave=False
        ) as bar:
            # loop: the client's, which need not be the default client
            for fut in as_completed(list(futures), loop=cl.loop):  # type: ignore[no-untyped-call]
                i, part = futures[fut]
                try:
                    results[i] = fut.result()
                except KilledWorker as exc:  # the task killed every worker that ran it
                    if getattr(exc, "task", None) == net_f.key:
                        raise  # not this task's fault: no worker could hold the network
                    tries = getattr(exc, "allowed_failures", None)
                    results[i] = _failed(
                        part,
                        plan,
                        "its Dask task died with every worker that ran it"
                        + (f" ({tries + 1} workers)" if isinstance(tries, int) else "")
                        + " (KilledWorker); the worker logs say why",
                    )
                bar.update(len(part))
        frames = [results[i] for i in sorted(results)]
        errors = union_categoricals([f["error"] for f in frames], sort_categories=True)
        df = pd.concat(frames, ignore_index=True)
        df["error"] = errors
        return df
    finally:
        pending = [f for f in futures if not f.done()]
        if pending:  # interrupted or failed: free the cluster
            cl.cancel(pending)
        if net_f is not None:
            net_f.release()
        if own:
            cl.close()
