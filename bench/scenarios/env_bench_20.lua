-- The reinforcement-learning benchmark's site as a scenario file (env_bench's site_of_20): 20 x
-- 11 kW chargers under a 150 kW transformer, one day an episode, 15-minute control, 60 vehicles a
-- day drawn from the seed (arrival 00:00-20:00, stay 1-9 h, 5-40 kWh wanted, 60 kWh batteries),
-- time-of-use energy prices without a demand charge. What bench/python_env_bench.py steps from
-- Python and C++ alike.
scenario {
  name = "env_bench_20",
  timezone = "UTC",
  start = "2024-07-01",
  duration = days(1),
  control_period = minutes(15),
  forecast_horizon = hours(4),
  seed = 1,
  strategy = "edf",
}

grid { import_kw = 400, export_kw = 400 }
local t1 = transformer { name = "T1", limit_kw = 150 }
for i = 1, 20 do
  charger { name = string.format("CP%02d", i), parent = t1, max_kw = 11 }
end
tariff { file = "../../scenarios/tariffs/kepco_ev_self_consumption.json", variant = "low_voltage",
         demand_charge_per_kw = 0, export_price = 0 }

local function clock(hours)
  local minutes = math.floor(hours * 60)
  return string.format("2024-07-01T%02d:%02d", minutes // 60, minutes % 60)
end

for _ = 1, 60 do
  local arrive = 20 * math.random()
  session {
    arrival = clock(arrive),
    departure = clock(math.min(23.9, arrive + 1 + 8 * math.random())),
    requested_kwh = 5 + 35 * math.random(),
    initial_soc = 0.1 + 0.4 * math.random(),
    capacity_kwh = 60,
    max_ac_kw = 11,
    curve = {{0, 1}, {0.8, 1}, {1, 0.2}},
  }
end
