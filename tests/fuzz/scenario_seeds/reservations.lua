-- Seed: reservations{} drawn for a share of the sessions (a lead range, a hold, no-shows) and listed.
scenario { name = "seed-reservations", timezone = "Europe/Amsterdam", start = "2016-03-07", duration = days(2) }
grid { import_kw = 40 }
for i = 1, 4 do charger { name = "CP" .. i, max_kw = 11 } end
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), price_scale = 0.001, currency = "EUR" }
arrivals.elaadnl { site_type = "workplace", per_weekday = 12, per_weekend_day = 2 }
session { arrival = "2016-03-07T09:00", departure = "2016-03-07T12:00", requested_kwh = 10, vehicle = "car-17" }
reservations {
  share = 0.4, lead = { minutes(5), hours(1) }, hold = minutes(30), no_show = 0.2,
  list = { { id_tag = "car-17", station = "CP2", from = "2016-03-07T08:30", to = "2016-03-07T09:15" } },
}
