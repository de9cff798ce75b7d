"""Corridor performance of a route: the time/cost–distance table and the CPMM indicators.

The **Time/Cost-Distance (TCD) method** was introduced by UNESCAP in 2004 (after Beresford
and Dubey, 1990, and Banomyong, 2000) and is the standard picture of corridor performance
used by UNESCAP, UNCTAD and the CAREC Corridor Performance Measurement and Monitoring
(CPMM). It plots cumulative distance on the x-axis against cumulative time or cumulative
cost on the y-axis, from origin to destination: each leg travelled is a sloped segment
(the flatter, the more efficient the mode), and every stop where the box does not move —
an intermodal transfer, a border crossing, a wait — is a vertical line whose length is
the time or cost lost there ("the longer the vertical line the bigger the problem").
:func:`tcd_table` gives those segments; :func:`corridor.plot.plot_tcd` draws them.

CPMM reports corridor speed two ways — **speed without delay** (distance over the time
spent moving) and **speed with delay** (distance over the whole journey time, stops
included) — beside the time and cost of clearing border-crossing points;
:func:`route_indicators` gives those for a route.

References
----------
- UNESCAP, *Time/Cost-Distance Methodology*,
  https://www.unescap.org/resources/timecost-distance-methodology
- UNESCAP, *Introduction to the UNESCAP Time/Cost-Distance Methodology*,
  http://unescap.org/ttdw/common/TFS/ImprovingTx/VV1/All/Personal%20Web%20Page_March_06.htm
- CAREC, *Corridor Performance Measurement and Monitoring* (annual reports; indicators
  "speed without delay" and "speed with delay"), https://cpmm.carecprogram.org/2023-report
- Beresford, A. K. C. and Dubey, R. C. (1990), *Handbook on the Management and Operation
  of Dry Ports*, UNCTAD; Banomyong, R. (2000), *Multimodal Transport Corridors in South
  East Asia*, PhD thesis, Cardiff University.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corridor._errors import DataError

if TYPE_CHECKING:
    from corridor.routing import Route

__all__ = ["INDICATORS", "STOP_CATEGORIES", "route_indicators", "tcd_table"]

#: category of each kind of leg in :attr:`corridor.Route.legs`; a ``crossing`` is a
#: ``"border"`` when it is a border crossing and a ``"passage"`` (a canal, strait or lock)
#: otherwise. Any other kind is ``"other"``.
STOP_CATEGORIES = {
    "link": "moving",
    "crossing": "border",
    "transfer": "transfer",
    "gauge_change": "transfer",
    "port": "transfer",
    "wait": "wait",
}

#: the keys of :func:`route_indicators`, in order
INDICATORS = (
    "speed_without_delay_kmh",
    "speed_with_delay_kmh",
    "hours_share_border",
    "hours_share_transfer",
    "hours_share_wait",
    "usd_share_border",
    "usd_share_transfer",
)

_TCD_COLUMNS = [
    "kind", "category", "mode", "from", "to", "line", "km", "hours", "usd",
    "km_start", "km_end", "hours_start", "hours_end", "usd_start", "usd_end",
]  # fmt: skip


def _check_route(route: object, name: str = "route") -> Route:
    from corridor.routing import Route

    if not isinstance(route, Route):
        raise DataError(
            f"{name} must be a corridor.Route (from corridor.route()), got {type(route).__name__}"
        )
    return route


def _category(kind: str, line: object) -> str:
    """The category of one leg (see :data:`STOP_CATEGORIES`)."""
    if kind == "crossing":
        return "border" if str(line).startswith("border crossing") else "passage"
    return STOP_CATEGORIES.get(kind, "other")


def tcd_table(route: Route) -> pd.DataFrame:
    """The route's legs as time/cost–distance segments, in travel order.

    One row per row of :attr:`corridor.Route.legs`: a ``link`` is a sloped segment from
    ``(km_start, hours_start)`` to ``(km_end, hours_end)`` (and likewise for USD); every
    other leg (``wait``, ``transfer``, ``gauge_change``, ``crossing``, ``port``) has
    ``km == 0`` and is a vertical step at ``km_start == km_end``. The cumulative columns
    start at 0 and end at the route's ``total_km``, ``total_hours`` and ``total_usd``.

    Parameters
    ----------
    route : corridor.Route

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``category`` (``"moving"``, ``"border"``, ``"passage"``,
        ``"transfer"``, ``"wait"`` or ``"other"``: how :func:`route_indicators` counts the
        leg), ``mode`` (of a link; for a stop, what ``legs`` says, e.g. ``"road→rail"``),
        ``from``, ``to`` (hub ids), ``line`` (the line, service or process), ``km``,
        ``hours``, ``usd`` (per TEU), and the cumulative ``km_start``, ``km_end``,
        ``hours_start``, ``hours_end``, ``usd_start``, ``usd_end``.

    Notes
    -----
    A service whose published transit time includes its border stops (the China–Europe
    trains) carries those hours in its links, so its border crossings are steps of cost
    but of 0 hours. A scenario that shortens such a border could make a crossing's hours
    negative (a step down); the cumulative columns are then not monotonic.

    Examples
    --------
    >>> import corridor as cr
    >>> r = cr.route(cr.load_network(), "Kunming", "Vientiane", modes=["rail"])
    >>> t = tcd_table(r)
    >>> t["kind"].tolist()
    ['wait', 'link', 'link', 'crossing', 'link']
    >>> t[["km", "hours", "usd"]].iloc[3].round(1).tolist()  # the border: a vertical step
    [0.0, 7.0, 264.0]
    >>> round(float(t["km_end"].iloc[-1]), 1), round(float(t["hours_end"].iloc[-1]), 1)
    (1038.5, 40.1)
    """
    route = _check_route(route)
    legs = route.legs
    out = pd.DataFrame(
        {
            "kind": legs["kind"].astype(str),
            "category": [
                _category(k, line) for k, line in zip(legs["kind"], legs["line"], strict=True)
            ],
            "mode": legs["mode"].astype(str),
            "from": legs["from"].astype(str),
            "to": legs["to"].astype(str),
            "line": legs["line"].fillna("").astype(str),
        }
    )
    for col in ("km", "hours", "usd"):
        values = legs[col].to_numpy(dtype=np.float64)
        end = np.cumsum(values)
        start = np.zeros_like(end)
        start[1:] = end[:-1]  # exactly where the leg before ended
        out[col] = values
        out[f"{col}_start"] = start
        out[f"{col}_end"] = end
    return out.reset_index(drop=True)[_TCD_COLUMNS]


def _ratio(num: float, den: float) -> float:
    """``num / den``, NaN where ``den`` is 0 (nothing to divide by)."""
    return num / den if den > 0 else math.nan


def route_indicators(route: Route) -> dict[str, float]:
    """The CAREC CPMM corridor indicators of a route (per TEU, expected waits included).

    Parameters
    ----------
    route : corridor.Route

    Returns
    -------
    dict of str to float
        ``speed_without_delay_kmh``
            km over the hours spent moving on links (CPMM's "speed without delay").
        ``speed_with_delay_kmh``
            km over all hours, door to door (CPMM's "speed with delay").
        ``hours_share_border``, ``usd_share_border``
            Share (0 to 1) of the hours and of the USD spent at border crossings.
        ``hours_share_transfer``, ``usd_share_transfer``
            Share spent at transfers between modes, gauge changes and port processes
            (export, import, transshipment).
        ``hours_share_wait``
            Share of the hours spent waiting for departures.

        A value whose denominator is 0 (a route of 0 km, 0 hours or 0 USD) is NaN.
        Passages (the Suez Canal convoy, locks) count as delay in the speed with delay but
        in none of the shares, so the hour shares and the moving share need not sum to 1.

    Notes
    -----
    Borders are those of the model: a service whose published transit time includes its
    border stops carries their hours in its links (see :func:`tcd_table`), so such a
    route's ``hours_share_border`` is 0 and its speed without delay includes those stops.

    Examples
    --------
    >>> import corridor as cr
    >>> r = cr.route(cr.load_network(), "Kunming", "Vientiane", modes=["rail"])
    >>> ind = route_indicators(r)
    >>> round(ind["speed_without_delay_kmh"], 1), round(ind["speed_with_delay_kmh"], 1)
    (49.3, 25.9)
    >>> round(ind["hours_share_wait"], 3), round(ind["usd_share_border"], 3)
    (0.3, 0.525)
    """
    return indicators_of_legs(_check_route(route).legs)


def indicators_of_legs(legs: pd.DataFrame) -> dict[str, float]:
    """:func:`route_indicators` of a route's ``legs`` table (for callers that have it)."""
    km = legs["km"].to_numpy(dtype=np.float64)
    hours = legs["hours"].to_numpy(dtype=np.float64)
    usd = legs["usd"].to_numpy(dtype=np.float64)
    cats = [_category(k, line) for k, line in zip(legs["kind"], legs["line"], strict=True)]
    h_by: dict[str, float] = {}
    u_by: dict[str, float] = {}
    for c, h, u in zip(cats, hours.tolist(), usd.tolist(), strict=True):
        h_by[c] = h_by.get(c, 0.0) + h
        u_by[c] = u_by.get(c, 0.0) + u
    total_km, total_h, total_u = float(km.sum()), float(hours.sum()), float(usd.sum())
    return {
        "speed_without_delay_kmh": (
            _ratio(total_km, h_by.get("moving", 0.0)) if total_km > 0 else math.nan
        ),
        "speed_with_delay_kmh": _ratio(total_km, total_h) if total_km > 0 else math.nan,
        "hours_share_border": _ratio(h_by.get("border", 0.0), total_h),
        "hours_share_transfer": _ratio(h_by.get("transfer", 0.0), total_h),
        "hours_share_wait": _ratio(h_by.get("wait", 0.0), total_h),
        "usd_share_border": _ratio(u_by.get("border", 0.0), total_u),
        "usd_share_transfer": _ratio(u_by.get("transfer", 0.0), total_u),
    }
