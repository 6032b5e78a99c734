-- depot_two_batteries.lua: a small workplace depot with two stationary batteries, one summer day.
--
-- Six 11 kW chargers share a 40 kW connection (20 kW export) with a 40 kWp PV roof. Two batteries
-- of different make sit on different nodes: a 60 kWh container on the chargers' transformer, fast
-- both ways, that may charge only from the roof's surplus and goes first; and a 30 kWh second-life
-- pack at the grid connection that charges and gives 8 kW at most, loses more, may not go below
-- 20 %, may not give to the grid, and should end the day at least half full. Each ess{} is a
-- battery of its own (docs/scenario-dsl.md, "ess"); a strategy sets each one (Decision::ess_kw),
-- and the engine holds each to its grid permissions.
--
-- Run it:  evtwin compare scenarios/depot_two_batteries.lua --strategies edf,mpc,offline_optimal

scenario {
  name = "depot_two_batteries",
  timezone = "Asia/Seoul",
  start = "2024-07-01",          -- a Monday, local midnight
  duration = days(1),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 7,
  strategy = "mpc",
}

grid { import_kw = 40, export_kw = 20 }
local t1 = transformer { name = "T1", limit_kw = 40 }

for i = 1, 6 do
  charger { name = string.format("CP%d", i), parent = t1, max_kw = 11, min_kw = 4.2, efficiency = 0.97 }
end

pv {
  name = "roof",
  parent = t1,
  kwp = 40,
  profile = data("pv/pv_netherlands_2019_hourly.csv"),
  column = "electricity",
}

ess {
  name = "container", parent = t1, capacity_kwh = 60, max_charge_kw = 30, max_discharge_kw = 30,
  charge_efficiency = 0.95, discharge_efficiency = 0.95, soc_min = 0.1, soc_max = 0.9, soc_initial = 0.3,
  grid_charge = false, priority = 1,
}
ess {
  name = "second_life", capacity_kwh = 30, max_charge_kw = 8, max_discharge_kw = 8,
  charge_efficiency = 0.9, discharge_efficiency = 0.9, soc_min = 0.2, soc_max = 0.95, soc_initial = 0.6,
  end_soc = 0.5, grid_discharge = false,
}

load { name = "workshop", parent = t1, kw = 6 }

tariff { file = "tariffs/kepco_ev_self_consumption.json", variant = "low_voltage", export_price = 0 }
economics { charging_price_per_kwh = 350 }

arrivals.elaadnl { site_type = "workplace", per_weekday = 14, per_weekend_day = 2, declared_departure_noise_h = 0.5 }
