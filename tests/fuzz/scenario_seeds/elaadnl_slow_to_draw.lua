-- Seed: ElaadNL arrivals within what a run holds but more than the fuzzer's budget (1.6 million over
-- the year; drawing them outlasted libFuzzer's timeout in the instrumented build): refused at the
-- arrivals.elaadnl line under the fuzzer's ScenarioLoadOptions::most_sessions.
scenario { name = "seed", timezone = "Europe/Amsterdam", start = "2024-01-01", duration = days(366) }
grid { import_kw = 100 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
charger { name = "A", max_kw = 11, connectors = 2 }
arrivals.elaadnl { site_type = "workplace", per_weekday = 6000, per_weekend_day = 2 }
