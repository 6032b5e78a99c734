-- norway_residential.lua: an apartment garage in Norway, four November weeks of real sessions.
--
-- The residents of garage "Bl2" (the busiest in the Norwegian residential data set: eight private
-- charge points, one per household, and two shared ones) come home, plug in and leave in the
-- morning, as they really did in November 2019 (the garage's busiest month). Each private user has their own 7.4 kW charger
-- (32 A single phase); the shared ones take any resident's car. The garage's supply carries 25 kW,
-- less than the ten chargers together (74 kW), so on a cold evening when everyone plugs in at once
-- a strategy must share: it knows when each car leaves in the morning.
--
-- The data has no battery sizes or SoC: a 60 kWh battery at 20 % is assumed (enlarged where the
-- logged energy would not fit). The tariff is a flat, illustrative household price: the reference
-- data holds no Norwegian tariff (see scenarios/tariffs/norway_household_flat_illustrative.json).
--
-- Run it:  evtwin run scenarios/norway_residential.lua --strategy edf

scenario {
  name = "norway_residential",
  timezone = "Europe/Oslo",
  start = "2019-11-04",            -- a Monday
  duration = days(28),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 1,
  strategy = "edf",
}

local garage_kw = param("garage_kw", 25)
grid { import_kw = garage_kw, export_kw = 0 }
tariff { file = "tariffs/norway_household_flat_illustrative.json" }

-- Named as the data names each charge point, so that every resident gets their own.
for _, name in ipairs { "Bl2-1", "Bl2-2", "Bl2-3", "Bl2-4", "Bl2-5", "Bl2-6", "Bl2-7", "Bl2-8", "Shared-6", "Shared-7" } do
  charger { name = name, max_kw = 7.4, min_kw = 1.4, efficiency = 0.97 }
end

arrivals.norway_csv {
  file = data("sessions/norway_residential_2018-12_2020-01.csv"),
  garage = "Bl2",
  capacity_kwh = 60,
  max_kw = 7.4,
  initial_soc = 0.2,
}
