"""corridor: multimodal freight routing across the logistics corridors out of Guizhou.

Examples
--------
>>> import corridor as cr
>>> net = cr.load_network()
>>> net.hub("Guiyang").name
'Guiyang'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corridor import csgraph
from corridor._errors import CorridorError, DataError, NodeNotFound, NoRouteError, Problem
from corridor.compare import compare, compare_scenarios, corridor_routes
from corridor.corridors import Corridor, load_corridors
from corridor.costs import CostModel, PerMode
from corridor.io import load_network
from corridor.network import Hub, Network, NetworkSummary
from corridor.routing import Route, route, route_matrix
from corridor.scenario import Scenario, load_scenarios, presets
from corridor.sensitivity import SensitivityResult, sensitivity
from corridor.sweep import sweep
from corridor.tradeoffs import alternatives, k_shortest, pareto

if TYPE_CHECKING:  # imported lazily at run time (see _LAZY)
    from corridor.flows import Assignment, Demand, assign, assign_scenarios, load_demand
    from corridor.reliability import TransitTime, transit_time
    from corridor.segments import load_segments
    from corridor.shares import market_shares

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


#: what reliability, segments, shares and flows export, imported when first used (they
#: are not needed to route, and importing them all would slow ``import corridor``)
_LAZY = {
    "TransitTime": "corridor.reliability",
    "transit_time": "corridor.reliability",
    "load_segments": "corridor.segments",
    "market_shares": "corridor.shares",
    "Assignment": "corridor.flows",
    "Demand": "corridor.flows",
    "assign": "corridor.flows",
    "assign_scenarios": "corridor.flows",
    "load_demand": "corridor.flows",
}


def __getattr__(name: str) -> object:
    """Plotting and maps import matplotlib / folium only when first used; reliability,
    shares and flows likewise."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    if name in _PLOTS:
        from corridor import plot

        return getattr(plot, name)
    if name == "explore":
        from corridor.interactive import explore

        return explore
    raise AttributeError(f"module 'corridor' has no attribute {name!r}")


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
