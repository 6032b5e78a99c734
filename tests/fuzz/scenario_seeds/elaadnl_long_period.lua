-- Seed: ElaadNL arrivals over a period of a thousand years, more sessions than a run holds: refused
-- at the arrivals.elaadnl line, not drawn (the fuzzer once ran out of memory here).
scenario { name = "seed", timezone = "Europe/Amsterdam", start = "1009-03-01", stop = "2019-04-01" }
grid { import_kw = 100 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
charger { name = "A", max_kw = 11, connectors = 2 }
arrivals.elaadnl { site_type = "workplace", per_weekday = 20, per_weekend_day = 2 }
