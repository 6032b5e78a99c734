-- The site of tests/interop/twin_equality_test.cpp: a strategy must see the same Observations and
-- make the same decisions in a simulated run (`evtwin run`) and when `evtwin serve` drives the same
-- site over OCPP (tests/interop/play_run.mjs plays the simulated run's sessions).
--
-- Chosen so that a charge point's meter can mirror the simulator's physics exactly: chargers of
-- efficiency 1, vehicles that take the charger's full 11 kW at any SoC (no taper, no losses) until
-- their request is met, batteries of the live{} block's capacity. Feeder F (15 kW) binds whenever
-- both A chargers are busy; the grid connection (40 kW) carries every vehicle. B2 and the vehicle
-- that uses it may discharge; the stationary battery sits at the grid connection. The demand
-- forecaster is `persistence`, which a live twin has too: no strategy sees a vehicle before it
-- arrives, in either run. Prices (twin_tariff.json) and economics make V2G discharge a loss: a
-- driver is paid the import price for each kWh given, plus the wear.
scenario {
  name = "twin-equality",
  timezone = "UTC",
  start = "2024-07-01T08:00",
  duration = hours(3),
  control_period = minutes(5),
  forecast_horizon = hours(6),
  strategy = "edf",
}
forecast { demand = "persistence" }

grid { import_kw = 40 }
local f = feeder { name = "F", limit_kw = 15 }
charger { name = "A1", parent = f, max_kw = 11, efficiency = 1.0 }
charger { name = "A2", parent = f, max_kw = 11, efficiency = 1.0 }
charger { name = "B1", max_kw = 11, efficiency = 1.0 }
charger { name = "B2", max_kw = 11, efficiency = 1.0, v2g = true }
ess { name = "battery", capacity_kwh = 20, max_charge_kw = 7, max_discharge_kw = 7,
      charge_efficiency = 0.95, discharge_efficiency = 0.95, soc_min = 0.1, soc_max = 0.9, soc_initial = 0.5 }

tariff { file = "twin_tariff.json" }
economics { charging_price_per_kwh = 0.30, v2g_price_factor = 1.0, ev_degradation_per_kwh = 0.05,
            ess_degradation_per_kwh = 0.02 }
battery { ev_cost_per_kwh = 100, ess_cost_per_kwh = 100 }

-- Arrivals and departures at least a minute from a control-period boundary and from each other, so
-- that each decision of the simulated run has one cause a live run can match.
local function vehicle(t)
  t.capacity_kwh = 60
  t.max_ac_kw = 11
  t.curve = { { 0, 1 }, { 1, 1 } }
  t.charge_efficiency = 1
  t.discharge_efficiency = 1
  session(t)
end
vehicle { vehicle = "car-1", station = "A1", arrival = "2024-07-01T08:12", departure = "2024-07-01T10:02",
          requested_kwh = 14, initial_soc = 0.3 }
vehicle { vehicle = "car-2", station = "A2", arrival = "2024-07-01T08:23", departure = "2024-07-01T09:47",
          requested_kwh = 12, initial_soc = 0.5 }
vehicle { vehicle = "car-3", station = "B1", arrival = "2024-07-01T08:31", departure = "2024-07-01T10:33",
          requested_kwh = 20, initial_soc = 0.25 }
vehicle { vehicle = "car-4", station = "B2", arrival = "2024-07-01T08:42", departure = "2024-07-01T10:48",
          requested_kwh = 16, initial_soc = 0.4, v2g = true, max_discharge_kw = 11, min_soc = 0.2 }
vehicle { vehicle = "car-5", station = "A1", arrival = "2024-07-01T10:07", departure = "2024-07-01T10:53",
          requested_kwh = 6, initial_soc = 0.6 }

live {
  charge_points = { ["CP-A"] = { "A1", "A2" }, ["CS-B"] = { "B1", "B2" } },
  unit = "W",
  capacity_kwh = 60,
}
