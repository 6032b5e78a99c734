-- solar_station_seoul.lua: a solar fast-charging station in Seoul, one summer week.
--
-- Six 100 kW DC fast chargers share a 500 kW connection with a 150 kWp PV canopy and a 300 kWh /
-- 150 kW battery (ESS). Energy is bought on KEPCO's tariff for charging-service operators (high
-- voltage, option II: the widest spread between off-peak and peak, effective from June 2026), and
-- the monthly demand charge punishes every kW of peak import. Drivers pay a fixed price per kWh.
-- The ESS and PV exist to shave the peaks and shift energy out of the expensive hours; a baseline
-- strategy leaves the ESS idle, which is the reference the smarter strategies must beat.
--
-- PV: no Seoul profile is in the reference data, so the hourly output of a PVWatts system in
-- Golden, Colorado (latitude 39.7 N, Seoul 37.6 N) stands in, laid onto Seoul's local clock.
--
-- Run it:  evtwin run scenarios/solar_station_seoul.lua

scenario {
  name = "solar_station_seoul",
  timezone = "Asia/Seoul",
  start = "2026-07-06",            -- a Monday
  duration = days(7),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 1,
  strategy = "uncontrolled",
}

grid { import_kw = 500, export_kw = 150 }
local t1 = transformer { name = "T1", limit_kw = 500 }

tariff { file = "tariffs/kepco_ev_charging_service.json", variant = "high_voltage_II" }
economics { charging_price_per_kwh = 347, ess_degradation_per_kwh = 30 }

local site = require("site")
site.charger_row { prefix = "DC", count = 6, parent = t1, max_kw = 100, min_kw = 5, dc = true, efficiency = 0.95 }

pv {
  name = "canopy", parent = t1, kwp = 150,
  profile = data("pv/pvwatts_8760_golden_co_4kw.csv"),
  column = "AC System Output (W)",
  scale = 1 / 4000,                -- W of a 4 kW system -> kW per kWp
}
ess {
  name = "battery", parent = t1, capacity_kwh = 300, max_charge_kw = 150, max_discharge_kw = 150,
  charge_efficiency = 0.95, discharge_efficiency = 0.95, soc_min = 0.1, soc_max = 0.95, soc_initial = 0.5,
}

-- Fast-charging visits: 07:00 to 22:00, 20 to 60 minutes, topping up to 80 %.
local fleet = require("fleet")
for _, date in ipairs { "2026-07-06", "2026-07-07", "2026-07-08", "2026-07-09", "2026-07-10", "2026-07-11", "2026-07-12" } do
  fleet.random_day {
    date = date,
    count = 60,
    arrive = { 7, 22 },
    stay = { 1 / 3, 1 },
    dc = true,
    power_kw = { 50, 100, 150, 200 },   -- the vehicle's DC rating; the charger gives at most 100
    capacity_kwh = { 58, 64, 77, 84 },
    initial_soc = { 0.1, 0.4 },
    target_soc = 0.8,
  }
end
