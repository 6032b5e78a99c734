-- Seed: the constructs the shipped scenarios leave out: phase constraints, ESS, constant load,
-- economics, explicit sessions with curves and vehicles, battery, forecast, rl, and every hook.
scenario { name = "seed", timezone = "America/Los_Angeles", start = "2024-03-09", duration = days(2),
           control_period = minutes(5), forecast_horizon = hours(6), seed = 3, strategy = "edf" }
grid { import_kw = 80, export_kw = 20 }
local t1 = transformer { name = "T1", limit_kw = 70 }
local f1 = feeder { name = "F1", parent = t1, limit_kw = 40 }
local a = charger { name = "A", parent = f1, max_kw = 7, min_kw = 1.4, setpoints_kw = {0, 1.4, 3.3, 7} }
local b = charger { name = "B", parent = f1, max_kw = 50, connectors = 2, v2g = true }
phase_constraint { name = "Iab", limit_a = 80, terms = { {a, 1}, {"B", -0.5} } }
ess { name = "batt", parent = t1, capacity_kwh = 40, max_charge_kw = 20, max_discharge_kw = 20, soc_min = 0.1,
      soc_max = 0.9, soc_initial = 0.5, soh = 0.95 }
load { name = "office", parent = t1, kw = 12 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json"), demand_charge_per_kw = 3 }
economics { charging_price_per_kwh = 0.3, v2g_price_factor = 1.2, ev_degradation_per_kwh = 0.05 }
session { arrival = "2024-03-09T08:00", departure = "2024-03-09T17:00", declared_departure = "2024-03-09T16:30",
          capacity_kwh = 60, initial_soc = 0.2, target_soc = 0.8, curve = {{0, 1}, {0.8, 1}, {1, 0.2}},
          v2g = true, min_soc = 0.3, station = "B", vehicle = "car-1", model_year = 2019, chemistry = "lfp" }
session { arrival = "2024-03-10T01:30", departure = "2024-03-10T03:30", requested_kwh = 5, max_ac_kw = 3.7 }
battery { ambient_c = 25, ev_cost_per_kwh = 150, model_years = {2016, 2024}, fleet_vehicles = 4 }
forecast { load = { "noisy", noise = 0.1 }, demand = "seasonal_naive", holidays = "us", history = days(1) }
rl { }
at("2024-03-09T14:00", function(site)
  site.demand_response { node = "T1", limit_kw = 30, duration = hours(2) }
  site.price_spike { factor = 5, duration = hours(1) }
end)
every(hours(6), function(site) site.log("tick " .. site.now()) end, { first = "2024-03-09T06:30" })
on("arrival", function(site, event) if event.charger == "A" then site.fault("A") end end)
on("departure", function(site, event) site.repair("A"); site.set_limit("F1", 30, 10) end)
