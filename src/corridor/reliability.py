"""Transit-time distributions: what varies on a route, by how much, and its percentiles.

Every time on a route that varies (waiting for a departure, running a train, truck, ship or
barge, a border process, a lock or canal, port dwell and customs, transshipment, terminal
handling) has a distribution in ``data/sources/reliability.csv``: a family, a *shape* fitted
with :mod:`scipy.stats` / :mod:`scipy.optimize` to published means, percentiles or on-time
shares, and a *shift* (the share of the time that never varies), each row with its
``source`` and ``method``. The route's own figure for that time is the distribution's
**mean** (the deterministic router and the sampler agree): an element of ``h`` hours takes
``h * (shift + (1 - shift) * Y)`` with ``E[Y] = 1``:

=========  ======================================================================
family     unit-mean variate ``Y``
=========  ======================================================================
uniform    ``U(0, 2)``: the wait of a box arriving at random for a periodic departure
lognorm    ``exp(shape * Z - shape**2 / 2)``, ``Z`` standard normal
gamma      ``Gamma(shape, scale=1/shape)``
=========  ======================================================================

Correlation where it matters: all the legs of one vehicle share one draw (a late ship is
late at every later port, a slow train is slow all the way, one truck keeps its pace), and
the export and import processes of one border crossing share one draw (a congested border
is congested for the whole train); different vehicles, borders and ports are independent.
The sampling runs in :func:`corridor._kernels.sample_sums`.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corridor._checks import check_int, check_number, check_seed, shown
from corridor._errors import DataError, NoRouteError, Problem

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from corridor.costs import CostModel
    from corridor.network import Network
    from corridor.routing import Route
    from corridor.scenario import Scenario

__all__ = [
    "COMPONENTS",
    "FAMILIES",
    "Distribution",
    "TransitTime",
    "fit_distribution",
    "load_distributions",
    "read_distributions",
    "transit_time",
]

#: families of the unit-mean variate; codes are the kernel's (0: no variation)
FAMILIES = ("uniform", "lognorm", "gamma")
FIXED, UNIFORM, LOGNORM, GAMMA = 0, 1, 2, 3
_CODE = {"uniform": UNIFORM, "lognorm": LOGNORM, "gamma": GAMMA}

#: what varies, and which arcs of a route it covers
COMPONENTS: dict[str, str] = {
    "wait": "waiting for a departure (a service or an unscheduled vehicle)",
    "rail": "running a train that stays in one country",
    "rail_international": "running a train across borders (its border stops included)",
    "road": "driving a truck (with its breaks and rests)",
    "sea": "sailing a ship (schedule reliability)",
    "inland_waterway": "sailing a barge",
    "air": "flying",
    "border_rail": "a border process for a train (export and import together)",
    "border_road": "a border process for a truck (export and import together)",
    "lock": "a lock, canal or strait passage",
    "port": "port dwell and customs (export or import)",
    "transshipment": "a box changing ships at a port",
    "handling": "a change of mode or gauge at a terminal",
}
#: components a hub-specific row may refine (the others vary by vehicle, not place)
_AT_HUB = ("border_rail", "border_road", "lock", "port", "transshipment", "handling")

#: published statistics a row may give (hours, except the share)
STATS = ("mean_h", "min_h", "p10_h", "p50_h", "p90_h", "p95_h", "on_time_h", "on_time_share")
COLUMNS = (
    "component", "hub", "family", "shift", *STATS, "shape", "source", "method", "year",
)  # fmt: skip
_Q = {"p10_h": 0.10, "p50_h": 0.50, "p90_h": 0.90, "p95_h": 0.95}
#: the most samples one call draws
MAX_SAMPLES = 10_000_000


@dataclass(frozen=True, slots=True)
class Distribution:
    """The distribution of one time component (at one hub, or the default).

    Parameters
    ----------
    component : str
        A key of :data:`COMPONENTS`.
    hub : str
        The hub id it applies at, or ``""`` for the component's default.
    family : {"uniform", "lognorm", "gamma"}
    shape : float
        lognorm: sigma of the log; gamma: the shape ``k`` (coefficient of variation
        ``1/sqrt(k)``); uniform: unused (0).
    shift : float
        Share of the mean that never varies, in [0, 1).
    source, method, year : str
    """

    component: str
    hub: str
    family: str
    shape: float
    shift: float
    source: str = ""
    method: str = ""
    year: str = ""

    @property
    def cv(self) -> float:
        """Coefficient of variation of the time (std / mean)."""
        return (1.0 - self.shift) * math.sqrt(_unit_var(self.family, self.shape))

    def quantile(self, q: float | NDArray[np.float64], mean: float = 1.0) -> Any:
        """The ``q`` quantile(s) of the time whose mean is ``mean``.

        Examples
        --------
        >>> d = Distribution("sea", "", "lognorm", 0.5, 0.0)
        >>> round(float(d.quantile(0.5, 10.0)), 3)  # exp(-0.125) * 10
        8.825
        """
        return mean * (self.shift + (1.0 - self.shift) * _unit_ppf(self.family, self.shape, q))

    def cdf(self, t: float | NDArray[np.float64], mean: float = 1.0) -> Any:
        """Probability that the time (with mean ``mean``) is at most ``t``."""
        y = (np.asarray(t, dtype=float) / mean - self.shift) / (1.0 - self.shift)
        return _unit_cdf(self.family, self.shape, y)


def _unit_var(family: str, shape: float) -> float:
    if family == "uniform":
        return 1.0 / 3.0
    if family == "lognorm":
        return math.expm1(shape * shape)
    return 1.0 / shape


def _unit_ppf(family: str, shape: float, q: Any) -> Any:
    from scipy import stats

    q = np.asarray(q, dtype=float)
    if family == "uniform":
        return 2.0 * q
    if family == "lognorm":
        return np.exp(shape * stats.norm.ppf(q) - 0.5 * shape * shape)
    return stats.gamma.ppf(q, shape, scale=1.0 / shape)


def _unit_cdf(family: str, shape: float, y: Any) -> Any:
    from scipy import stats

    y = np.asarray(y, dtype=float)
    if family == "uniform":
        return np.clip(y / 2.0, 0.0, 1.0)
    pos = np.maximum(y, 1e-300)
    if family == "lognorm":
        out = stats.norm.cdf((np.log(pos) + 0.5 * shape * shape) / shape)
    else:
        out = stats.gamma.cdf(pos, shape, scale=1.0 / shape)
    return np.where(y > 0, out, 0.0)


def fit_distribution(
    family: str,
    *,
    shift: float | None = None,
    mean_h: float | None = None,
    min_h: float | None = None,
    p10_h: float | None = None,
    p50_h: float | None = None,
    p90_h: float | None = None,
    p95_h: float | None = None,
    on_time_h: float | None = None,
    on_time_share: float | None = None,
) -> tuple[float, float]:
    """``(shape, shift)`` of a family fitted to published figures of one time.

    The unknowns are the shape, the shift unless given, and the mean unless given; there
    must be at least as many published figures (percentiles, an on-time share with its
    deadline) as unknowns. Percentiles are fitted on a log scale, the on-time share as a
    probability, by least squares (:func:`scipy.optimize.least_squares`).

    Raises
    ------
    DataError
        Too few figures, figures that contradict each other (p90 below p50) or a fit that
        cannot reproduce them within 5%.

    Examples
    --------
    >>> shape, shift = fit_distribution("lognorm", shift=0.0, p50_h=48, p90_h=96)
    >>> round(shape, 4)  # ln 2 / 1.2816
    0.5409
    """
    if family not in FAMILIES:
        raise DataError(f"family must be one of {', '.join(FAMILIES)}, got {shown(family)}")
    if family == "uniform":
        return 0.0, 0.0 if shift is None else float(shift)
    given = {"p10_h": p10_h, "p50_h": p50_h, "p90_h": p90_h, "p95_h": p95_h}
    quantiles = [(q, v) for k, q in _Q.items() if (v := given[k]) is not None]
    if (on_time_h is None) != (on_time_share is None):
        raise DataError("on_time_h and on_time_share go together: give both or neither")
    if on_time_share is not None and not 0.0 < on_time_share < 1.0:
        raise DataError(f"on_time_share must be between 0 and 1, got {on_time_share!r}")
    known = sorted(quantiles)
    for (qa, va), (qb, vb) in itertools.pairwise(known):
        if vb <= va:
            raise DataError(
                f"p{round(qb * 100)}_h ({vb:g}) must be above p{round(qa * 100)}_h ({va:g})"
            )
    if min_h is not None and quantiles and min_h >= quantiles[0][1]:
        raise DataError(f"min_h ({min_h:g}) must be below every percentile")
    n_figures = len(quantiles) + (on_time_share is not None) + (min_h is not None)
    n_unknown = 1 + (shift is None) + (mean_h is None)
    if n_figures < n_unknown:
        raise DataError(
            f"{n_figures} published figure(s) cannot fix {n_unknown} unknowns (shape"
            + (", shift" if shift is None else "")
            + (", mean" if mean_h is None else "")
            + "): give more percentiles or an on-time share"
        )
    from scipy import optimize

    deadline = float(on_time_h) if on_time_h is not None else 0.0
    scale = mean_h or max([v for _, v in quantiles] + [on_time_h or 0.0])

    def unpack(x: NDArray[np.float64]) -> tuple[float, float, float]:
        i = 1
        s = float(shift) if shift is not None else float(x[i])
        i += shift is None
        m = float(mean_h) if mean_h is not None else float(x[i]) * scale
        return float(x[0]), s, m

    def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
        shape, s, m = unpack(x)
        d = Distribution("", "", family, shape, s)
        out = [math.log(float(d.quantile(q, m)) / v) for q, v in quantiles]
        if on_time_share is not None:
            out.append(float(d.cdf(deadline, m)) - on_time_share)
        if min_h is not None:
            out.append(math.log(max(s * m, 1e-12) / min_h) if min_h > 0 else s)
        return np.asarray(out)

    x0 = [0.5 if family == "lognorm" else 4.0]
    lo, hi = [1e-4], [5.0 if family == "lognorm" else 1e4]
    if shift is None:
        x0.append(0.3)
        lo.append(0.0)
        hi.append(0.99)
    if mean_h is None:
        x0.append(1.0)
        lo.append(1e-3)
        hi.append(1e3)
    fit = optimize.least_squares(residuals, x0, bounds=(lo, hi))
    shape, s, m = unpack(fit.x)
    d = Distribution("", "", family, shape, s)
    for q, v in quantiles:
        got = float(d.quantile(q, m))
        if abs(got / v - 1.0) > 0.05:
            raise DataError(
                f"a {family} cannot match the published figures: p{round(q * 100)} comes out "
                f"{got:.4g} h against {v:g} h"
            )
    if on_time_share is not None and abs(float(d.cdf(deadline, m)) - on_time_share) > 0.05:
        raise DataError(
            f"a {family} cannot match the published on-time share {on_time_share:g}: "
            f"fitted {float(d.cdf(deadline, m)):.3f}"
        )
    return shape, s


def read_distributions(
    source: str | os.PathLike[str] | pd.DataFrame,
    hubs: Iterable[str] | None = None,
    *,
    refit: bool = True,
) -> pd.DataFrame:
    """The distribution table, checked (and fitted): one row per (component, hub).

    Parameters
    ----------
    source : path or DataFrame
        CSV or JSON with :data:`COLUMNS` (``shape`` may be empty when ``refit``).
    hubs : iterable of str, optional
        Known hub ids: a row naming another hub is an error.
    refit : bool
        Fit ``shape`` (and ``shift`` where empty) to the published figures; otherwise take
        the table's ``shape`` and ``shift`` as they are.

    Raises
    ------
    DataError
        Every problem, named by row and field: an unknown component, hub or family, a
        negative or non-finite figure, a shift outside [0, 1), an on-time share outside
        (0, 1), p90 below p50, a shape <= 0, a component without a default row, or a
        (component, hub) twice.
    """
    from corridor.tables import cell_number, read_rows

    src, rows = read_rows(source, "distributions")
    known = set(hubs) if hubs is not None else None
    problems: list[Problem] = []
    out = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows):
        comp = row.get("component")
        hub = row.get("hub")
        hub = "" if hub is None or (isinstance(hub, float) and math.isnan(hub)) else hub
        label = f"#{i + 1} ({comp}{'@' + str(hub) if hub else ''})"
        before = len(problems)

        def bad(fld: str, message: str, label: str = label) -> None:
            problems.append(Problem(src, label, fld, message))

        if comp not in COMPONENTS:
            bad("component", f"unknown component {comp!r}; one of {', '.join(COMPONENTS)}")
        if not isinstance(hub, str):
            bad("hub", f"must be a hub id or empty, got {hub!r}")
        elif hub and known is not None and hub not in known:
            bad("hub", f"unknown hub {hub!r}")
        elif hub and comp in COMPONENTS and comp not in _AT_HUB:
            bad("hub", f"{comp} varies by vehicle, not by hub: leave hub empty")
        family = row.get("family")
        if family not in FAMILIES:
            bad("family", f"must be one of {', '.join(FAMILIES)}, got {family!r}")
        nums: dict[str, float | None] = {}
        for fld in ("shift", *STATS, "shape"):
            try:
                nums[fld] = cell_number(row.get(fld))
            except ValueError as exc:
                bad(fld, str(exc))
        s = nums.get("shift")
        if s is not None and not s < 1.0:
            bad("shift", f"must be in [0, 1), got {s!r}")
        share = nums.get("on_time_share")
        if share is not None and not 0.0 < share < 1.0:
            bad("on_time_share", f"must be between 0 and 1 (a share), got {share!r}")
        text = {k: row.get(k) for k in ("source", "method", "year")}
        src_text = text["source"]
        if not isinstance(src_text, str) or not src_text.strip():
            bad("source", "must say where the figures come from")
        key = (str(comp), str(hub))
        if key in seen:
            bad("component", "the same component and hub twice")
        seen.add(key)
        if len(problems) > before:
            continue
        shape, shift = nums.get("shape"), nums.get("shift")
        if refit or shape is None:
            try:
                shape, shift = fit_distribution(
                    str(family), **{k: v for k, v in nums.items() if k in STATS or k == "shift"}
                )
            except DataError as exc:
                bad("family", str(exc))
                continue
        if family != "uniform" and not (shape is not None and shape > 0):
            bad("shape", f"must be > 0, got {shape!r}")
            continue
        out.append(
            {"component": comp, "hub": hub, "family": family,
             "shift": float(shift or 0.0), **{k: nums.get(k) for k in STATS},
             "shape": float(shape or 0.0),
             **{k: "" if v is None else str(v) for k, v in text.items()}}
        )  # fmt: skip
    for comp in COMPONENTS:
        if not any(r["component"] == comp and not r["hub"] for r in out) and not any(
            p.feature and p.feature.startswith("#") and f"({comp}" in p.feature for p in problems
        ):
            problems.append(Problem(src, None, "component", f"no default row for {comp!r}"))
    if problems:
        raise DataError(problems)
    df = pd.DataFrame(out, columns=list(COLUMNS))
    return df.set_index(["component", "hub"])


def to_json(df: pd.DataFrame) -> str:
    """The table as the bundled JSON (fitted shape and shift kept to 6 significant digits)."""
    rows = []
    for rec in df.reset_index().to_dict("records"):
        rec = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        rec["shape"] = float(f"{rec['shape']:.6g}")
        rec["shift"] = float(f"{rec['shift']:.6g}")
        rows.append(rec)
    return json.dumps(rows, ensure_ascii=False, indent=0) + "\n"


@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    from corridor.io import bundled_data_path

    return read_distributions(bundled_data_path("reliability.json"), refit=False)


def load_distributions(
    source: str | os.PathLike[str] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The distribution table: the bundled one (``data/reliability.json``, fitted from
    ``data/sources/reliability.csv`` by ``scripts/build_data.py``), or yours, checked and
    fitted (see :func:`read_distributions`).

    Examples
    --------
    >>> d = load_distributions()
    >>> d.loc[("wait", ""), "family"]
    'uniform'
    """
    if source is None:
        return _bundled()
    return read_distributions(source)


#: distributions by (component, hub) of the tables last used (the table is kept, so its
#: id is not reused while cached)
_BY_KEY: dict[int, tuple[pd.DataFrame, dict[tuple[str, str], Distribution]]] = {}


def _distributions(table: pd.DataFrame) -> dict[tuple[str, str], Distribution]:
    hit = _BY_KEY.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    out = {}
    for rec in table.reset_index().to_dict("records"):
        comp, hub = str(rec["component"]), str(rec["hub"])
        out[(comp, hub)] = Distribution(
            comp, hub, str(rec["family"]), float(rec["shape"]), float(rec["shift"]),
            str(rec["source"]), str(rec["method"]), str(rec["year"]),
        )  # fmt: skip
    if len(_BY_KEY) > 8:
        _BY_KEY.clear()
    _BY_KEY[id(table)] = (table, out)
    return out


def _lookup(table: pd.DataFrame, component: str, hub: str) -> Distribution:
    d = _distributions(table)
    return d.get((component, hub)) or d[(component, "")]


@dataclass(frozen=True, slots=True)
class _Group:
    """Elements of a route that share one draw."""

    component: str
    hub: str
    what: str
    hours: float
    dist: Distribution | None  # None: does not vary (a known timetable wait)


def _groups(r: Route, table: pd.DataFrame) -> list[_Group]:
    """The route's times, grouped by what shares a draw, with their distributions."""
    from corridor._compile import (
        ALIGHT,
        ATTACH,
        BOARD,
        GAUGE,
        LINK,
        PORT,
        RIDE,
        TRANSFER,
        _static,
    )  # fmt: skip
    from corridor._compile import COMPONENTS as COST_PARTS
    from corridor._schema import MODES

    g = r._graph
    st = _static(g.net)
    arcs = np.asarray(r._arcs, dtype=np.int64)
    border_row = COST_PARTS.index("border_hours")
    border = g.components[border_row, arcs] if arcs.size else np.zeros(0)
    hours = g.criteria[1, arcs]
    cross = g.cross_hours[arcs]
    waits = r._waits()
    timed = r._times is not None
    names = st.hub_names
    groups: list[_Group] = []
    vehicle: dict[str, Any] | None = None  # the run of one vehicle being built

    def close() -> None:
        nonlocal vehicle
        if vehicle is not None and vehicle["hours"] > 0:
            comp = vehicle["component"]
            if comp == "rail" and vehicle["international"]:
                comp = "rail_international"
            groups.append(
                _Group(comp, "", vehicle["what"], vehicle["hours"], _lookup(table, comp, ""))
            )
        vehicle = None

    def add(comp: str, hub: int, what: str, h: float) -> None:
        if h > 0:
            hid = g.hub_ids[hub]
            groups.append(_Group(comp, hid, what, float(h), _lookup(table, comp, hid)))

    for i, a in enumerate(arcs.tolist()):
        kind, h_arc, hub = int(g.kind[a]), float(hours[i]), int(g.hub[a])
        mode = MODES[int(g.arc_mode[a])] if g.arc_mode[a] >= 0 else ""
        if kind in (LINK, RIDE) or (kind == GAUGE and g.service[a] >= 0):
            key = f"{kind == RIDE}:{int(g.service[a])}:{mode}"
            if kind == GAUGE:
                key = vehicle["key"] if vehicle is not None else key
            if vehicle is None or vehicle["key"] != key:
                close()
                svc = int(g.service[a])
                what = g.service_ids[svc] if svc >= 0 else f"{mode.replace('_', ' ')} run"
                vehicle = {"key": key, "component": mode, "what": what, "hours": 0.0,
                           "international": False}  # fmt: skip
            run = h_arc - float(cross[i]) if kind != GAUGE else h_arc
            vehicle["hours"] += max(run, 0.0)
            if kind != GAUGE:
                li = int(g.link[a])
                if st.hub_countries[st.a[li]] != st.hub_countries[st.b[li]]:
                    vehicle["international"] = True
                b_h = float(border[i])
                lock_h = float(cross[i]) - b_h
                tag = "border_road" if mode == "road" else "border_rail"
                add(tag, hub, f"border at {names[hub]}", b_h)
                add("lock", hub, f"passage at {names[hub]}", lock_h)
            continue
        if kind == BOARD:
            close()
            svc = int(g.service[a])
            what = f"wait for {g.service_ids[svc]}" if svc >= 0 else f"wait at {names[hub]}"
            w = float(waits[i])
            if w > 0:
                dist = None if timed else _lookup(table, "wait", "")
                groups.append(_Group("wait", g.hub_ids[hub], what, w, dist))
            continue
        if kind in (ATTACH, ALIGHT):
            continue
        close()
        if kind == PORT:
            head_is_sink = int(g.indices[a]) >= g.n_states
            tail_is_source = int(g.tail[a]) >= g.n_states
            if head_is_sink or tail_is_source:
                side = "import" if head_is_sink else "export"
                add("port", hub, f"{side} at {names[hub]}", h_arc)
            else:
                add("transshipment", hub, f"transshipment at {names[hub]}", h_arc)
        elif kind == TRANSFER:
            water = mode in ("sea", "inland_waterway") or bool(st.seaport[hub])
            add("port" if water and st.seaport[hub] else "handling", hub,
                f"transfer at {names[hub]}", h_arc)  # fmt: skip
        elif kind == GAUGE:
            add("handling", hub, f"gauge change at {names[hub]}", h_arc)
    close()
    return groups


def _arrays(
    groups: Sequence[_Group],
) -> tuple[NDArray[np.float64], NDArray[np.int8], NDArray[np.float64], NDArray[np.float64]]:
    hours = np.array([x.hours for x in groups], dtype=np.float64)
    fam = np.array([_CODE[x.dist.family] if x.dist else FIXED for x in groups], dtype=np.int8)
    shape = np.array([x.dist.shape if x.dist else 0.0 for x in groups], dtype=np.float64)
    shift = np.array([x.dist.shift if x.dist else 1.0 for x in groups], dtype=np.float64)
    return hours, fam, shape, shift


def sample_route(r: Route, samples: int, seed: int, table: pd.DataFrame | None = None) -> Any:
    """``samples`` door-to-door hours of route ``r`` (the kernel's draw, seeded)."""
    from corridor._kernels import sample_sums

    groups = _groups(r, table if table is not None else _bundled())
    hours, fam, shape, shift = _arrays(groups)
    rng = np.random.default_rng(seed)
    return sample_sums(hours, fam, shape, shift, samples, rng), groups


@dataclass(frozen=True, eq=False)
class TransitTime:
    """The distribution of a route's door-to-door time, as samples (hours).

    Attributes
    ----------
    route : Route
        The route sampled; ``route.total_hours`` is the distribution's mean.
    hours : numpy.ndarray
        The samples, hours.
    seed : int
        The seed that reproduces them.
    corridor : str or None
        The corridor asked for, if any.
    """

    route: Route
    hours: NDArray[np.float64] = field(repr=False)
    seed: int
    corridor: str | None
    _groups: tuple[_Group, ...] = field(repr=False)

    def __repr__(self) -> str:
        p = self.percentiles([50, 90, 95])["days"]
        return (
            f"TransitTime({self.route.origin} → {self.route.destination}"
            f"{', ' + self.corridor if self.corridor else ''}: mean {self.mean / 24:.1f} d, "
            f"p50 {p[50]:.1f} d, p90 {p[90]:.1f} d, p95 {p[95]:.1f} d; "
            f"{self.hours.size:,} samples, seed {self.seed})"
        )

    @property
    def mean(self) -> float:
        """Mean of the samples, hours (the route's ``total_hours`` up to sampling error)."""
        return float(self.hours.mean())

    @property
    def std(self) -> float:
        """Standard deviation of the samples, hours."""
        return float(self.hours.std(ddof=1)) if self.hours.size > 1 else 0.0

    def percentiles(self, q: float | Sequence[float] = (50, 90, 95)) -> pd.DataFrame:
        """Percentiles ``q`` (0-100) in hours and days, one row each.

        Examples
        --------
        >>> import corridor as cr
        >>> t = cr.transit_time(cr.load_network(), "Kunming", "Vientiane", seed=1)
        >>> p = t.percentiles([50, 90])
        >>> bool(p.loc[50, "hours"] < p.loc[90, "hours"])
        True
        """
        qs: list[float] = [q] if isinstance(q, int | float) else list(q)
        vals = [check_number("q", x, ge=0.0, le=100.0) for x in qs]
        h = np.percentile(self.hours, vals)
        return pd.DataFrame({"hours": h, "days": h / 24.0}, index=pd.Index(qs, name="percentile"))

    def on_time(self, deadline: float, *, unit: str = "days") -> float:
        """Probability of arriving within ``deadline`` (``unit``: ``"days"`` or ``"hours"``)."""
        if unit not in ("days", "hours"):
            raise DataError(f"unit must be 'days' or 'hours', got {shown(unit)}")
        d = check_number("deadline", deadline, ge=0.0, le=1e6)
        limit = d * 24.0 if unit == "days" else d
        return float(np.mean(self.hours <= limit))

    def components(self) -> pd.DataFrame:
        """What varies on the route: one row per element that draws on its own (a vehicle's
        run, a border, a port, a wait), with its mean, standard deviation and share of the
        variance (exact, from the fitted distributions), and the distribution's source."""
        rows = []
        for x in self._groups:
            sd = x.hours * x.dist.cv if x.dist else 0.0
            rows.append({
                "component": x.component, "what": x.what, "hours": x.hours, "std_hours": sd,
                "family": x.dist.family if x.dist else "fixed",
                "source": x.dist.source if x.dist else "timetable",
            })  # fmt: skip
        df = pd.DataFrame(rows)
        var = df["std_hours"] ** 2
        df.insert(4, "variance_share", var / var.sum() if var.sum() > 0 else 0.0)
        return df

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> tuple[Figure, Axes]:
        """A histogram of the samples in days, with P50/P90/P95 marked."""
        from corridor.plot import plot_transit_time

        return plot_transit_time(self, ax=ax, **kwargs)


#: samples a by="p50"/"p90"/"p95" route search draws per candidate, and its seed
SEARCH_SAMPLES, SEARCH_SEED = 4_000, 20_261_129
#: percentile criteria of :func:`corridor.route`
PERCENTILE_CRITERIA = {"p50": 50.0, "p90": 90.0, "p95": 95.0}


def candidates(
    net: Network, o: str, d: str, *, k: int, costs: CostModel | None, scenario: Scenario | None
) -> list[Route]:
    """Candidate routes for a percentile search: the ``k`` fastest and ``k`` cheapest by
    generalized cost (Yen's loopless paths, distinct physical routes)."""
    from corridor.tradeoffs import k_shortest

    out: dict[tuple[int, ...], Route] = {}
    for by in ("hours", "generalized"):
        for r in k_shortest(net, o, d, k, by=by, costs=costs, scenario=scenario):
            out.setdefault(tuple(int(a) for a in r._arcs), r)
    return list(out.values())


def best_by_percentile(routes: Sequence[Route], q: float) -> Route:
    """The route of ``routes`` with the smallest ``q`` percentile, by common random
    numbers (every candidate sampled with the same seed)."""
    best, best_v = None, math.inf
    for r in routes:
        h, _ = sample_route(r, SEARCH_SAMPLES, SEARCH_SEED)
        v = float(np.percentile(h, q))
        if v < best_v - 1e-9:
            best, best_v = r, v
    if best is None:
        raise NoRouteError("no candidate route")
    return best


def transit_time(
    net: Network,
    origin: str,
    destination: str,
    *,
    corridor: str | None = None,
    by: str = "generalized",
    samples: int = 10_000,
    seed: int | None = None,
    costs: CostModel | None = None,
    scenario: Scenario | None = None,
) -> TransitTime:
    """The distribution of the door-to-door time of the best route (within ``corridor``).

    Parameters
    ----------
    net : Network
    origin, destination : str
        Hub ids, names or aliases.
    corridor : str, optional
        A corridor id (``corridor corridors``): its best route; otherwise the best route.
    by : str
        What the route minimises (as :func:`corridor.route`; also ``"p50"``, ``"p90"``,
        ``"p95"``).
    samples : int
        Draws, 1 to 10,000,000.
    seed : int, optional
        Reproduces the draws; a fresh one (recorded in ``.seed``) if omitted.
    costs, scenario
        As :func:`corridor.route`.

    Examples
    --------
    >>> import corridor as cr
    >>> t = cr.transit_time(cr.load_network(), "Guiyang", "Singapore", seed=7)
    >>> abs(t.mean / t.route.total_hours - 1) < 0.02
    True
    >>> 0 < t.on_time(t.percentiles(90).loc[90, "days"]) <= 1
    True
    """
    from corridor.compare import corridor_routes
    from corridor.routing import _check_by, route

    n = check_int("samples", samples, ge=1, le=MAX_SAMPLES)
    s = check_seed("seed", seed)
    if s is None:
        s = int(np.random.default_rng().integers(0, 2**31 - 1))
    if corridor is not None:
        if not isinstance(corridor, str):
            raise DataError(f"corridor must be a corridor id (a string), got {shown(corridor)}")
        if by in PERCENTILE_CRITERIA:
            raise DataError(f"by={by!r} with a corridor: use a cost criterion")
        res = corridor_routes(
            net,
            origin,
            destination,
            by=_check_by(by),
            corridors=[corridor],
            costs=costs,
            scenario=scenario,
        )[corridor]
        if res.route is None:
            raise NoRouteError(f"corridor {corridor!r}: {res.reason or res.status}")
        r = res.route
    else:
        r = route(net, origin, destination, by=by, costs=costs, scenario=scenario)  # type: ignore[arg-type]
    h, groups = sample_route(r, n, s)
    return TransitTime(r, h, s, corridor, tuple(groups))
