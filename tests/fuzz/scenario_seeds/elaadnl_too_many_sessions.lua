-- Seed: ElaadNL arrivals at rates that would draw more sessions over the year than a run holds:
-- refused at the arrivals.elaadnl line, not drawn (the fuzzer once ran out of memory on such a case).
scenario { name = "seed", timezone = "Europe/Amsterdam", start = "2024-01-01", duration = days(366) }
grid { import_kw = 100 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
charger { name = "A", max_kw = 11, connectors = 2 }
arrivals.elaadnl { site_type = "workplace", per_weekday = 60000, per_weekend_day = 2 }
