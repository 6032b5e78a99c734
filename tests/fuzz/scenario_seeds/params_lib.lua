-- Seed: param() of every type, the lib helpers, durations arithmetic and the elaadnl arrivals.
local kw = param("transformer_kw", 150)
local v2g = param("v2g", false)
local label = param("site", "north")
scenario { name = "seed-" .. label, timezone = "Europe/Amsterdam", start = "2016-03-26",
           duration = days(2) + hours(12), control_period = minutes(15) }
grid { import_kw = kw, export_kw = v2g and kw or 0 }
local site = require("site")
local t1 = transformer { name = "T1", limit_kw = kw * 0.8 }
site.charger_row { prefix = "CP", count = 6, parent = t1, max_kw = 11, v2g = 2 }
site.daily_sessions({ "2016-03-26", "2016-03-27" }, { arrive = "08:00", leave = "17:00", requested_kwh = 20 })
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), price_scale = 0.001, export_factor = 0.9, currency = "EUR" }
arrivals.elaadnl { site_type = "workplace", per_weekday = 10, per_weekend_day = 2 }
pv { name = "roof", parent = t1, kwp = 40, profile = data("pv/pv_netherlands_2019_hourly.csv"), column = "electricity" }
assert(days(1) / hours(1) == 24 and tostring(days(7)) == "7d")
