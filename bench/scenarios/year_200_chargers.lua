-- A one-year run of a large workplace site, for timing: 200 x 11 kW AC chargers on ten 150 kW
-- feeders under a 1.2 MW transformer, 400 kWp of PV, ElaadNL workplace arrivals (about 300 cars on
-- a weekday), KEPCO self-consumption tariff, 15-minute control. With -D fleet=N (e.g. 600) the
-- arrivals are N vehicles that return (docs/battery.md). With -D scale=K the site is K times as large
-- (feeders, transformer, grid, PV and arrivals alike), for measuring how cost grows with the site.
scenario {
  name = "year_200_chargers",
  timezone = "Asia/Seoul",
  start = "2024-01-01",
  duration = days(param("days", 366)),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 1,
  strategy = "edf",
}

local scale = param("scale", 1)
grid { import_kw = 1200 * scale, export_kw = 1200 * scale }
local t1 = transformer { name = "T1", limit_kw = 1200 * scale }
tariff { file = "../../scenarios/tariffs/kepco_ev_self_consumption.json", variant = "low_voltage" }

for f = 1, 10 * scale do
  local feeder_node = feeder { name = string.format("F%02d", f), parent = t1, limit_kw = 150 }
  for i = 1, 20 do
    charger { name = string.format("CP%02d-%02d", f, i), parent = feeder_node, max_kw = 11, min_kw = 4.2, efficiency = 0.97 }
  end
end

pv { name = "roof", parent = t1, kwp = 400 * scale, profile = data("pv/pv_netherlands_2019_hourly.csv"), column = "electricity" }

arrivals.elaadnl { site_type = "workplace", per_weekday = 300 * scale, per_weekend_day = 40 * scale }

-- -D fleet=N: the arrivals are N vehicles that return, whose batteries age through the year.
local fleet = param("fleet", 0)
if fleet > 0 then battery { fleet_vehicles = fleet, model_years = {2016, 2024}, ev_cost_per_kwh = 150000 } end
