-- Two explicit sessions, given out of order, on a small site. Used by scenario_loader_test.cpp.
scenario {
  name = "explicit", timezone = "Asia/Seoul", start = "2024-07-01", duration = days(1),
  control_period = minutes(5), forecast_horizon = hours(6), seed = 3, strategy = "edf",
  strategy_options = { horizon = 12, verbose = true, mode = "fast" },
}
grid { import_kw = param("import_kw", 40), export_kw = 0 }
local t1 = transformer { name = "T1", limit_kw = 40 }
charger { name = "DC1", parent = t1, max_kw = 50, dc = true }
charger { name = "AC1", parent = t1, max_kw = 11, min_kw = 1.4, setpoints_kw = { 11, 0, 7.4, 3.7 }, v2g = true }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
economics { charging_price_per_kwh = 0.35, v2g_price_factor = 1.2, ev_degradation_per_kwh = 0.05 }
load { name = "office", kw = 5 }

session {
  arrival = "2024-07-01T13:00", departure = "2024-07-01T18:30", declared_departure = "2024-07-01T18:00",
  capacity_kwh = 77, initial_soc = 0.3, target_soc = 0.8, station = "DC1", model = "Ioniq 5",
}
session {
  arrival = "2024-07-01T08:00", departure = "2024-07-01T17:00",
  capacity_kwh = 60, initial_soc = 0.2, requested_kwh = 20, max_ac_kw = 7.4,
  curve = { { 0, 1 }, { 0.8, 1 }, { 1, 0.2 } }, charge_efficiency = 0.9, v2g = true, min_soc = 0.25,
}
