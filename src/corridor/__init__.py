"""corridor: multimodal freight routing across the logistics corridors out of Guizhou.

Examples
--------
>>> import corridor as cr
>>> net = cr.load_network()
>>> net.hub("Guiyang").name
'Guiyang'
"""

from __future__ import annotations

from corridor import csgraph
from corridor._errors import CorridorError, DataError, NodeNotFound, NoRouteError, Problem
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


def __getattr__(name: str) -> object:
    """Plotting and maps import matplotlib / folium only when first used."""
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
