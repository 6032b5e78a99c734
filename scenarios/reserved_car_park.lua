-- reserved_car_park.lua: a workplace car park with fewer chargers than drivers, where some drivers
-- reserve a connector before they come (OCPP ReserveNow in a live site).
--
-- Twelve 11 kW chargers under a 60 kW connection, 20 arrivals on a weekday from the ElaadNL workplace
-- statistics. A third of the drivers reserve 10 to 45 minutes before they arrive, and the connector
-- is held for 40 minutes; one reserving driver in eight never comes. A reserved connector is kept
-- from everybody else until its holder comes or the reservation expires (a no-show), so reserving
-- drivers are rejected less often and the others more often.
--
-- Run it:  evtwin run scenarios/reserved_car_park.lua --strategy edf --db /tmp/reserved.db
-- Its KPIs: reservations, reservations_refused, reservations_honoured, reservation_no_shows,
-- reserved_energy (docs/results-schema.md); -D share=0 runs the same car park without them.

scenario {
  name = "reserved_car_park",
  timezone = "Europe/Amsterdam",
  start = "2016-06-13",   -- a Monday
  duration = days(5),
  control_period = minutes(15),
  seed = 7,
  strategy = "edf",
}

local site_kw = param("site_kw", 60)
grid { import_kw = site_kw, export_kw = site_kw }
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam",
         price_scale = 0.001, currency = "EUR" }

for i = 1, 12 do
  charger { name = string.format("CP%02d", i), max_kw = 11, efficiency = 0.97 }
end

arrivals.elaadnl {
  site_type = "workplace",
  per_weekday = 20,
  per_weekend_day = 3,
  declared_departure_noise_h = 0.5,
}

local share = param("share", 1 / 3)
if share > 0 then
  reservations {
    share = share,                         -- of the drivers, who reserve
    lead = { minutes(10), minutes(45) },   -- how long before they come, drawn uniformly
    hold = minutes(40),                    -- the connector is held this long, then expires
    no_show = param("no_show", 0.125),     -- of the reserving drivers, who never come
  }
end
