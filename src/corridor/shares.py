"""Market shares of the corridors by cargo segment: a logit over generalized costs.

Each corridor that serves a pair is one alternative (corridors whose best routes are the same
physical route are one alternative, named ``a+b``). For cargo segment ``s`` its cost is

    GC_s = USD + VOT_s x mean hours + VOR_s x (P90 - P50 hours) + carbon + ASC

with the segment's value of time ``VOT_s`` and value of reliability ``VOR_s``
(:meth:`corridor.CostModel.for_segment`), the percentiles of :mod:`corridor.reliability`,
and an alternative-specific constant ``ASC`` for what the model does not price. The share
is ``exp(-GC_s / scale) / sum(exp(-GC / scale))``; the total weights the segments by their
share of Guizhou's trade (:mod:`corridor.segments`).

Calibration (:func:`calibrate`) fits ``scale`` and the constants to published shares
(``data/share_targets.csv``): rail's share of the value of EU imports from China in 2019
and in 2021, when sea freight rose about sixfold and rail's share from 3% to almost 5%.
The change of the share with the change of price fixes the scale; the level fixes the
China–Europe constant (large: it stands for the trains' limited capacity, a few hundred
thousand TEU a year against 12.5 million by sea, and the ending of their subsidies). Two
figures, two parameters: the fit is exact and is a calibration, not a validation.
"""

from __future__ import annotations

import fnmatch
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corridor._checks import check_int, check_number, check_seed, shown
from corridor._errors import DataError, NoRouteError, Problem

if TYPE_CHECKING:
    from corridor.costs import CostModel
    from corridor.network import Network
    from corridor.routing import Route
    from corridor.scenario import Scenario

__all__ = ["DEFAULT_CONSTANTS", "DEFAULT_SCALE", "calibrate", "market_shares"]

#: the logit scale, USD per TEU (fitted by :func:`calibrate`; a test keeps them equal)
DEFAULT_SCALE = 5155.0
#: alternative-specific constants, USD per TEU, by corridor id pattern
DEFAULT_CONSTANTS: Mapping[str, float] = {"china_europe_*": 38524.0}
#: draws per alternative for its percentiles, and their seed
SHARE_SAMPLES, SHARE_SEED = 4_000, 0


@dataclass(frozen=True)
class _Alt:
    """One alternative: the corridors whose best route it is, and its figures."""

    corridors: tuple[str, ...]
    route: Route
    buffer_hours: float  # P90 - P50
    usd_by_mode: Mapping[str, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return "+".join(self.corridors)


def _usd_by_mode(r: Route) -> dict[str, float]:
    legs = r.legs
    run = legs[legs["kind"] == "link"]
    return {str(m): float(v) for m, v in run.groupby("mode")["usd"].sum().items()}


def _alternatives(
    net: Network,
    origin: str,
    destination: str,
    costs: CostModel | None,
    scenario: Scenario | None,
    samples: int,
    seed: int,
) -> list[_Alt]:
    from corridor.compare import BEST, corridor_routes
    from corridor.reliability import sample_route

    res = corridor_routes(net, origin, destination, costs=costs, scenario=scenario)
    by_path: dict[tuple[int, ...], list[str]] = {}
    routes: dict[tuple[int, ...], Route] = {}
    for key, found in res.items():
        if key == BEST or found.route is None:
            continue
        arcs = tuple(int(a) for a in found.route._arcs)
        by_path.setdefault(arcs, []).append(key)
        routes[arcs] = found.route
    if not by_path:
        best = res[BEST]
        raise NoRouteError(
            f"no corridor serves {origin!r} to {destination!r}"
            + (f" (the best route: {best.route.path})" if best.route is not None else "")
        )
    out = []
    for arcs, keys in by_path.items():
        r = routes[arcs]
        h, _ = sample_route(r, samples, seed)
        p50, p90 = np.percentile(h, [50, 90])
        out.append(_Alt(tuple(keys), r, float(p90 - p50), _usd_by_mode(r)))
    return out


def _constant(alt: _Alt, constants: Mapping[str, float]) -> float:
    """The constant of the first pattern any of the alternative's corridors matches."""
    for pattern, value in constants.items():
        if any(fnmatch.fnmatchcase(c, pattern) for c in alt.corridors):
            return float(value)
    return 0.0


def _costs_by_segment(
    alts: Sequence[_Alt],
    segments: pd.DataFrame,
    base: CostModel,
    constants: Mapping[str, float],
    factors: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Generalized cost per TEU of each alternative (rows) for each segment (columns)."""
    cols = {}
    for seg, row in segments.iterrows():
        cm = base.replace(
            cargo_value_usd=float(row["value_usd_per_teu"]),
            time_value_pct_per_day=float(row["time_value_pct_per_day"]),
            reliability_ratio=float(row["reliability_ratio"]),
        )
        vals = []
        for a in alts:
            r = a.route
            usd = (
                r.total_usd + sum((factors.get(m, 1.0) - 1.0) * v for m, v in a.usd_by_mode.items())
                if factors
                else r.total_usd
            )
            vals.append(
                usd
                + cm.value_of_time_usd_per_hour * r.total_hours
                + cm.value_of_reliability_usd_per_hour * a.buffer_hours
                + cm.carbon_price_usd_per_t * r.total_co2_kg / 1000.0
                + _constant(a, constants)
            )
        cols[str(seg)] = vals
    return pd.DataFrame(cols, index=pd.Index([a.key for a in alts], name="corridor"))


def _logit(gc: pd.DataFrame, scale: float) -> pd.DataFrame:
    z = -(gc - gc.min(axis=0)) / scale
    e = np.exp(z)
    out: pd.DataFrame = e / e.sum(axis=0)
    return out


def _segments(segments: object) -> pd.DataFrame:
    from corridor.segments import load_segments, read_segments

    table = load_segments()
    if segments is None:
        return table
    if isinstance(segments, pd.DataFrame):
        return read_segments(segments)
    if isinstance(segments, str):
        segments = [segments]
    if not isinstance(segments, Sequence) or not all(isinstance(s, str) for s in segments):
        raise DataError(f"segments must be segment names or a segment table, got {shown(segments)}")
    unknown = [s for s in segments if s not in table.index]
    if unknown or not segments:
        raise DataError(
            f"unknown cargo segment(s) {shown(unknown or list(segments))}; "
            f"one of {', '.join(table.index)}"
        )
    sub = table.loc[list(dict.fromkeys(segments))].copy()
    sub["weight"] = sub["weight"] / sub["weight"].sum()
    return sub


def _check_constants(constants: object) -> Mapping[str, float]:
    if constants is None:
        return DEFAULT_CONSTANTS
    if not isinstance(constants, Mapping):
        raise DataError(
            f"constants must map corridor ids or patterns to USD, got {shown(constants)}"
        )
    out = {}
    for k, v in constants.items():
        if not isinstance(k, str):
            raise DataError(f"constants: keys are corridor ids or patterns, got {shown(k)}")
        out[k] = check_number(f"constants[{k!r}]", v, ge=-1e6, le=1e6)
    return out


def market_shares(
    net: Network,
    origin: str,
    destination: str,
    *,
    segments: Sequence[str] | str | pd.DataFrame | None = None,
    scale: float | None = None,
    constants: Mapping[str, float] | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
    samples: int = SHARE_SAMPLES,
    seed: int = SHARE_SEED,
) -> pd.DataFrame:
    """The share of each corridor per cargo segment and in total, by a logit.

    Parameters
    ----------
    net : Network
    origin, destination : str
        Hub ids, names or aliases.
    segments : names, a segment table, or None
        Segments of ``data/sources/segments.csv`` (all by default), or a table of your own
        (columns as :func:`corridor.segments.read_segments`).
    scale : float, optional
        Logit scale, USD per TEU (``DEFAULT_SCALE``, calibrated, by default).
    constants : mapping, optional
        USD per TEU added to the alternatives whose corridor id matches the key (a pattern
        such as ``"china_europe_*"``); ``DEFAULT_CONSTANTS`` by default.
    costs, scenario
        As :func:`corridor.compare`; each segment changes only the cargo value, value of
        time and reliability ratio of ``costs``.
    samples, seed : int
        Draws for each alternative's P50 and P90.

    Returns
    -------
    pandas.DataFrame
        One row per alternative (corridor, or ``a+b`` for corridors with the same best
        route), one column per segment and ``total`` (weighted by the segments' ``weight``);
        each column sums to 1. ``attrs`` holds ``scale``, ``constants``, ``weights`` and the
        generalized costs (``gc``: alternative -> segment -> USD per TEU).

    Examples
    --------
    >>> import corridor as cr
    >>> s = cr.market_shares(cr.load_network(), "Guiyang", "Duisburg")
    >>> bool(abs(s.sum() - 1).max() < 1e-9)
    True
    """
    from corridor.costs import CostModel as DefaultCosts

    table = _segments(segments)
    theta = DEFAULT_SCALE if scale is None else check_number("scale", scale, gt=0.0, le=1e9)
    consts = _check_constants(constants)
    n = check_int("samples", samples, ge=1, le=1_000_000)
    s = check_seed("seed", seed)
    if costs is not None and not isinstance(costs, DefaultCosts):
        raise DataError(f"costs must be a corridor.CostModel, got {shown(costs)}")
    base: CostModel = costs if costs is not None else DefaultCosts()
    if scenario is not None and scenario.costs is not None:
        base = scenario.costs
    alts = _alternatives(net, origin, destination, costs, scenario, n, 0 if s is None else s)
    gc = _costs_by_segment(alts, table, base, consts)
    out = _logit(gc, theta)
    w = table["weight"].to_numpy()
    out["total"] = out[list(table.index)].to_numpy() @ (w / w.sum())
    out = out.sort_values("total", ascending=False, kind="stable")
    out.attrs.update(
        scale=theta,
        constants=dict(consts),
        weights={str(k): float(v) for k, v in table["weight"].items()},
        gc={
            str(k): {str(c): float(v) for c, v in row.items()}
            for k, row in gc.loc[out.index].iterrows()
        },
    )
    return out


@dataclass(frozen=True)
class Calibration:
    """The fitted logit: ``scale`` (USD per TEU), ``constants`` and the ``fit`` table
    (per target: published share, tolerance, model share, within tolerance)."""

    scale: float
    constants: dict[str, float]
    fit: pd.DataFrame


def load_targets(source: str | os.PathLike[str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """The calibration targets (``data/share_targets.csv`` by default), checked."""
    from corridor.io import bundled_data_path
    from corridor.tables import read_rows

    src, rows = read_rows(
        source if source is not None else bundled_data_path("share_targets.csv"), "targets"
    )
    problems: list[Problem] = []
    out = []
    for i, row in enumerate(rows):
        ident = str(row.get("id") or f"#{i + 1}")
        vals: dict[str, float] = {}
        for fld, lo, hi in (("published_share", 0.0, 1.0), ("tolerance", 0.0, 1.0),
                            ("sea_factor", 0.0, 100.0), ("rail_factor", 0.0, 100.0)):  # fmt: skip
            try:
                x = float(row.get(fld))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                problems.append(Problem(src, ident, fld, f"must be a number, got {row.get(fld)!r}"))
                continue
            if not (math.isfinite(x) and lo < x <= hi) or (fld == "published_share" and x >= 1):
                problems.append(Problem(src, ident, fld, f"must be in ({lo:g}, {hi:g}), got {x!r}"))
            vals[fld] = x
        for fld in ("origin", "destination", "corridors", "source"):
            if not isinstance(row.get(fld), str) or not str(row.get(fld)).strip():
                problems.append(Problem(src, ident, fld, "is required"))
        out.append({"id": ident, **{k: row.get(k) for k in ("origin", "destination", "corridors",
                    "source", "method", "year")}, **vals})  # fmt: skip
    if problems:
        raise DataError(problems)
    return pd.DataFrame(out).set_index("id")


def _target_share(alts: Sequence[_Alt], gc: pd.Series, scale: float, pattern: str) -> float:
    p = _logit(gc.to_frame(), scale).iloc[:, 0]
    inside = [a.key for a in alts if any(fnmatch.fnmatchcase(c, pattern) for c in a.corridors)]
    return float(p.loc[inside].sum())


def calibrate(
    net: Network, targets: pd.DataFrame | str | os.PathLike[str] | None = None
) -> Calibration:
    """Fit the logit scale and one constant per corridor pattern of the targets to the
    published shares, by least squares on (model - published) / tolerance.

    The average box of each target is the default cost model's (USD 54,500 at 1.3% a day);
    a target's ``sea_factor`` and ``rail_factor`` scale the freight of those modes on every
    alternative to the rates of its year.
    """
    from scipy import optimize

    from corridor.costs import CostModel as DefaultCosts
    from corridor.segments import load_segments

    t = load_targets(targets)
    base = DefaultCosts()
    generic = load_segments().iloc[:1].copy()
    generic.loc[:, ["value_usd_per_teu", "time_value_pct_per_day", "reliability_ratio"]] = [
        base.cargo_value_usd, base.time_value_pct_per_day, base.reliability_ratio,
    ]  # fmt: skip
    patterns = list(dict.fromkeys(t["corridors"]))
    cases = []
    for ident, row in t.iterrows():
        alts = _alternatives(net, row["origin"], row["destination"], None, None,
                             SHARE_SAMPLES, SHARE_SEED)  # fmt: skip
        factors = {"sea": row["sea_factor"], "rail": row["rail_factor"]}
        cases.append((ident, row, alts, factors))

    def shares(x: np.ndarray) -> list[float]:
        scale, consts = math.exp(x[0]), dict(zip(patterns, x[1:], strict=True))
        out = []
        for _, row, alts, factors in cases:
            gc = _costs_by_segment(alts, generic, base, consts, factors).iloc[:, 0]
            out.append(_target_share(alts, gc, scale, row["corridors"]))
        return out

    def residuals(x: np.ndarray) -> np.ndarray:
        got = np.asarray(shares(x))
        out: np.ndarray = (got - t["published_share"].to_numpy()) / t["tolerance"].to_numpy()
        return out

    x0 = np.array([math.log(DEFAULT_SCALE), *[DEFAULT_CONSTANTS.get(p, 0.0) for p in patterns]])
    fit = optimize.least_squares(residuals, x0, x_scale=[1.0] + [1e4] * len(patterns))
    got = shares(fit.x)
    table = t[["origin", "destination", "corridors", "published_share", "tolerance"]].copy()
    table["model_share"] = got
    table["within"] = (table["model_share"] - table["published_share"]).abs() <= table["tolerance"]
    return Calibration(
        float(math.exp(fit.x[0])), dict(zip(patterns, map(float, fit.x[1:]), strict=True)), table
    )
