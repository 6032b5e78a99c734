-- norway_reservations.lua: garage UT9 of the Norwegian residential data set with one shared charger
-- instead of its two, and reservations offered to its returning drivers.
--
-- UT9's sixteen residents share two charge points (Shared-12 and Shared-11); in the data no one ever
-- found both taken. With one of them out of service, a driver who comes while it is taken is turned
-- away. Who gets it? Three ways, chosen with -D reservations=...:
--   none       first come, first served
--   suggested  each midnight every resident not plugged in is offered a reservation for the hour
--              of that day their next charge is most likely in (drivers/ predictions from the
--              sessions before that midnight: -D predictor=frequency, last_week or a model file from
--              `evtwin drivers train`), held from an hour before that hour to an hour after it,
--              when the chance reaches -D min_probability (docs/drivers.md)
--   perfect    perfect foresight: every driver books an hour before they really come and the
--              charger is held for three hours (the same window)
-- Twenty-one weeks from September 2019, the eight months before as the predictions' history. The
-- battery sizes are assumed (60 kWh at 20 %), the tariff illustrative, as in norway_residential.lua.
--
-- Run it:  evtwin run scenarios/norway_reservations.lua -D reservations=suggested --db r.db

scenario {
  name = "norway_reservations",
  timezone = "Europe/Oslo",
  start = "2019-09-02",            -- a Monday
  duration = days(147),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 1,
  strategy = "edf",
}

grid { import_kw = 25, export_kw = 0 }
tariff { file = "tariffs/norway_household_flat_illustrative.json" }
charger { name = "Shared-12", max_kw = 7.4, min_kw = 1.4, efficiency = 0.97 }

arrivals.norway_csv {
  file = data("sessions/norway_residential_2018-12_2020-01.csv"),
  garage = "UT9",
  capacity_kwh = 60,
  max_kw = 7.4,
  initial_soc = 0.2,
}

local mode = param("reservations", "suggested")
if mode == "suggested" then
  reservations {
    suggested = {
      predictor = param("predictor", "frequency"),
      min_probability = param("min_probability", 0.3),
      margin = hours(1),
      history = days(240),
    },
  }
elseif mode == "perfect" then
  reservations { share = 1, lead = hours(1), hold = hours(3) }
elseif mode ~= "none" then
  error("-D reservations=" .. mode .. ": expected none, suggested or perfect")
end
