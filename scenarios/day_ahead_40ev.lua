-- day_ahead_40ev.lua: plan one day of charging for 40 vehicles under a 100 kW site limit.
--
-- The classic day-ahead scheduling case: 40 vehicles with nominal charging powers of 6, 7, 11 or
-- 22 kW and batteries of 30, 52, 88 or 100 kWh arrive between 05:00 and 16:00 and stay 1 to 5 hours.
-- Each has its own 22 kW charger, but the site connection carries only 100 kW, and energy is bought
-- at Dutch day-ahead prices (one June day in 2016), so a good plan fills the cheap hours first.
-- Every vehicle asks for no more than its own charger could give it during its stay: what a plan
-- leaves undelivered is the strategy's doing, not the data's.
--
-- Run it:     evtwin run scenarios/day_ahead_40ev.lua --strategy edf
-- Compare:    evtwin compare scenarios/day_ahead_40ev.lua --strategies uncontrolled,edf,llf --seeds 5
-- The seed draws the vehicles (math.random is seeded by it), so other seeds give other days.

scenario {
  name = "day_ahead_40ev",
  timezone = "Europe/Amsterdam",
  start = "2016-06-15",            -- a Wednesday
  duration = hours(24),
  control_period = minutes(15),    -- the plan's time step
  forecast_horizon = hours(24),    -- strategies see the whole day's prices
  seed = 1,
  strategy = "edf",
}

local site_kw = param("site_kw", 100)
grid { import_kw = site_kw, export_kw = site_kw }

-- Day-ahead prices in EUR/MWh, turned into EUR/kWh.
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam",
         price_scale = 0.001, currency = "EUR" }

local site = require("site")
site.charger_row { prefix = "CP", count = 40, max_kw = 22, efficiency = 0.97 }

local fleet = require("fleet")
fleet.random_day {
  date = "2016-06-15",
  count = 40,
  arrive = { 5, 16 },               -- hours of the day
  stay = { 1, 5 },                  -- hours
  power_kw = { 6, 7, 11, 22 },      -- the vehicle's on-board charger
  capacity_kwh = { 30, 52, 88, 100 },
  initial_soc = { 0.1, 0.5 },
  target_soc = 0.9,
}
