"""The model against published figures: ``data/validation.csv`` and the check that runs it.

Each row is a published figure a shipper would check the model against (a distance, a
transit time, a door-to-door time, a rate per TEU) for an origin and destination, by a named
corridor or by a set of modes, with its published range and source. ``calibrated`` rows are
figures a parameter was fitted to; they are counted apart from the independent ones.

Where published figures disagree, every one is kept and the row says which is used
(``status``): a figure ``superseded`` by a newer or measured one of the same pair and
metric, or ``contradicted`` by another the model is held to, names that row
(``instead``); one ``out_of_scope`` says in its note why the model cannot be held to it
(a car's driving time, an unnamed destination, a crisis-week spot rate). The model is
run on all of them and the target counts the used ones, the others reported apart.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridor._checks import check_network, shown
from corridor._errors import DataError, NodeNotFound, NoRouteError, Problem
from corridor._schema import MODES
from corridor.costs import CRITERIA, CostModel
from corridor.network import Network

if TYPE_CHECKING:
    from corridor.routing import Route

__all__ = ["METRICS", "STATUSES", "load_validation", "validate_published"]

#: what a row's figure measures: route km; hours door to door (waits included); hours in
#: transit (from the first departure: without the wait for it, which a shipper times the
#: delivery of the box to, and without the export process at the port the route starts
#: from or the import process at the port it ends at, as a published port-to-port or
#: terminal-to-terminal time counts them; waits for later connections count); the same in
#: days; USD per TEU door to door; USD per TEU of freight (without the export process at
#: the port the route starts from and the import process at the port it ends at, whose
#: customs and documentation fees a published freight rate such as Drewry's World
#: Container Index leaves out)
#: ``wtw_g_per_tkm`` and ``wtw_g_per_teukm``: the route's well-to-wheel emissions over its
#: km (and the cost model's cargo tonnes per TEU): the intensity a shipper would derive
METRICS = (
    "km", "hours", "transit_hours", "days_transit", "usd", "usd_freight", "wtw_g_per_tkm",
    "wtw_g_per_teukm",
)  # fmt: skip
COLUMNS = (
    "id", "origin", "destination", "corridor", "modes", "metric", "published", "low", "high",
    "source", "year", "cost_model", "calibrated", "note",
)  # fmt: skip
#: optional columns: ``via`` (hubs the published route passes, ``;``-separated; with
#: ``modes`` only, as a corridor fixes its own way) and ``service`` (the figure is one
#: named service's: the model rides that service from origin to destination, both among
#: its stops, instead of choosing the best route; with ``modes`` holding its mode)
#: ``status`` (``used`` when empty; see the module note) and ``instead`` (the row used in
#: place of a ``superseded`` or ``contradicted`` one)
OPTIONAL = ("via", "service", "status", "instead")
STATUSES = ("used", "superseded", "contradicted", "out_of_scope")


def _text(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v).strip()


def _status(v: Any) -> str:
    """A row's status as text: ``used`` when empty (blank, NaN, surrounding spaces)."""
    return _text(v) or "used"


def _options(text: str) -> dict[str, Any]:
    """``field=value;...`` as CostModel keyword arguments (true/false, else numbers)."""
    out: dict[str, Any] = {}
    for part in filter(None, (x.strip() for x in text.split(";"))):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"{part!r} has no '='")
        v = value.strip().lower()
        out[key.strip()] = True if v == "true" else False if v == "false" else float(value)
    return out


def load_validation(
    path: str | os.PathLike[str] | None = None, net: Network | None = None
) -> pd.DataFrame:
    """The published-figure table, checked (against ``net``'s hubs when given).

    Raises
    ------
    DataError
        Every problem, each naming the row id and the field.
    """
    from corridor.corridors import load_corridors
    from corridor.io import bundled_data_path

    if path is not None and not isinstance(path, str | os.PathLike):
        raise DataError(f"path must be a file path, got {shown(path)}")
    p = Path(path) if path is not None else bundled_data_path("validation.csv")
    try:
        raw = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{p}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{p}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot be read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{p}: not a readable CSV: {exc}") from None
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"{p}: missing columns: {', '.join(missing)}")
    corridors = {c.id for c in load_corridors()}
    services = {
        str(x["id"]): x
        for x in (net._services if net is not None else _bundled_services()).to_dict("records")
    }
    problems: list[Problem] = []
    rows = []
    for i, r in enumerate(raw.to_dict("records")):
        ident = _text(r["id"]) or f"#{i + 1}"

        def bad(field: str, message: str, ident: str = ident) -> None:
            problems.append(Problem(str(p), ident, field, message))

        for field in ("origin", "destination"):
            if net is not None:
                try:
                    r[field] = net.hub_id(_text(r[field]))
                except NodeNotFound:
                    bad(field, f"unknown hub {r[field]!r}")
        via = [v.strip() for v in _text(r.get("via")).split(";") if v.strip()]
        if net is not None:
            for k, v in enumerate(via):
                try:
                    via[k] = net.hub_id(v)
                except NodeNotFound:
                    bad("via", f"unknown hub {v!r}")
        corridor, modes = _text(r["corridor"]), _text(r["modes"])
        if via and corridor:
            bad("via", "give via only with modes (a corridor fixes its own way)")
        service = _text(r.get("service"))
        if service:
            row_service = services.get(service)
            if row_service is None:
                bad("service", f"unknown service {service!r}")
            elif corridor or via or modes != row_service["mode"]:
                bad(
                    "service",
                    f"a service row gives modes = {row_service['mode']!r} (the service's) "
                    "and no corridor or via",
                )
            elif net is not None and not {r["origin"], r["destination"]} <= set(
                row_service["stops"]
            ):
                bad("service", f"origin and destination must be stops of {service!r}")
        if corridor and corridor not in corridors:
            bad("corridor", f"unknown corridor {corridor!r}")
        mode_list = [m.strip() for m in modes.split(";") if m.strip()]
        if bool(corridor) == bool(mode_list):
            bad("corridor", "give either a corridor or modes, not both or neither")
        for m in mode_list:
            if m not in MODES:
                bad("modes", f"unknown mode {m!r}")
        if r["metric"] not in METRICS:
            bad("metric", f"must be one of {', '.join(METRICS)}, got {r['metric']!r}")
        nums: dict[str, float] = {}
        for field in ("published", "low", "high"):
            try:
                nums[field] = float(r[field])
                if not math.isfinite(nums[field]) or nums[field] < 0:
                    raise ValueError
            except ValueError:
                bad(field, f"must be a finite number >= 0, got {r[field]!r}")
        if len(nums) == 3 and not nums["low"] <= nums["published"] <= nums["high"]:
            bad(
                "low",
                f"low <= published <= high does not hold: {r['low']}, {r['published']}, "
                f"{r['high']}",
            )
        try:
            options = _options(_text(r["cost_model"]))
            CostModel(**options)
        except (DataError, TypeError, ValueError) as exc:
            bad("cost_model", f"not 'field=value;...' of CostModel fields: {exc}")
            options = {}
        if r["calibrated"] not in ("true", "false"):
            bad("calibrated", f"must be true or false, got {r['calibrated']!r}")
        if not _text(r["source"]):
            bad("source", "must say where the figure comes from")
        status, instead = _status(r.get("status")), _text(r.get("instead"))
        if status not in STATUSES:
            bad("status", f"must be one of {', '.join(STATUSES)} (or empty), got {status!r}")
        elif status in ("superseded", "contradicted") and not instead:
            bad("instead", f"a {status} row names the row used in its place")
        elif status not in ("superseded", "contradicted") and instead:
            bad("instead", "only a superseded or contradicted row names a row used instead")
        if status == "out_of_scope" and not _text(r["note"]):
            bad("note", "an out_of_scope row says in its note why")
        row: dict[str, Any] = {str(k): v for k, v in r.items()}
        row.update(nums)
        row.update(
            modes=tuple(mode_list),
            corridor=corridor,
            via=tuple(via),
            service=service,
            calibrated=r["calibrated"] == "true",
            status=status,
            instead=instead,
        )
        row["cost_model"] = options
        rows.append(row)
    _check_instead(rows, lambda ident, field, message: problems.append(
        Problem(str(p), ident, field, message)
    ))  # fmt: skip
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows).set_index("id")


def _check_instead(rows: list[dict[str, Any]], bad: Any) -> None:
    """A row kept but not used names a used row of the same metric; a superseded one, a row
    of the same origin and destination whose year is known and no earlier than its own."""
    idents = [_text(r["id"]) or f"#{i + 1}" for i, r in enumerate(rows)]
    by_id = dict(zip(idents, rows, strict=True))

    def place(r: dict[str, Any]) -> tuple[str, str]:
        return (_text(r["origin"]).casefold(), _text(r["destination"]).casefold())

    for ident, r in zip(idents, rows, strict=True):
        if r["status"] not in ("superseded", "contradicted") or not r["instead"]:
            continue
        other = by_id.get(r["instead"])
        name = repr(r["instead"])
        if other is None:
            bad(ident, "instead", f"unknown row {name}")
        elif other["status"] != "used":
            bad(ident, "instead", f"row {name} is not used itself")
        elif other["metric"] != r["metric"]:
            bad(ident, "instead", f"row {name} measures {other['metric']!r}")
        elif r["status"] == "superseded":
            mine, theirs = _year(r["year"]), _year(other["year"])
            if place(other) != place(r):
                bad(ident, "instead", f"row {name} is not a figure of the same origin and "
                    "destination")  # fmt: skip
            elif math.isnan(mine):
                bad(ident, "year", "a superseded row gives its year (to be older than "
                    f"row {name}), got {r['year']!r}")  # fmt: skip
            elif math.isnan(theirs):
                bad(ident, "instead", f"row {name} gives no year, got {other['year']!r}")
            elif theirs < mine:
                bad(ident, "instead", f"row {name} is older ({other['year']}) than this "
                    f"row ({r['year']})")  # fmt: skip


def _year(text: Any) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def _bundled_services() -> pd.DataFrame:
    import json

    from corridor.io import bundled_data_path

    with open(bundled_data_path("services.json"), encoding="utf-8") as f:
        return pd.DataFrame(json.load(f)["services"])


def _service_route(net: Network, o: str, d: str, service: str, costs: CostModel | None) -> Route:
    """The route that rides ``service`` from ``o`` to ``d`` (the port processes at either
    end included), without changing to anything else."""
    from corridor._compile import ATTACH, PORT, compiled
    from corridor.routing import best_through, make_route

    g = compiled(net, costs or CostModel(), None)
    if service not in g.service_ids:
        raise NoRouteError(f"service {service!r} does not run")
    w = g.criteria[CRITERIA.index("generalized")].copy()
    keep = (g.service == g.service_ids.index(service)) | np.isin(g.kind, [ATTACH, PORT])
    w[~keep] = np.inf
    arcs, _ = best_through(g, w, g.source(g.hub_index[o]), [], g.sink(g.hub_index[d]))
    if arcs is None:
        raise NoRouteError(f"service {service!r} does not run from {o!r} to {d!r}")
    return make_route(g, arcs, o, d, "generalized")


def _model_value(net: Network, row: pd.Series, costs: CostModel | None) -> tuple[float, str]:
    from corridor.compare import corridor_routes
    from corridor.routing import route

    o, d = row["origin"], row["destination"]
    if row["cost_model"]:
        costs = (costs or CostModel()).replace(**row["cost_model"])
    if row.get("service"):
        try:
            r = _service_route(net, o, d, row["service"], costs)
        except NoRouteError as exc:
            return math.nan, str(exc)
    elif row["corridor"]:
        res = corridor_routes(net, o, d, corridors=[row["corridor"]], costs=costs)
        found = res[row["corridor"]].route
        if found is None:
            return math.nan, res[row["corridor"]].reason
        r = found
    else:
        try:
            r = route(net, o, d, modes=list(row["modes"]), via=row["via"], costs=costs)
        except NoRouteError as exc:
            return math.nan, str(exc)
    legs = r.legs
    at_gates = legs["kind"].eq("port") & legs["line"].str.match("(import|export):")
    waits = legs.loc[legs["kind"].eq("wait"), "hours"]
    first_wait = float(waits.iloc[0]) if len(waits) else 0.0
    transit = r.total_hours - first_wait - float(legs.loc[at_gates, "hours"].sum())
    value = {
        "km": r.total_km,
        "hours": r.total_hours,
        "transit_hours": transit,
        "days_transit": transit / 24.0,
        "usd": r.total_usd,
        "usd_freight": r.total_usd - float(legs.loc[at_gates, "usd"].sum()),
        "wtw_g_per_tkm": 1000.0 * r.total_co2_kg / (r.total_km * r._graph.costs.load_t_per_teu),
        "wtw_g_per_teukm": 1000.0 * r.total_co2_kg / r.total_km,
    }[row["metric"]]
    return float(value), r.path


def validate_published(
    net: Network, table: pd.DataFrame | None = None, *, costs: CostModel | None = None
) -> pd.DataFrame:
    """Run the model on every published figure.

    Returns
    -------
    pandas.DataFrame
        The table with ``model`` (the model's figure in the row's metric), ``in_range``
        (low <= model <= high), ``off_pct`` (model against the published figure, %) and
        ``route`` (the route in brief, or why there is none).

    Examples
    --------
    >>> import corridor as cr
    >>> v = validate_published(cr.load_network())
    >>> int(v["in_range"].sum()) > 0
    True
    """
    check_network(net)
    if table is not None and not isinstance(table, pd.DataFrame):
        raise DataError(
            f"table must be the DataFrame of load_validation(), got {type(table).__name__}"
        )
    if costs is not None and not isinstance(costs, CostModel):
        raise DataError(f"costs must be a corridor.CostModel, got {type(costs).__name__}")
    t = (table if table is not None else load_validation(net=net)).copy()
    if "status" in t:
        wrong = [
            (i, v) for i, v in t["status"].items() if _status(v) not in STATUSES
        ]  # fmt: skip
        if wrong:
            i, v = wrong[0]
            raise DataError(
                f"row {i!r}: field 'status': must be one of {', '.join(STATUSES)} (or "
                f"empty), got {v!r}"
            )
    if "cost_model" not in t:
        t["cost_model"] = pd.Series([{} for _ in range(len(t))], index=t.index, dtype=object)
    if "via" not in t:
        t["via"] = pd.Series([() for _ in range(len(t))], index=t.index, dtype=object)
    if "service" not in t:
        t["service"] = ""
    out = [_model_value(net, row, costs) for _, row in t.iterrows()]
    t["model"] = [v for v, _ in out]
    t["route"] = [why for _, why in out]
    t["in_range"] = (t["model"] >= t["low"] - 1e-9) & (t["model"] <= t["high"] + 1e-9)
    t["off_pct"] = 100.0 * (t["model"] / t["published"] - 1.0)
    return t


def used(v: pd.DataFrame) -> pd.Series:
    """Per row: is it one the model is held to (``status`` used)?"""
    if "status" not in v:
        return pd.Series(True, index=v.index)
    return v["status"].map(_status).eq("used")


def independent_share(v: pd.DataFrame) -> float:
    """The share of the used independent figures in range: the target of 90%."""
    sel = used(v) & ~v["calibrated"]
    return float(v.loc[sel, "in_range"].mean()) if sel.any() else math.nan


def summary(v: pd.DataFrame) -> str:
    """``independent: n of m in range (x%); calibrated: ...; not used: ...``."""
    parts = []
    keep = used(v)
    for label, sel in (("independent", ~v["calibrated"]), ("calibrated", v["calibrated"])):
        sel = sel & keep
        n, m = int(v.loc[sel, "in_range"].sum()), int(sel.sum())
        parts.append(f"{label}: {n} of {m} in range ({100.0 * n / m if m else 0:.0f}%)")
    if not keep.all():
        kinds = v.loc[~keep, "status"].map(_status).value_counts()
        n, m = int(v.loc[~keep, "in_range"].sum()), int((~keep).sum())
        what = ", ".join(f"{k} {c}" for k, c in kinds.items()).replace("_", " ")
        parts.append(f"kept but not used: {m} ({what}; {n} in range)")
    return "; ".join(parts)
