"""Sensitivity: how often each corridor wins when the cost model's inputs are uncertain.

Each sample draws tariffs, the value of time, border times and a carbon price from ranges,
and every corridor's best route is searched again under that sample's arc weights. The
searches run in the Numba core, many samples per call and in parallel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor import _kernels
from corridor._checks import check_bool, check_int, check_number, check_seed, shown
from corridor._compile import COMPONENTS, compiled, csr_indptr
from corridor._errors import DataError
from corridor._schema import MODES
from corridor.compare import BEST, _steps, feeder_arcs, modes_mask, rivals_mask
from corridor.corridors import Corridor, load_corridors, select
from corridor.costs import CostModel, Criterion
from corridor.csgraph import n_chunks
from corridor.network import Network
from corridor.routing import _check_by, _effective_costs, endpoints, layered
from corridor.scenario import Scenario

__all__ = ["DEFAULT_VARY", "LITERATURE_RANGES", "SensitivityResult", "default_vary", "sensitivity"]

#: The ranges the literature gives (the spread the default draws take, see
#: :func:`default_vary`). Tariffs, USD per TEU-km: rail 0.14-0.56, road 0.52-1.78 and sea
#: 0.03-0.73 are the literature ranges behind the World Bank BRI model (bri_market_access
#: ``table_transport_cost_sources.csv``); inland waterway and air have no published range
#: there: +-50% and +-25% around the defaults (assumptions). Value of time 0.6-2.1% of
#: cargo value per day (Hummels & Schaur 2013). Border hours x0.5-x2 and a carbon price of
#: USD 0-100 per t are illustrative what-if ranges, not sourced figures.
LITERATURE_RANGES: dict[str, tuple[float, float]] = {
    "tariff.rail": (0.14, 0.56),
    "tariff.road": (0.52, 1.78),
    "tariff.sea": (0.03, 0.73),
    "tariff.inland_waterway": (0.07, 0.21),
    "tariff.air": (2.84, 4.73),
    "time_value_pct_per_day": (0.6, 2.1),
    "border_hours_factor": (0.5, 2.0),
    "carbon_price_usd_per_t": (0.0, 100.0),
}


def default_vary(cm: CostModel) -> dict[str, tuple[float, float]]:
    """Default draws centred on the cost model: each parameter uniform on its model value
    ± the relative half-width of its literature range (:data:`LITERATURE_RANGES`: for
    a range lo-hi, (hi - lo) / (hi + lo)), so the model's own value is the middle of every
    draw and the literature's spread is kept. The carbon price, 0 by default, is drawn over
    its what-if range 0-100 (it cannot go below 0).

    Examples
    --------
    >>> lo, hi = default_vary(CostModel())["tariff.rail"]
    >>> round((lo + hi) / 2, 3)
    0.23
    """
    centre = {f"tariff.{m}": cm.tariff_usd_per_teu_km[m] for m in MODES}
    centre.update(time_value_pct_per_day=cm.time_value_pct_per_day, border_hours_factor=1.0)
    out: dict[str, tuple[float, float]] = {}
    for key, (lo, hi) in LITERATURE_RANGES.items():
        if key == "carbon_price_usd_per_t":
            out[key] = (lo, max(hi, 2.0 * cm.carbon_price_usd_per_t))
            continue
        half = min((hi - lo) / (hi + lo), 0.95)  # never down to 0: a tariff stays > 0
        out[key] = (centre[key] * (1.0 - half), centre[key] * (1.0 + half))
    return out


#: the default draws for the default cost model (see :func:`default_vary`)
DEFAULT_VARY: dict[str, tuple[float, float]] = default_vary(CostModel())
PARAMETERS = tuple(DEFAULT_VARY)
#: most draws one call makes (a draw is a row of parameters: 10^6 of them take ~100 MB)
MAX_SAMPLES = 1_000_000
#: largest value a varied parameter may take (every one is a rate, a time or a price)
MAX_VARY = 1e6


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """What a sensitivity run found.

    Attributes
    ----------
    samples : pandas.DataFrame
        One row per sample: every parameter's value (drawn or held).
    totals : dict of str -> pandas.DataFrame
        Per corridor, one row per sample: ``usd``, ``hours``, ``days``, ``km``, ``co2_kg``,
        ``generalized`` of the corridor's best route under that sample (``inf`` if none).
    wins : pandas.Series
        Share of samples in which each corridor is the best by ``by``.
    summary : pandas.DataFrame
        Per corridor: ``status``, ``win_share`` and the 10th, 50th and 90th percentiles of
        USD, days, kg CO2 and generalized cost.
    """

    origin: str
    destination: str
    by: str
    seed: int | None
    samples: pd.DataFrame
    totals: dict[str, pd.DataFrame]
    wins: pd.Series
    summary: pd.DataFrame

    def __repr__(self) -> str:
        """One line: the pair, the draws and the corridors that win most often."""
        top = self.wins[self.wins > 0].sort_values(ascending=False).head(3)
        shares = ", ".join(f"{k} {v:.0%}" for k, v in top.items()) or "none"
        return (
            f"<SensitivityResult {self.origin} → {self.destination}: {len(self.samples):,} "
            f"samples by {self.by}; wins {shares}>"
        )

    def _repr_html_(self) -> str:
        head = repr(self)[1:-1].replace("&", "&amp;").replace("<", "&lt;")
        return f"<p>{head}</p>" + self.summary.to_html(float_format=lambda x: f"{x:,.1f}")


def _subgraph(
    indptr: NDArray[np.int32],
    indices: NDArray[np.int32],
    tail: NDArray[np.int32],
    arc_of: NDArray[np.int64],
    keep: NDArray[np.bool_],
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]:
    """The CSR graph with only the ``keep`` arcs (still sorted by tail)."""
    return csr_indptr(tail[keep], indptr.size - 1), indices[keep], tail[keep], arc_of[keep]


def _check_vary(
    vary: Mapping[str, tuple[float, float]] | None, cm: CostModel
) -> dict[str, tuple[float, float]]:
    if vary is None:
        return default_vary(cm)
    if not isinstance(vary, Mapping):
        raise DataError(
            f"vary must be a mapping of parameter -> (low, high), got {type(vary).__name__}"
        )
    out = {}
    for key, rng in vary.items():
        if key not in DEFAULT_VARY:
            raise DataError(f"vary: unknown parameter {shown(key)}; known: {', '.join(PARAMETERS)}")
        if isinstance(rng, str | bytes) or not isinstance(rng, Sequence) or len(rng) != 2:
            raise DataError(
                f"vary[{key!r}] must be a (low, high) pair of numbers, got {shown(rng)}"
            )
        lo = check_number(f"vary[{key!r}] low", rng[0], ge=0.0, le=MAX_VARY)
        hi = check_number(f"vary[{key!r}] high", rng[1], ge=0.0, le=MAX_VARY)
        if not lo <= hi:
            raise DataError(f"vary[{key!r}] must satisfy 0 <= low <= high, got {shown(rng)}")
        if key.startswith("tariff.") and lo == 0:
            raise DataError(f"vary[{key!r}]: a tariff must be > 0, got low = 0")
        out[key] = (lo, hi)
    return out


def _draw(
    cm: CostModel, vary: dict[str, tuple[float, float]], n: int, seed: int | None
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    held = {f"tariff.{m}": cm.tariff_usd_per_teu_km[m] for m in MODES}
    held.update(
        time_value_pct_per_day=cm.time_value_pct_per_day,
        border_hours_factor=1.0,
        carbon_price_usd_per_t=cm.carbon_price_usd_per_t,
    )
    cols = {}
    for key in PARAMETERS:  # fixed order: same seed, same draws
        if key in vary:
            lo, hi = vary[key]
            cols[key] = rng.uniform(lo, hi, n)
        else:
            cols[key] = np.full(n, held[key])
    return pd.DataFrame(cols)


def _coefficients(samples: pd.DataFrame, cm: CostModel, by: Criterion) -> np.ndarray:
    """Per sample, the weight of each cost component (rows of COMPONENTS)."""
    n = len(samples)
    t = np.column_stack([samples[f"tariff.{m}"].to_numpy() for m in MODES])
    vot = cm.cargo_value_usd * samples["time_value_pct_per_day"].to_numpy() / 100.0 / 24.0
    bf = samples["border_hours_factor"].to_numpy()
    cp = samples["carbon_price_usd_per_t"].to_numpy() / 1000.0
    zero, one = np.zeros(n), np.ones(n)
    cols = {
        "usd": [*t.T, one, zero, zero, zero, zero],
        "hours": [*(zero,) * len(MODES), zero, one, bf, zero, zero],
        "km": [*(zero,) * len(MODES), zero, zero, zero, zero, one],
        "co2": [*(zero,) * len(MODES), zero, zero, zero, one, zero],
        "generalized": [*t.T, one, vot, vot * bf, cp, zero],
    }[by]
    coef = np.column_stack(cols)
    assert coef.shape == (n, len(COMPONENTS))
    return np.ascontiguousarray(coef)


def _totals(comp: np.ndarray, samples: pd.DataFrame, cm: CostModel) -> pd.DataFrame:
    k = {name: i for i, name in enumerate(COMPONENTS)}
    t = np.column_stack([samples[f"tariff.{m}"].to_numpy() for m in MODES])
    usd = (comp[:, : len(MODES)] * t).sum(axis=1) + comp[:, k["fixed_usd"]]
    hours = (
        comp[:, k["hours"]] + samples["border_hours_factor"].to_numpy() * comp[:, k["border_hours"]]
    )
    vot = cm.cargo_value_usd * samples["time_value_pct_per_day"].to_numpy() / 100.0 / 24.0
    co2 = comp[:, k["co2_kg"]]
    gen = usd + vot * hours + samples["carbon_price_usd_per_t"].to_numpy() / 1000.0 * co2
    with np.errstate(invalid="ignore"):
        return pd.DataFrame(
            {
                "usd": usd,
                "hours": hours,
                "days": hours / 24,
                "km": comp[:, k["km"]],
                "co2_kg": co2,
                "generalized": gen,
            }
        )


def sensitivity(
    net: Network,
    origin: str,
    destination: str,
    *,
    samples: int = 10_000,
    vary: Mapping[str, tuple[float, float]] | None = None,
    seed: int | None = None,
    by: Criterion = "generalized",
    corridors: Sequence[str | Corridor] | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    progress: bool | None = None,
) -> SensitivityResult:
    """How often each corridor wins when tariffs, time value, border times and carbon price vary.

    Parameters
    ----------
    samples : int
        Number of draws.
    vary : mapping of parameter -> (low, high), optional
        Uniform ranges; parameters left out are held at the cost model's value.
        If omitted, every parameter is drawn around the cost model's own value with the
        literature's spread (:func:`default_vary`, sourced in :data:`LITERATURE_RANGES`).
    seed : int, optional
        Same seed, same draws, same result.
    progress : bool, optional
        Show a progress bar; by default only on long runs in a terminal.

    Examples
    --------
    >>> import corridor as cr
    >>> res = cr.sensitivity(cr.load_network(), "Guiyang", "Duisburg", samples=200, seed=1)
    >>> round(float(res.wins.sum()), 6)
    1.0
    >>> res.wins.index[0]
    'china_europe_alashankou'
    """
    by = _check_by(by)
    samples = check_int("samples", samples, ge=1, le=MAX_SAMPLES)
    seed = check_seed("seed", seed)
    if progress is not None:
        progress = check_bool("progress", progress)
    cm = _effective_costs(costs, scenario)
    ranges = _check_vary(vary, cm)
    o, d = endpoints(net, origin, destination)
    chosen = select(corridors, load_corridors())
    for each in chosen:
        each.check(net)
    g = compiled(net, cm, scenario)
    draws = _draw(cm, ranges, samples, seed)
    coef = _coefficients(draws, cm, by)
    country = str(net._nodes.at[d, "country"])
    jobs: list[tuple[str, Corridor | None]] = [(BEST, None), *((x.id, x) for x in chosen)]
    status: dict[str, str] = {}
    totals: dict[str, pd.DataFrame] = {}
    show = progress if progress is not None else None if samples * len(jobs) >= 50_000 else False
    from tqdm.auto import tqdm

    bar = tqdm(
        total=samples * len(jobs),
        disable=show is False if show is not None else None,
        unit="route",
        desc=f"{o} → {d}",
        leave=False,
    )
    block = max(1, min(samples, 2_000))
    try:
        for key, c in jobs:
            if c is not None and country not in c.serves:
                status[key] = "not served"
                bar.update(samples)
                continue
            steps = _steps(g, c, country) if c is not None else []
            if isinstance(steps, int):
                status[key] = "no route"
                bar.update(samples)
                continue
            mask = (
                np.zeros(g.indices.size)
                if c is None
                else np.where(modes_mask(g, c.modes) & rivals_mask(g, c), 0.0, np.inf)
            )
            indptr, indices, tail, arc_of = layered(g, steps)
            if c is not None and steps:  # feeders head for the first gateway, as in compare
                n_nodes = g.n_nodes
                feeder = feeder_arcs(g, c, steps[0], g.hub_index[o])
                keep = ~((tail < n_nodes) & (indices < n_nodes) & ~feeder[arc_of])
                indptr, indices, tail, arc_of = _subgraph(indptr, indices, tail, arc_of, keep)
            target = g.sink(g.hub_index[d]) + len(steps) * g.n_nodes
            comp = np.empty((samples, len(COMPONENTS)))
            for start in range(0, samples, block):
                part = coef[start : start + block]
                out = np.empty((part.shape[0], len(COMPONENTS)))
                _kernels.sample_paths(
                    indptr, indices, tail, arc_of, g.components, part, mask,
                    g.source(g.hub_index[o]), target, n_chunks(part.shape[0]), out,
                )  # fmt: skip
                comp[start : start + block] = out
                bar.update(part.shape[0])
            totals[key] = _totals(comp, draws, cm)
            status[key] = "ok" if np.isfinite(comp[:, -1]).any() else "no route"
    finally:
        bar.close()
    crit = {"co2": "co2_kg"}.get(by, by)
    contenders = [k for k in totals if k != BEST and status[k] == "ok"]
    if contenders:
        table = pd.DataFrame({k: totals[k][crit] for k in contenders})
        winner = table.idxmin(axis=1)[np.isfinite(table.min(axis=1))]
        wins = winner.value_counts().reindex(contenders, fill_value=0) / samples
    else:
        wins = pd.Series(dtype=float)
    wins = wins.sort_values(ascending=False, kind="stable").rename("win_share")
    rows = []
    for key, _ in jobs:
        row: dict[str, object] = {
            "corridor": key,
            "status": status[key],
            "win_share": float(wins.get(key, np.nan)),
        }
        if key in totals:
            t = totals[key].replace([np.inf], np.nan)
            for col in ("usd", "days", "co2_kg", "generalized"):
                q = t[col].quantile([0.1, 0.5, 0.9])
                row.update(
                    {f"{col}_p10": q.iloc[0], f"{col}_p50": q.iloc[1], f"{col}_p90": q.iloc[2]}
                )
        rows.append(row)
    summary = pd.DataFrame(rows).set_index("corridor")
    summary = summary.sort_values("win_share", ascending=False, na_position="last", kind="stable")
    return SensitivityResult(o, d, by, seed, draws, totals, wins, summary)
