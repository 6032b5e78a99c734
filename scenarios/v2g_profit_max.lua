-- v2g_profit_max.lua: a V2G car park that can sell energy back when prices are high.
--
-- 20 bidirectional 22 kW chargers sit on one 100 kW transformer. Every working day 20 vehicles with
-- 50 kWh batteries arrive in the morning, stay through the day and allow discharge down to 20 %.
-- Energy is bought at Dutch day-ahead prices, and energy sent back to the grid is paid at 1.2 times
-- the price of the same hour. Drivers pay 0.30 EUR per kWh charged and are paid the hour's import
-- price for each kWh they give (economics, below), which also costs 0.04 EUR of battery wear. A kWh
-- discharged so earns its driver what it saves the site, and the export premium (0.2 x a price of
-- about 0.03 EUR) does not pay for the wear: the strategies that count the site's economics (mpc,
-- offline_optimal, v2g_profit_max; docs/milp.md) shift charging into the cheap hours and do not
-- discharge. v2g_ev2gym.lua is a case where V2G pays.
--
-- Run it:  evtwin run scenarios/v2g_profit_max.lua --strategy edf   (a baseline: never discharges)

local run_days = param("days", 5)  -- -D days=N runs the first N days only

scenario {
  name = "v2g_profit_max",
  timezone = "Europe/Amsterdam",
  start = "2016-06-13",            -- a Monday
  duration = days(run_days),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 1,
  strategy = "edf",
}

grid { import_kw = 100, export_kw = 100 }
local t1 = transformer { name = "T1", limit_kw = 100 }

tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam",
         price_scale = 0.001, currency = "EUR", export_factor = 1.2 }
economics { charging_price_per_kwh = 0.30, ev_degradation_per_kwh = 0.04 }

local site = require("site")
site.charger_row { prefix = "V2G", count = 20, parent = t1, max_kw = 22, v2g = 20, efficiency = 0.97 }

local fleet = require("fleet")
for day, date in ipairs { "2016-06-13", "2016-06-14", "2016-06-15", "2016-06-16", "2016-06-17" } do
  if day > run_days then break end
  fleet.random_day {
    date = date,
    count = 20,
    arrive = { 7, 10 },
    stay = { 7, 10 },
    power_kw = { 22 },
    capacity_kwh = { 50 },
    initial_soc = { 0.2, 0.5 },
    target_soc = 0.8,
    v2g = true,
    max_discharge_kw = 22,
    min_soc = 0.2,
  }
end
