"""The cost model: what a TEU pays, in money, time and CO2, per km, transfer and border.

Every default is taken from ``shared/reference/inputs.md`` or derived from it; each field's
comment says which. Override any of them with :meth:`CostModel.replace` or by passing a new
``CostModel(...)`` to the routing calls.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Literal, Self

from corridor._errors import DataError
from corridor._schema import MODES

Criterion = Literal["usd", "hours", "km", "co2", "generalized"]
CRITERIA: tuple[Criterion, ...] = ("usd", "hours", "km", "co2", "generalized")


@dataclass(frozen=True, slots=True)
class PerMode:
    """One number per transport mode.

    Examples
    --------
    >>> PerMode(rail=1, road=2, sea=3, inland_waterway=4, air=5)["sea"]
    3.0
    """

    rail: float
    road: float
    sea: float
    inland_waterway: float
    air: float

    def __getitem__(self, mode: str) -> float:
        if mode not in MODES:
            raise KeyError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        return float(getattr(self, mode))

    def replace(self, **changes: float) -> PerMode:
        """A copy with some modes changed."""
        return dataclasses.replace(self, **changes)


#: USD per TEU-km. Reed & Trubetskoy, World Bank PRWP 8815 (2019), bri_market_access
#: ``parameters/``: rail 0.23 (double-track or electrified), road 0.63 (motorway), sea 0.045
#: (midpoint of 0.04-0.05). Inland waterway has no figure there: 0.14 is the midpoint of
#: sea (0.045) and rail (0.23), an assumption. Air: USD 2.8/kg China-Europe (midpoint of
#: 2.75-2.85, Mode Transportation 2018) x 12 t per TEU over the 8,900 km Shanghai-Frankfurt
#: great circle = 3.78.
DEFAULT_TARIFF = PerMode(rail=0.23, road=0.63, sea=0.045, inland_waterway=0.14, air=3.78)

#: km/h including stops, where a link has no published speed or transit time.
#: rail 37.0: Chengdu-Lodz 9,826 km in 12.5 days (11-14 days, Xinhua / CCTV 2016) less the
#: 34.7 h of border and gauge stops the model charges on that route (Alashankou 25.9, Dostyk 2,
#: Brest 5, two gauge changes 0.92 each): 9,826 km / 265.3 h;
#: road 68.8: Kunming-Mohan expressway 688 km in about 10 h (Xinhua 2008-03-22);
#: sea 23.4: Shanghai-Rotterdam 10,600 nm (19,631 km) in about 35 days with 5-10 port calls
#: (Rodrigue, Port Economics Management and Policy; 16 knots at sea, i.e. 29.6 km/h, without);
#: inland waterway 16.4: Yangtze Chongqing-Wuhan (660 + 624 km) 57 h down, 100 h up,
#: averaged (accesschinatravel; passenger boats, so optimistic for barges);
#: air 507: Guiyang-Moscow 6,333 km great circle in 12.5 h (12-13 h, Xinhua 2024-07-21).
DEFAULT_SPEED = PerMode(rail=37.0, road=68.8, sea=23.4, inland_waterway=16.4, air=507.0)

#: kg CO2e per tonne-km (UK DEFRA midpoints; inland waterway: ETRR 2019 table 9).
#: road 0.11397 (0.10163-0.12631), rail 0.02969 (0.02779-0.03159), sea 0.01612
#: (container ship average), inland waterway 0.0386, air 0.5313 (without high-altitude effects).
DEFAULT_CO2_PER_TKM = PerMode(
    rail=0.02969, road=0.11397, sea=0.01612, inland_waterway=0.0386, air=0.5313
)


@dataclass(frozen=True, slots=True)
class CostModel:
    """Money, time and CO2 of moving one loaded TEU.

    Parameters
    ----------
    tariff_usd_per_teu_km : PerMode
        Line-haul rate by mode; a link's own ``tariff_usd_per_teu_km`` wins.
    speed_kmh : PerMode
        Commercial speed by mode; a link's ``transit_hours`` or ``speed_kmh`` wins.
    co2_kg_per_tkm : PerMode
        Emission factor per tonne-km by mode.
    load_t_per_teu : float
        Cargo tonnes in a loaded TEU: 12, the middle of the 10-14 t in inputs.md.
    transfer_usd, transfer_hours : float
        A change of mode at a hub with no figures of its own: USD 25 and 5 h per TEU, the
        BRI model's road-rail switch.
    port_transfer_usd : float
        A change of mode to or from a ship or barge: USD 200 per TEU, the BRI model's port fee.
    gauge_change_usd, gauge_change_hours : float
        A change of rail gauge at a hub with no figures of its own: one crane move (USD 25,
        BRI) and the 55 min Khorgos switch of a whole train.
    cargo_value_usd : float
        Value of the cargo in a TEU: USD 54,500 (Rodrigue, Port Economics Management and
        Policy, "Value of containerized trade", 2020).
    time_value_pct_per_day : float
        Cost of a day in transit as % of cargo value: 1.3, the middle of the 0.6-2.1%
        Hummels & Schaur (AER 2013) found.
    carbon_price_usd_per_t : float
        USD per tonne CO2e in the generalized cost; 0 by default (no carbon price applies
        to most of these flows), set it to price emissions.
    port_export_clearance_hours, port_export_clearance_usd : float
        Export customs clearance of a box put on a ship at a Chinese seaport: 25.9 h and
        USD 314, China's border compliance for exports (World Bank Doing Business 2020,
        measured at Shanghai's seaport; ``border_costs.csv`` of bri_market_access). Spared
        where the box was declared at an inland port that clears for that seaport (the
        Guiyang Land-Port's single declaration), which charges the fee and only the hours
        its wait for the train does not cover.
    wait_fraction : float
        Expected wait for a departure as a share of the headway: 0.5, half the headway
        (boxes arrive at random; the frequency-based assumption of R5 and most transit
        models). Between 0 and 1.
    unscheduled_departures_per_week : float
        Departures a week on a rail, sea, river or air link that no listed service runs: 1,
        weekly, the "Rule of 7" of liner shipping (fixed weekly call days; Notteboom,
        Rodrigue, *Port Economics, Management and Policy*, ch. 6.1), taken also for a
        train or barge booked outside any timetable.

    Examples
    --------
    >>> cm = CostModel()
    >>> round(cm.value_of_time_usd_per_hour, 2)
    29.52
    >>> round(cm.co2_kg_per_teu_km("rail"), 4)
    0.3563
    >>> CostModel(carbon_price_usd_per_t=-1)
    Traceback (most recent call last):
    ...
    corridor._errors.DataError: CostModel.carbon_price_usd_per_t must be a finite ...
    """

    tariff_usd_per_teu_km: PerMode = DEFAULT_TARIFF
    speed_kmh: PerMode = DEFAULT_SPEED
    co2_kg_per_tkm: PerMode = DEFAULT_CO2_PER_TKM
    load_t_per_teu: float = 12.0
    transfer_usd: float = 25.0
    transfer_hours: float = 5.0
    port_transfer_usd: float = 200.0
    gauge_change_usd: float = 25.0
    gauge_change_hours: float = 55.0 / 60.0
    cargo_value_usd: float = 54_500.0
    time_value_pct_per_day: float = 1.3
    carbon_price_usd_per_t: float = 0.0
    port_export_clearance_hours: float = 25.9
    port_export_clearance_usd: float = 314.0
    wait_fraction: float = 0.5
    unscheduled_departures_per_week: float = 1.0

    def __post_init__(self) -> None:
        problems: list[str] = []
        for f in dataclasses.fields(self):
            value: Any = getattr(self, f.name)
            if isinstance(value, PerMode):
                for mode in MODES:
                    x = value[mode]
                    if not (math.isfinite(x) and x > 0):
                        problems.append(
                            f"CostModel.{f.name}.{mode} must be a finite number > 0, got {x!r}"
                        )
            elif isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"CostModel.{f.name} must be a number, got {value!r}")
            elif not (math.isfinite(value) and value >= 0):
                problems.append(f"CostModel.{f.name} must be a finite number >= 0, got {value!r}")
            elif f.name in ("load_t_per_teu", "unscheduled_departures_per_week") and value == 0:
                problems.append(f"CostModel.{f.name} must be > 0, got {value!r}")
            elif f.name == "wait_fraction" and value > 1:
                problems.append(f"CostModel.{f.name} must be between 0 and 1, got {value!r}")
        if problems:
            raise DataError("; ".join(problems))

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (validated like a new one)."""
        return dataclasses.replace(self, **changes)

    @property
    def value_of_time_usd_per_hour(self) -> float:
        """USD per TEU-hour in transit: cargo value x daily % / 24."""
        return self.cargo_value_usd * self.time_value_pct_per_day / 100.0 / 24.0

    def co2_kg_per_teu_km(self, mode: str) -> float:
        """kg CO2e per loaded TEU-km for ``mode``."""
        return self.co2_kg_per_tkm[mode] * self.load_t_per_teu

    def generalized(self, usd: float, hours: float, co2_kg: float) -> float:
        """usd + value of time x hours + carbon price x tonnes CO2."""
        return (
            usd
            + self.value_of_time_usd_per_hour * hours
            + self.carbon_price_usd_per_t * co2_kg / 1000.0
        )
