-- quickstart.lua: a first scenario to run and read.
--
-- A workplace car park in Seoul: one 150 kW transformer feeds 20 AC chargers (11 kW each, 4 of them
-- able to discharge: V2G), a 50 kWp rooftop PV array and a 100 kWh battery (ESS). Energy is bought
-- on KEPCO's summer time-of-use tariff. For one week from Monday 1 July 2024, employees arrive as the
-- ElaadNL workplace statistics say: about 30 cars on a weekday, a few at the weekend, a fifth of
-- them able to give energy back (V2G).
--
-- 20 chargers x 11 kW = 220 kW is more than the transformer's 150 kW, and peak-hour energy costs
-- three times the night rate, so a strategy has real choices to make.
--
-- Run it:      evtwin run scenarios/quickstart.lua
-- Change it:   evtwin run scenarios/quickstart.lua -D transformer_kw=100 --seed 7
-- Every construct used here is described in docs/scenario-dsl.md.

-- The run: where (time zone), when, how often the strategy decides, how far it may look ahead.
-- The seed fixes every random draw (arrivals, math.random), so a run can be repeated exactly.
scenario {
  name = "quickstart",
  timezone = "Asia/Seoul",
  start = "2024-07-01",          -- a Monday, local midnight
  duration = days(7),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 42,
  strategy = "uncontrolled",     -- a baseline; try --strategy edf on the command line
}

-- param() reads "-D name=value" from the command line, or takes the default.
local transformer_kw = param("transformer_kw", 150)

-- The electrical tree. The grid connection is its root; everything else hangs below it.
grid { import_kw = transformer_kw, export_kw = transformer_kw }
local t1 = transformer { name = "T1", limit_kw = transformer_kw }

-- Two feeders (cable runs) of ten chargers each. A feeder limit is a second constraint below the
-- transformer: ten 11 kW chargers could draw 110 kW, the cable carries 80.
local feeders = {
  feeder { name = "F1", parent = t1, limit_kw = 80 },
  feeder { name = "F2", parent = t1, limit_kw = 80 },
}

-- 20 chargers, CP01..CP20. Three-phase 11 kW AC cannot run below 6 A per phase (about 4.2 kW),
-- hence min_kw. The first four are bidirectional (V2G).
for i = 1, 20 do
  charger {
    name = string.format("CP%02d", i),
    parent = feeders[i <= 10 and 1 or 2],
    max_kw = 11,
    min_kw = 4.2,
    efficiency = 0.97,   -- energy at the vehicle inlet per energy from the grid
    v2g = i <= 4,
  }
end

-- Rooftop PV: 50 kWp with the hourly output (kW per kWp) of a year of Dutch PV, laid onto the
-- same month, day and hour of the simulated week. Data files are named relative to the data folder
-- (../shared/data, or --data-dir, or $EVTWIN_DATA).
pv {
  name = "roof",
  parent = t1,
  kwp = 50,
  profile = data("pv/pv_netherlands_2019_hourly.csv"),
  column = "electricity",
}

-- A stationary battery that a strategy can use to shave the peak or shift cheap night energy.
ess {
  name = "battery",
  parent = t1,
  capacity_kwh = 100,
  max_charge_kw = 50,
  max_discharge_kw = 50,
  charge_efficiency = 0.95,
  discharge_efficiency = 0.95,
  soc_min = 0.1,
  soc_max = 0.9,
  soc_initial = 0.5,
}

-- The office building itself draws a steady 20 kW through the same transformer.
load { name = "building", parent = t1, kw = 20 }

-- KEPCO's EV charging tariff (self-consumption, low voltage): off-peak / mid / peak bands by season
-- and hour, plus a monthly demand charge per kW of peak demand. The file sits next to this one in
-- scenarios/tariffs/. Exported energy (PV surplus, V2G) earns nothing here.
tariff {
  file = "tariffs/kepco_ev_self_consumption.json",
  variant = "low_voltage",
  export_price = 0,
}

-- What drivers pay per kWh, what V2G energy earns them (x the import price) and the battery
-- wear that V2G discharge costs, all in the tariff's currency (KRW). With
-- -D drivers_tariff=tariffs/ocpi_drivers_time_of_day.json drivers pay each session as that OCPI
-- tariff prices it instead (docs/ocpi.md); strategies still see the flat price.
local drivers_tariff = param("drivers_tariff", "none")
economics {
  charging_price_per_kwh = 350,
  charging_tariff = drivers_tariff ~= "none" and drivers_tariff or nil,
  v2g_price_factor = 1.2,
  ev_degradation_per_kwh = 50,
}

-- Arrivals drawn from the ElaadNL workplace statistics: arrival time, stay and energy per arrival
-- slot, EV models by Dutch registrations. Two groups of drivers: most drive ordinary EVs; a fifth
-- drive V2G-capable models (v2g_fleet), whose batteries a strategy may discharge on a V2G charger.
-- Drivers misjudge their departure by about half an hour (declared_departure_noise_h).
arrivals.elaadnl {
  site_type = "workplace",
  per_weekday = 24,
  per_weekend_day = 3,
  declared_departure_noise_h = 0.5,
}
arrivals.elaadnl {
  site_type = "workplace",
  per_weekday = 6,
  per_weekend_day = 1,
  v2g_fleet = true,
  declared_departure_noise_h = 0.5,
}
