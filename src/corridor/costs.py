"""The cost model: what a TEU pays, in money, time and CO2, per km, transfer and border.

Every default is taken from ``shared/reference/inputs.md`` or derived from it; each field's
comment says which. Override any of them with :meth:`CostModel.replace` or by passing a new
``CostModel(...)`` to the routing calls.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from typing import Any, Literal, Self

import pandas as pd

from corridor._checks import shown
from corridor._errors import DataError
from corridor._schema import MAX_HOURS, MAX_SPEED_KMH, MAX_USD, MODES, ROAD_CLASSES

Criterion = Literal["usd", "hours", "km", "co2", "generalized"]
CRITERIA: tuple[Criterion, ...] = ("usd", "hours", "km", "co2", "generalized")


def _numbers(obj: object) -> None:
    """Every field of ``obj`` a finite real number (a string "12" is not 12)."""
    problems = []
    for f in dataclasses.fields(obj):  # type: ignore[arg-type]
        x = getattr(obj, f.name)
        if isinstance(x, bool) or not isinstance(x, numbers.Real) or not math.isfinite(x):
            problems.append(
                f"{type(obj).__name__}.{f.name} must be a finite number, got {shown(x)}"
            )
    if problems:
        raise DataError("; ".join(problems))


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

    def __post_init__(self) -> None:
        _numbers(self)

    def __getitem__(self, mode: str) -> float:
        if mode not in MODES:
            raise KeyError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
        return float(getattr(self, mode))

    def replace(self, **changes: float) -> PerMode:
        """A copy with some modes changed."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class RoadClasses:
    """One number per road class: expressway, national (trunk single carriageway), mountain.

    Examples
    --------
    >>> RoadClasses(expressway=1, national=2, mountain=3)["national"]
    2.0
    """

    expressway: float
    national: float
    mountain: float

    def __post_init__(self) -> None:
        _numbers(self)

    def __getitem__(self, road_class: str) -> float:
        if road_class not in ROAD_CLASSES:
            raise KeyError(f"unknown road class {road_class!r}; expected {', '.join(ROAD_CLASSES)}")
        return float(getattr(self, road_class))


@dataclass(frozen=True, slots=True)
class DrivingRules:
    """A country's limits on a truck driver's hours.

    Parameters
    ----------
    continuous_hours, break_hours : float
        The longest spell of driving and the break that must follow it.
    daily_driving_hours : float
        Driving allowed in 24 hours.
    daily_rest_hours : float
        The rest after a day's driving.
    """

    continuous_hours: float
    break_hours: float
    daily_driving_hours: float
    daily_rest_hours: float

    def __post_init__(self) -> None:
        problems = []
        for f in dataclasses.fields(self):
            x = getattr(self, f.name)
            if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
                problems.append(f"DrivingRules.{f.name} must be a finite number, got {x!r}")
            elif x < 0 or (x == 0 and f.name in ("continuous_hours", "daily_driving_hours")):
                problems.append(f"DrivingRules.{f.name} must be > 0, got {x!r}")
            elif x > 24:
                problems.append(f"DrivingRules.{f.name} must be at most 24 h, got {x!r}")
        if problems:
            raise DataError("; ".join(problems))

    def day(self, team: bool = False) -> tuple[float, float, float, float]:
        """``(driving a day, longest spell, break, daily rest)`` of one truck: a two-driver
        team drives twice a driver's day (up to 24 h less one break) with no break that
        stops the truck (one drives while the other rests) and stops for the rest of the
        24 h."""
        d = self.daily_driving_hours
        if team:
            d = min(2 * d, 24.0 - self.break_hours)
            return d, math.inf, 0.0, 24.0 - d
        return d, self.continuous_hours, self.break_hours, self.daily_rest_hours

    def drive(self, driven_today: float, hours: float, team: bool = False) -> tuple[float, float]:
        """Hours a truck stops over ``hours`` of driving that begin ``driven_today`` hours
        into its driving day, and the hours driven that day at the end.

        A break follows each full spell of ``continuous_hours`` when the truck drives on
        (not at the end of a trip), a daily rest each full day's driving when it drives on;
        a trip shorter than one day's driving stops only for breaks.

        Examples
        --------
        >>> EU_RULES.drive(0.0, 4.0)  # one spell: no stop
        (0.0, 4.0)
        >>> EU_RULES.drive(0.0, 9.0)  # a day: one 45 min break
        (0.75, 9.0)
        >>> EU_RULES.drive(0.0, 12.0)  # a day, the daily rest, 3 h more
        (11.75, 3.0)
        >>> EU_RULES.drive(8.0, 2.0)  # 1 h left today: the rest comes after it
        (11.0, 1.0)
        """
        day, spell, brk, rest = self.day(team)
        stopped, p, left = 0.0, float(driven_today), float(hours)
        eps = 1e-9
        while left > eps:
            if p >= day - eps:
                stopped += rest
                p = 0.0
            run = min(left, day - p)
            if math.isfinite(spell):
                first = max(1, math.ceil(p / spell - eps))
                last = math.ceil((p + run) / spell - eps) - 1
                stopped += brk * max(0, last - first + 1)
            p += run
            left -= run
        return stopped, p


#: ILO Convention C153 (Hours of Work and Rest Periods (Road Transport), 1979): at most 4 h
#: continuous driving (art. 5), 9 h driving a day (art. 6), 10 consecutive hours of daily
#: rest (art. 8) (official FR/DE text, droit-bilingue.ch RS 0.822.725.3). Taken as the day
#: of a single driver where national law sets no daily limit for goods vehicles.
ILO_DAY = (9.0, 10.0)
#: PRC: at most 4 h continuous driving, then at least 20 min rest (Regulations for the
#: Implementation of the Road Traffic Safety Law, art. 62(7), for every motor vehicle;
#: Ministry of Public Security Order 163, art. 11(14) for goods vehicles). The "8 h in 24
#: h" cap is for passenger transport only (道路运输车辆动态监督管理办法 and the passenger
#: enterprises' safety code say 客运驾驶员); no daily cap for goods vehicles was found, so
#: the day is ILO C153's (employed Chinese truck drivers average 8.2 h at the wheel a day:
#: Chuanhua Foundation China Truck Driver Report No. 2, Chinanews 2019-03-28).
PRC_RULES = DrivingRules(4.0, 20 / 60, *ILO_DAY)
#: EU: at most 9 h driving a day, a 45 min break per 4.5 h, 11 h daily rest
#: (Regulation (EC) No 561/2006, summarised at marescaviaggi.com).
EU_RULES = DrivingRules(4.5, 0.75, 9.0, 11.0)
#: Thailand: trucks at most 4 h continuous, then at least 30 min rest, at most 10 h driving
#: in 24 h (Department of Land Transport rule as reported by mgronline.com 2026-01-17/18);
#: no daily rest figure found: ILO C153's 10 h.
THA_RULES = DrivingRules(4.0, 0.5, 10.0, ILO_DAY[1])
#: Vietnam: at most 4 h continuous (Road Traffic Order and Safety Law 2024, art. 64; the
#: 10 h a day cap was repealed from 2026-07-01 by Law 118/2025/QH15: vietnamnet.vn), a
#: break of about 15 min (Traffic Police, vrviet.vn 2025-01); the day is ILO C153's.
VNM_RULES = DrivingRules(4.0, 0.25, *ILO_DAY)
#: Other ASEAN members (Laos: no statutory limit found): the PRC's.
ASEAN_RULES = PRC_RULES
ASEAN = ("LAO", "THA", "VNM", "MMR", "MYS", "KHM", "SGP", "IDN", "BRN", "PHL")


def driving_rules_for(country: str) -> DrivingRules:
    """The driving rules of a country: PRC (China), Thailand, Vietnam, other ASEAN
    members (the PRC's), else the EU's."""
    if country in ("CHN", "HKG"):
        return PRC_RULES
    if country == "THA":
        return THA_RULES
    if country == "VNM":
        return VNM_RULES
    if country in ASEAN:
        return ASEAN_RULES
    return EU_RULES


#: Truck speeds while driving, km/h, by road class, from published car and bus times scaled
#: by the truck/car speed-limit ratio on Chinese expressways (100/120 km/h): expressway
#: 57.3 = Kunming–Mohan expressway 688 km in about 10 h (Xinhua 2008-03-22) x 100/120;
#: national 40.8 = Oudomxay–Luang Prabang 211–230 km in 4–5 h by car (saodarly.com), 49 km/h
#: x 100/120; mountain 24.5 = Boten–Oudomxay 70 km in 2.5 h (sakak.hatenadiary.com) and
#: Luang Prabang–Vang Vieng 218 km in ~7 h by bus (hillmanweb.com), ~29.5 km/h x 100/120.
DEFAULT_TRUCK_SPEED = RoadClasses(expressway=57.3, national=40.8, mountain=24.5)
#: Road tariff by class relative to ``tariff_usd_per_teu_km.road`` (the BRI motorway rate
#: 0.63): single carriageway 0.85 / 0.63 (Reed & Trubetskoy 2019); mountain roads the same
#: (no separate figure: their slowness is in the speed).
DEFAULT_ROAD_TARIFF_FACTOR = RoadClasses(expressway=1.0, national=0.85 / 0.63, mountain=0.85 / 0.63)

#: USD per TEU-km. Reed & Trubetskoy, World Bank PRWP 8815 (2019), bri_market_access
#: ``parameters/``: rail 0.23 (double-track or electrified), road 0.63 (motorway), sea 0.045
#: (midpoint of 0.04-0.05). Inland waterway has no figure there: 0.14 is the midpoint of
#: sea (0.045) and rail (0.23), an assumption. Air: USD 2.8/kg China-Europe (midpoint of
#: 2.75-2.85, Mode Transportation 2018) x 12 t per TEU over the 8,900 km Shanghai-Frankfurt
#: great circle = 3.78.
DEFAULT_TARIFF = PerMode(rail=0.23, road=0.63, sea=0.045, inland_waterway=0.14, air=3.78)

#: km/h including stops, where a link has no published speed or transit time.
#: rail 37.0: Chengdu-Lodz 9,826 km in 12.5 days (11-14 days, Xinhua / CCTV 2016) less the
#: 34.7 h of border and gauge stops the model charged on that route in 2025 (Alashankou 25.9,
#: Dostyk 2, Brest 5, two gauge changes 0.92 each): 9,826 km / 265.3 h. Checked again
#: 2026-11-30 against today's stops (Alashankou export 2, Dostyk transit 4.25, Kazakhstan-
#: Russia 2, Brest 5, Malaszewicze 60, gauge changes 1.84: 75.1 h) and the published
#: 58.5 km/h of the Lanzhou-Urumqi-Alashankou links (40.4 h): the other 7,024 model km in
#: the remaining 184.5 h make 38.1 km/h, 3% from 37.0, which is kept;
#: road 68.8: Kunming-Mohan expressway 688 km in about 10 h (Xinhua 2008-03-22);
#: sea 24.2: Shanghai-Rotterdam 10,600 nm (19,631 km) in about 35 days with 5-10 port calls
#: (Rodrigue, Port Economics Management and Policy; 16 knots at sea, i.e. 29.6 km/h, without),
#: less the 29 h Suez passage the model charges apart: 19,631 km / (840 - 29) h;
#: inland waterway 16.4: Yangtze Chongqing-Wuhan (660 + 624 km) 57 h down, 100 h up,
#: averaged (accesschinatravel; passenger boats, so optimistic for barges);
#: air 507: Guiyang-Moscow 6,333 km great circle in 12.5 h (12-13 h, Xinhua 2024-07-21).
DEFAULT_SPEED = PerMode(rail=37.0, road=68.8, sea=24.2, inland_waterway=16.4, air=507.0)

#: kg CO2e per tonne-km (UK DEFRA midpoints; inland waterway: ETRR 2019 table 9): the flat
#: per-mode figures of version 0.1, kept for ``CostModel(co2_kg_per_tkm=DEFAULT_CO2_PER_TKM)``;
#: by default emissions are counted per link and hub (:mod:`corridor.emissions`).
#: road 0.11397 (0.10163-0.12631), rail 0.02969 (0.02779-0.03159), sea 0.01612
#: (container ship average), inland waterway 0.0386, air 0.5313 (without high-altitude effects).
DEFAULT_CO2_PER_TKM = PerMode(
    rail=0.02969, road=0.11397, sea=0.01612, inland_waterway=0.0386, air=0.5313
)


_BRI = "Reed & Trubetskoy, World Bank PRWP 8815 (bri_market_access parameters/)"
_DB = "World Bank Doing Business 2020 border compliance (bri_market_access border_costs.csv)"
#: per CostModel field: (unit, source, year); the derivations are in the class docstring
PARAMETER_SOURCES: dict[str, tuple[str, str, str]] = {
    "tariff_usd_per_teu_km": ("USD per TEU-km", _BRI + "; air: Mode Transportation 2018", "2019"),
    "speed_kmh": (
        "km/h",
        "rail: Chengdu–Łódź 9,826 km in 12.5 d (Xinhua, CCTV); sea: Rodrigue, Port Economics "
        "(Shanghai–Rotterdam ~35 d); river: accesschinatravel; air: Xinhua 2024-07-21; "
        "road: only for road links without a class",
        "2016-2024",
    ),
    "co2_kg_per_tkm": (
        "kg CO2e per t-km",
        "none: ISO 14083 / GLEC per link and hub (corridor.emissions, data/sources/"
        "emission_intensities.csv); a flat figure per mode if set (DEFAULT_CO2_PER_TKM: "
        "UK DEFRA conversion factors; ETRR 2019 table 9)",
        "2019-2025",
    ),
    "load_t_per_teu": ("t", "shared/reference/inputs.md (10–14 t per TEU)", "2026"),
    "transfer_usd": ("USD per TEU", _BRI + " (road–rail switch)", "2019"),
    "transfer_hours": ("h", _BRI + " (road–rail switch)", "2019"),
    "port_transfer_usd": ("USD per TEU", _BRI + " (port fee)", "2019"),
    "gauge_change_usd": ("USD per TEU", _BRI + " (one crane move)", "2019"),
    "gauge_change_hours": ("h", "railfreight.com (Khorgos gauge switch in about 55 min)", "2022"),
    "cargo_value_usd": (
        "USD per TEU",
        "Rodrigue, Port Economics (value of containerized trade)",
        "2020",
    ),
    "time_value_pct_per_day": ("% of cargo value per day", "Hummels & Schaur, AER 103(7)", "2013"),
    "carbon_price_usd_per_t": ("USD per t CO2e", "none applies by default (a what-if input)", ""),
    "port_export_clearance_hours": ("h", _DB + " (China, export)", "2020"),
    "port_export_clearance_usd": ("USD per TEU", _DB + " (China, export)", "2020"),
    "wait_fraction": ("share of the headway", "frequency-based waiting (R5; transit models)", ""),
    "unscheduled_departures_per_week": (
        "departures a week",
        "Notteboom & Rodrigue, Port Economics, ch. 6.1 (the Rule of 7: weekly liner calls)",
        "2022",
    ),
    "rail_departures_per_week": (
        "departures a week",
        "daily container trains on the corridors' main lines: Urumqi–Xi'an e-commerce train "
        "'once a day' (fromshandong.com 2025-08-21); China–Laos international freight 6-7 "
        "pairs a day (huaxia.com 2023-01-08); Qinzhou Port 7 rail-sea lines daily (China "
        "Daily 2020-06-12); Xi'an 14.7 China–Europe trains a day (Xinhua 2023-09-29); "
        "Hamburg–Poznan daily shuttle (verkehrsrundschau.de)",
        "2012-2025",
    ),
    "truck_speed_kmh": (
        "km/h",
        "Xinhua 2008-03-22 (Kunming–Mohan 688 km ~10 h); saodarly.com; sakak.hatenadiary.com; "
        "hillmanweb.com; x 100/120, the truck/car expressway speed limits in China",
        "2008-2019",
    ),
    "road_tariff_factor": (
        "x road tariff",
        _BRI + " (single carriageway 0.85 vs motorway 0.63)",
        "2019",
    ),
    "truck_team": ("", "single driver by default (a cost-model option)", ""),
    "sea_spot_usd_per_teu": (
        "USD per TEU",
        "none by default (the long-run tariff); a period's SCFI Europe (base port) spot, "
        "data/sources/sea_spot_rates.csv",
        "",
    ),
    "team_usd_per_hour": ("USD per h", "an estimate: RMB 9,000 a month, 26 ten-hour days", "2025"),
    "river_downstream_kmh": (
        "km/h",
        "Chongqing Daily via chuanganwang.cn (Wanzhou–Shanghai container liner, 10 days, "
        "2,072 km, less 4 h in the locks)",
        "2021",
    ),
    "river_upstream_kmh": (
        "km/h",
        "the downstream speed x 57/100, the up/down ratio of Yangtze passenger boats "
        "(accesschinatravel: Chongqing–Wuhan 57 h down, 100 h up)",
        "2021",
    ),
    "transshipment_hours": (
        "h",
        "an estimate for ports without figures (data/sources/ports.csv has them)",
        "",
    ),
    "transshipment_usd": ("USD per TEU", "an estimate: two crane moves and a terminal fee", ""),
    "reliability_ratio": (
        "x value of time",
        "FDOT / rosap.ntl.bts.gov dot/31708 (Florida stated-preference survey of 150 shippers, "
        "carriers and forwarders, 2016: value of reliability USD 17-177 and value of time "
        "USD 12-277 per shipment-hour, of the same size)",
        "2016",
    ),
    "sea_backhaul_factor": (
        "x sea tariff",
        "Drewry World Container Index: median of Rotterdam–Shanghai / Shanghai–Rotterdam "
        "over 14 dated weeks 2019-06 to 2026-01 (Hellenic Shipping News, DCN, "
        "trasportoeuropa, airfreight.news, shippingtelegraph)",
        "2019-2026",
    ),
}

#: SCFI "Europe (base port)" 2019 average, USD per TEU (Ministry of Transport table of
#: Shanghai export container freight indices, mot.gov.cn 2020-06-02): the market the
#: default sea tariff (Reed & Trubetskoy 2019) stands for, the base ``sea_spot_usd_per_teu``
#: scales from
SEA_SPOT_BASE_USD_PER_TEU = 759.0

#: CostModel fields holding one number per mode or road class
_GROUPED: dict[str, type[PerMode] | type[RoadClasses]] = {
    "tariff_usd_per_teu_km": PerMode,
    "speed_kmh": PerMode,
    "co2_kg_per_tkm": PerMode,
    "truck_speed_kmh": RoadClasses,
    "road_tariff_factor": RoadClasses,
}
#: physical upper bounds of CostModel fields (catch 1e308 and unit mistakes, not opinions):
#: hours of anything a year, USD of a fee twice a loaded TEU's value, speeds the mode's
#: MAX_SPEED_KMH, tariffs 100 USD per TEU-km (air is under 4), emission factors 10 kg per
#: tonne-km (air is under 1), a TEU's payload 30 t, cargo worth USD 10 million a TEU,
#: a day in transit costing its whole value, a carbon price of USD 100,000 a tonne
_UPPER: dict[str, float] = {
    "tariff_usd_per_teu_km": 100.0,
    "co2_kg_per_tkm": 10.0,
    "truck_speed_kmh": MAX_SPEED_KMH["road"],
    "road_tariff_factor": 100.0,
    "load_t_per_teu": 30.0,
    "cargo_value_usd": 1e7,
    "time_value_pct_per_day": 100.0,
    "carbon_price_usd_per_t": 1e5,
    "unscheduled_departures_per_week": 7 * 24 * 60.0,
    "rail_departures_per_week": 7 * 24 * 60.0,
    "team_usd_per_hour": 1_000.0,
    "river_downstream_kmh": MAX_SPEED_KMH["inland_waterway"],
    "river_upstream_kmh": MAX_SPEED_KMH["inland_waterway"],
    "reliability_ratio": 100.0,
    "sea_spot_usd_per_teu": 100_000.0,
}


def _upper(name: str, key: str | None = None) -> float:
    if name == "speed_kmh" and key is not None:
        return MAX_SPEED_KMH[key]
    if name in _UPPER:
        return _UPPER[name]
    if name.endswith("_hours"):
        return MAX_HOURS
    if name.endswith("_usd"):
        return MAX_USD
    return math.inf


def _bad_number(name: str, x: float) -> str:
    """Why ``x`` cannot be CostModel field ``name`` ("" if it can)."""
    if not (math.isfinite(x) and x >= 0):
        return f"must be a finite number >= 0, got {x!r}"
    if name in _POSITIVE and x == 0:
        return f"must be > 0, got {x!r}"
    if name in ("wait_fraction", "sea_backhaul_factor") and x > 1:
        return f"must be between 0 and 1, got {x!r}"
    if x > _upper(name):
        return f"must be at most {_upper(name):g}, got {x:g}"
    return ""


#: CostModel fields that must be > 0, not only >= 0
_POSITIVE = (
    "sea_spot_usd_per_teu",
    "load_t_per_teu",
    "unscheduled_departures_per_week",
    "rail_departures_per_week",
    "river_downstream_kmh",
    "river_upstream_kmh",
    "sea_backhaul_factor",
)


@dataclass(frozen=True, slots=True)
class CostModel:
    """Money, time and CO2 of moving one loaded TEU.

    Parameters
    ----------
    tariff_usd_per_teu_km : PerMode
        Line-haul rate by mode; a link's own ``tariff_usd_per_teu_km`` wins.
    speed_kmh : PerMode
        Commercial speed by mode; a link's ``transit_hours`` or ``speed_kmh`` wins, and for
        unscheduled rail (a box with no listed service) its ``ordinary_speed_kmh``.
    co2_kg_per_tkm : PerMode or None
        None (the default): emissions per link and hub as ISO 14083 and the GLEC Framework
        count them, well-to-wheel (:mod:`corridor.emissions`). A ``PerMode`` of kg CO2e per
        tonne-km instead charges that flat figure per mode on every leg and nothing at hubs
        (``DEFAULT_CO2_PER_TKM`` are version 0.1's DEFRA midpoints).
    load_t_per_teu : float
        Cargo tonnes in a loaded TEU: 12, the middle of the 10-14 t in inputs.md; the mass
        the emissions of mass-based vehicles (trains, trucks, barges, aircraft) and of hubs
        given per tonne are counted on.
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
        Departures a week on a sea, river or air link that no listed service runs: 1,
        weekly, the "Rule of 7" of liner shipping (fixed weekly call days; Notteboom,
        Rodrigue, *Port Economics, Management and Policy*, ch. 6.1), taken also for a
        barge or flight booked outside any timetable.
    rail_departures_per_week : float
        Departures a week of a container train on a rail link that no listed service runs:
        7, daily, as published for the corridors' main lines (the daily Urumqi–Xi'an
        train, 6-7 China–Laos pairs a day, Qinzhou's daily rail-sea lines, 14.7 China–Europe
        trains a day at Xi'an, daily shuttles from Hamburg); the sources are in
        ``describe()``. Until 2026-11-30 trains shared the weekly default of ships, which
        made a box wait half a week for any train outside a listed service and let trucks
        win 1,000-1,800 km mountain runs (65 routes from nine western origins) on time.
    truck_speed_kmh : RoadClasses
        Truck speed while driving by road class (see ``DEFAULT_TRUCK_SPEED``); a link's
        ``speed_kmh`` or ``transit_hours`` wins. Stops for breaks and daily rests are those of
        the trip, by the driving rules of each link's country (:func:`driving_rules_for`,
        :meth:`DrivingRules.drive`).
    road_tariff_factor : RoadClasses
        Road tariff by class as a multiple of ``tariff_usd_per_teu_km.road``.
    truck_team : bool
        Two drivers per truck (one drives while the other rests), paying
        ``team_usd_per_hour`` for the second driver: USD 5.3, a Chinese truck driver's pay of
        about RMB 9,000 a month over 26 ten-hour days at RMB 6.5 per USD (an estimate; no
        published figure found).
    river_downstream_kmh, river_upstream_kmh : float
        Container ship speed on rivers by direction, calls on the way included.
        Downstream 8.8 km/h: the Wanzhou–Shanghai container liner, about 2,072 km of the
        Yangtze (2,399 km Chongqing–Shanghai, CCTV 2007, less 327 km Chongqing–Wanzhou) in
        10 days with priority at the Three Gorges locks (Chongqing Daily 2021-06-24, via
        chuanganwang.cn), less the 4 h in the locks (charged apart). Upstream 5.0 km/h: the
        same liner at the up/down ratio of the river's passenger boats, Chongqing–Wuhan 100 h
        up against 57 h down (accesschinatravel). Cross-checks: a Wuhan–Shanghai feeder
        takes "the normal four days" for 1,125 km (11.7 km/h; eescair.com 2020); a sea-going
        ship took 17 days Zhoushan–Chongqing upstream (ecns.cn 2024-05-13, lock queue
        included). A river link runs downstream from its ``from`` end.
    sea_backhaul_factor : float
        Share of the sea tariff a box pays against the loaded direction of an unbalanced
        trade lane (a sea link's ``headhaul``: Asia to Europe): 0.17, the median of the
        Drewry WCI Rotterdam–Shanghai / Shanghai–Rotterdam ratio over 14 dated weeks from
        2019 to 2026 (0.12-0.60; 0.38 in 2019, 0.12-0.18 in 2021-22 and 2024-26).
        Between 0 and 1.
    reliability_ratio : float
        Value of a day of buffer (the P90 minus the P50 of the door-to-door time, see
        :mod:`corridor.reliability`) as a multiple of the value of a day in transit: 1.0, as
        the values of reliability and of time a Florida survey of 150 shippers, carriers and
        forwarders found are of the same size (USD 17-177 and 12-277 per shipment-hour,
        FDOT 2016). Used by :func:`corridor.market_shares`; the router prices mean times.
    transshipment_hours, transshipment_usd : float
        A box changing ships at a port with no figures of its own: 24 h between vessels and
        USD 120 (two crane moves at the BRI model's USD 25 plus a terminal fee; an
        estimate), ports with figures use theirs (``data/sources/ports.csv``).
    sea_spot_usd_per_teu : float or None
        The container market of a period: the Shanghai–North Europe spot rate in USD per
        TEU as the Shanghai Containerized Freight Index quotes it ("Europe (base port)";
        published weeks in ``data/sources/sea_spot_rates.csv``). None (the default): the
        long-run tariff. When set, the sea tariff of the Asia–Europe lane's links in their
        loaded direction (a link's ``headhaul``, Singapore westward) is scaled by it over
        ``SEA_SPOT_BASE_USD_PER_TEU`` (759, the index's 2019 average, the market the
        default tariff stands for); the backhaul direction keeps ``sea_backhaul_factor`` of
        the long-run tariff (backhaul rates did not follow: Xeneta put Europe–Asia at USD
        303 per FEU at the end of 2023, when the SCFI Europe line stood at 1,029-1,497 per
        TEU), and intra-Asia legs keep their tariff (no index used).

    Examples
    --------
    >>> cm = CostModel()
    >>> round(cm.value_of_time_usd_per_hour, 2)
    29.52
    >>> round(cm.replace(co2_kg_per_tkm=DEFAULT_CO2_PER_TKM).co2_kg_per_teu_km("rail"), 4)
    0.3563
    >>> CostModel(carbon_price_usd_per_t=-1)
    Traceback (most recent call last):
    ...
    corridor._errors.DataError: CostModel.carbon_price_usd_per_t must be a finite ...
    """

    tariff_usd_per_teu_km: PerMode = DEFAULT_TARIFF
    speed_kmh: PerMode = DEFAULT_SPEED
    co2_kg_per_tkm: PerMode | None = None
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
    rail_departures_per_week: float = 7.0
    truck_speed_kmh: RoadClasses = DEFAULT_TRUCK_SPEED
    road_tariff_factor: RoadClasses = DEFAULT_ROAD_TARIFF_FACTOR
    truck_team: bool = False
    team_usd_per_hour: float = 5.3
    river_downstream_kmh: float = (2399.0 - 327.0) / (240.0 - 4.0)
    river_upstream_kmh: float = (2399.0 - 327.0) / (240.0 - 4.0) * 57.0 / 100.0
    transshipment_hours: float = 24.0
    transshipment_usd: float = 120.0
    sea_backhaul_factor: float = 0.17
    reliability_ratio: float = 1.0
    sea_spot_usd_per_teu: float | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        for f in dataclasses.fields(self):
            value: Any = getattr(self, f.name)
            kind = _GROUPED.get(f.name)
            if value is None and f.name in ("co2_kg_per_tkm", "sea_spot_usd_per_teu"):
                continue
            if kind is not None:
                if not isinstance(value, kind):
                    problems.append(
                        f"CostModel.{f.name} must be a {kind.__name__}, got {shown(value)}"
                    )
                    continue
                keys = MODES if kind is PerMode else ROAD_CLASSES
                for k in keys:
                    x = float(getattr(value, k))
                    top = _upper(f.name, k)
                    if not (math.isfinite(x) and x > 0):
                        problems.append(
                            f"CostModel.{f.name}.{k} must be a finite number > 0, got {x!r}"
                        )
                    elif x > top:
                        problems.append(
                            f"CostModel.{f.name}.{k} must be at most {top:g}, got {x:g}"
                        )
            elif f.name == "truck_team":
                if not isinstance(value, bool):
                    problems.append(
                        f"CostModel.truck_team must be True or False, got {shown(value)}"
                    )
            elif isinstance(value, bool) or not isinstance(value, numbers.Real):
                problems.append(f"CostModel.{f.name} must be a number, got {shown(value)}")
            else:
                why = _bad_number(f.name, float(value))
                if why:
                    problems.append(f"CostModel.{f.name} {why}")
        if problems:
            raise DataError("; ".join(problems))

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (validated like a new one)."""
        return dataclasses.replace(self, **changes)

    def describe(self) -> pd.DataFrame:
        """Every parameter with its value, unit, source and year, one row each (per mode
        or road class for the grouped ones).

        Examples
        --------
        >>> d = CostModel().describe()
        >>> d.loc["tariff_usd_per_teu_km.rail", ["value", "unit"]].tolist()
        [0.23, 'USD per TEU-km']
        >>> bool(d["source"].str.len().gt(0).all())
        True
        """
        rows: list[tuple[str, Any, str, str, str]] = []
        for f in dataclasses.fields(self):
            unit, source, year = PARAMETER_SOURCES[f.name]
            value: Any = getattr(self, f.name)
            if value is None:
                rows.append((f.name, None, unit, source, year))
            elif isinstance(value, PerMode | RoadClasses):
                keys = MODES if isinstance(value, PerMode) else ROAD_CLASSES
                for k in keys:
                    rows.append((f"{f.name}.{k}", value[k], unit, source, year))
            else:
                rows.append((f.name, value, unit, source, year))
        df = pd.DataFrame(rows, columns=["parameter", "value", "unit", "source", "year"])
        return df.set_index("parameter")

    def for_segment(self, name: str) -> Self:
        """This cost model for cargo segment ``name`` (``data/sources/segments.csv``): its
        value per TEU, value of time and reliability ratio.

        Examples
        --------
        >>> cm = CostModel().for_segment("electromechanical")
        >>> cm.time_value_pct_per_day
        2.1
        """
        from corridor.segments import load_segments

        table = load_segments()
        if not isinstance(name, str) or name not in table.index:
            raise DataError(f"unknown cargo segment {shown(name)}; one of {', '.join(table.index)}")
        row = table.loc[name].to_dict()
        return self.replace(
            cargo_value_usd=float(row["value_usd_per_teu"]),
            time_value_pct_per_day=float(row["time_value_pct_per_day"]),
            reliability_ratio=float(row["reliability_ratio"]),
        )

    @property
    def value_of_reliability_usd_per_hour(self) -> float:
        """USD per TEU-hour of buffer (P90 - P50): ``reliability_ratio`` x value of time."""
        return self.reliability_ratio * self.value_of_time_usd_per_hour

    @property
    def value_of_time_usd_per_hour(self) -> float:
        """USD per TEU-hour in transit: cargo value x daily % / 24."""
        return self.cargo_value_usd * self.time_value_pct_per_day / 100.0 / 24.0

    def co2_kg_per_teu_km(self, mode: str) -> float:
        """kg CO2e per loaded TEU-km for ``mode`` under flat ``co2_kg_per_tkm`` figures
        (None when emissions are counted per link: see :mod:`corridor.emissions`)."""
        if self.co2_kg_per_tkm is None:
            raise DataError(
                "CostModel.co2_kg_per_tkm is None: emissions are counted per link and hub "
                "(corridor.emissions.link_factors), not per mode"
            )
        return self.co2_kg_per_tkm[mode] * self.load_t_per_teu

    def generalized(self, usd: float, hours: float, co2_kg: float) -> float:
        """usd + value of time x hours + carbon price x tonnes CO2."""
        return (
            usd
            + self.value_of_time_usd_per_hour * hours
            + self.carbon_price_usd_per_t * co2_kg / 1000.0
        )
