-- The forecast -> optimise -> guard loop on a real workplace site: the 52 chargers of the ACN JPL
-- garage with its real 2019 sessions (arrivals, energies, declared departures), a 100 kWp roof PV
-- shaped by ../shared/data/pv/jpl_pv_220kwdc_30min.csv, a 200 kWh battery and SCE's TOU-EV-4 tariff
-- with its 15.51 $/kW monthly demand charge.
--
-- Strategies plan on the forecasters named below (docs/forecasting.md); the held-out weeks start on
-- 20 May 2019, after the two weeks (1-14 May) a learned demand model is fine-tuned on. Compare what
-- information is worth with --forecast, e.g.
--   evtwin compare scenarios/jpl_forecast_loop.lua --strategies mpc,edf --forecast demand=seasonal_naive
--
-- Parameters: start (default 2019-05-20; training on other weeks, e.g. for PPO, starts elsewhere), weeks
-- (weeks simulated, default 1), demand / pv (forecasters, default perfect),
-- cap_kw (the garage transformer, default 150).

scenario {
  name = "jpl_forecast_loop",
  timezone = "America/Los_Angeles",
  start = param("start", "2019-05-20"),
  duration = days(7 * param("weeks", 1)),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  seed = 1,
  strategy = "edf",  -- compare mpc (and its forecasters) against it: see the header
}

forecast {
  demand = param("demand", "perfect"),
  pv = param("pv", "perfect"),
  holidays = "us",
  history = days(14),  -- the sessions of the two weeks before the start are the forecasters' past
}

grid { import_kw = 400, export_kw = 100 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }

local garage = transformer { name = "garage", limit_kw = param("cap_kw", 150) }

-- The stations as ACN-Data names them: AG-1F01..AG-1F14 on floor 1, AG-3F15..33, AG-4F34..52.
local floors = { { 1, 1, 14 }, { 3, 15, 33 }, { 4, 34, 52 } }
for _, f in ipairs(floors) do
  local floor = feeder { name = "floor" .. f[1], parent = garage, limit_kw = 80 }
  for n = f[2], f[3] do
    charger { name = string.format("AG-%dF%02d", f[1], n), parent = floor, max_kw = 6.6, efficiency = 1.0 }
  end
end

pv {
  name = "roof",
  parent = garage,
  kwp = 100,
  profile = data("pv/jpl_pv_220kwdc_30min.csv"),
  scale = 1 / 220,  -- the file's array is 220 kWdc
}

ess {
  name = "battery",
  parent = garage,
  capacity_kwh = 200,
  max_charge_kw = 100,
  max_discharge_kw = 100,
  soc_initial = 0.5,
}

arrivals.acn_csv { file = data("sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz"), capacity_kwh = 60, max_kw = 6.6 }
