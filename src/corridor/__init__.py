"""corridor: multimodal freight routing across the logistics corridors out of Guizhou.

Examples
--------
>>> import corridor as cr
>>> net = cr.load_network()
>>> net.hub("Guiyang").name
'Guiyang'
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

from corridor._errors import CorridorError, DataError, NodeNotFound, NoRouteError, Problem

if TYPE_CHECKING:  # imported lazily at run time (see _LAZY)
    from corridor import csgraph
    from corridor.compare import compare, compare_scenarios, corridor_routes
    from corridor.corridors import Corridor, load_corridors
    from corridor.costs import CostModel, PerMode
    from corridor.flows import Assignment, Demand, assign, assign_scenarios, load_demand
    from corridor.io import load_network
    from corridor.network import Hub, Network, NetworkSummary
    from corridor.reliability import TransitTime, transit_time
    from corridor.routing import Route, route, route_matrix
    from corridor.scenario import Scenario, load_scenarios, presets
    from corridor.segments import load_segments
    from corridor.sensitivity import SensitivityResult, sensitivity
    from corridor.shares import market_shares
    from corridor.sweep import sweep
    from corridor.tradeoffs import alternatives, k_shortest, pareto

__version__ = "0.1.0"

_PLOTS = {
    "plot_network",
    "plot_route",
    "plot_routes",
    "plot_comparison",
    "plot_tradeoff",
    "plot_sensitivity",
    "plot_tcd",
    "plot_transit_time",
    "plot_shares",
    "plot_flows",
}


#: the public names and the modules that define them, imported when first used: ``import
#: corridor`` loads only the error classes, so scripts (and the CLI's ``--help``) start
#: fast and each pulls in what it uses
_LAZY = {
    **dict.fromkeys(["compare", "compare_scenarios", "corridor_routes"], "corridor.compare"),
    **dict.fromkeys(["Corridor", "load_corridors"], "corridor.corridors"),
    **dict.fromkeys(["CostModel", "PerMode"], "corridor.costs"),
    **dict.fromkeys(
        ["Assignment", "Demand", "assign", "assign_scenarios", "load_demand"], "corridor.flows"
    ),
    "load_network": "corridor.io",
    **dict.fromkeys(["Hub", "Network", "NetworkSummary"], "corridor.network"),
    **dict.fromkeys(["TransitTime", "transit_time"], "corridor.reliability"),
    **dict.fromkeys(["Route", "route", "route_matrix"], "corridor.routing"),
    **dict.fromkeys(["Scenario", "load_scenarios", "presets"], "corridor.scenario"),
    "load_segments": "corridor.segments",
    **dict.fromkeys(["SensitivityResult", "sensitivity"], "corridor.sensitivity"),
    "market_shares": "corridor.shares",
    "sweep": "corridor.sweep",
    **dict.fromkeys(["alternatives", "k_shortest", "pareto"], "corridor.tradeoffs"),
}


def __getattr__(name: str) -> object:
    """Every public name is imported when first used (see ``_LAZY``); plotting and maps
    import matplotlib / folium only then."""
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # the next lookup is a plain attribute
        return value
    if name == "csgraph":
        return importlib.import_module("corridor.csgraph")
    if name in _PLOTS:
        from corridor import plot

        return getattr(plot, name)
    if name == "explore":
        from corridor.interactive import explore

        return explore
    raise AttributeError(f"module 'corridor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


#: functions named as the modules that define them: ``corridor.compare`` is the function
_SHADOWED = frozenset({"compare", "sweep", "sensitivity"})


class _Package(types.ModuleType):
    """The package module: importing submodule ``corridor.compare`` (which the import
    system records as attribute ``compare`` of the package) leaves ``corridor.compare`` the
    function, as when it was imported eagerly; the module stays in ``sys.modules``."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Assignment",
    "Corridor",
    "CorridorError",
    "CostModel",
    "DataError",
    "Demand",
    "Hub",
    "Network",
    "NetworkSummary",
    "NoRouteError",
    "NodeNotFound",
    "PerMode",
    "Problem",
    "Route",
    "Scenario",
    "SensitivityResult",
    "TransitTime",
    "__version__",
    "alternatives",
    "assign",
    "assign_scenarios",
    "compare",
    "compare_scenarios",
    "corridor_routes",
    "csgraph",
    "explore",
    "k_shortest",
    "load_corridors",
    "load_demand",
    "load_network",
    "load_scenarios",
    "load_segments",
    "market_shares",
    "pareto",
    "plot_comparison",
    "plot_flows",
    "plot_network",
    "plot_route",
    "plot_routes",
    "plot_sensitivity",
    "plot_shares",
    "plot_tcd",
    "plot_tradeoff",
    "plot_transit_time",
    "presets",
    "route",
    "route_matrix",
    "sensitivity",
    "sweep",
    "transit_time",
]
