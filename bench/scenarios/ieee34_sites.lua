-- Ten charging sites on the IEEE 34-node test feeder (docs/grid.md, "Ten sites on the 34-node
-- feeder"): five workplace car parks with PV and five residential ones with V2G, 400 chargers in
-- all, on EPRI's 34-node file read in place (tests/grid/data/ieee34/, its source named there). The
-- feeder's own loads follow an office building's weekday shape; the regulators act at once on every
-- solve (their taps found at the nominal loads to start with).
--
-- Each car park has its own ElaadNL arrival process (arrivals.elaadnl { node = ... }): 40 chargers of
-- 11 kW under 150 kW at a workplace (about 40 arrivals a weekday, 4 a weekend day; 100 kWp of PV),
-- 40 of 7.4 kW under 80 kW at a residential car park (30 arrivals a day; V2G-capable chargers and
-- a V2G fleet). What does the fleet's charging do to the feeder's voltages, and which strategy keeps
-- them within +-10 %?
--
--   evtwin run bench/scenarios/ieee34_sites.lua --strategy edf --db sites.db            (a week)
--   evtwin run bench/scenarios/ieee34_sites.lua --strategy edf -D days=365 --db year.db (the year benchmark)
scenario {
  name = "ieee34_sites",
  timezone = "Europe/Amsterdam",
  start = "2016-01-01",  -- a year of 2016 prices at most
  duration = days(param("days", 7)),
  control_period = minutes(15),
  seed = 11,
  strategy = "edf",
}

grid {}

-- Three-phase buses along the main line and the 4.16 kV lateral (890).
local workplaces = { "890", "844", "848", "830", "860" }
local homes = { "840", "836", "862", "846", "828" }

local sites = {}
for i, bus in ipairs(workplaces) do
  local park = transformer { name = "work" .. i, limit_kw = 150 }
  for k = 1, 40 do
    charger { name = string.format("W%d-%02d", i, k), parent = park, max_kw = 11 }
  end
  pv { name = "pv" .. i, parent = park, kwp = 100, profile = data("pv/pv_netherlands_2019_hourly.csv") }
  arrivals.elaadnl { site_type = "workplace", per_weekday = 40, per_weekend_day = 4, node = park }
  sites[#sites + 1] = { node = park, bus = bus, pf = 0.98 }
end
for i, bus in ipairs(homes) do
  local park = transformer { name = "home" .. i, limit_kw = 80 }
  for k = 1, 40 do
    charger { name = string.format("H%d-%02d", i, k), parent = park, max_kw = 7.4, v2g = true }
  end
  arrivals.elaadnl { site_type = "private", per_weekday = 30, per_weekend_day = 30, v2g_fleet = true, node = park }
  sites[#sites + 1] = { node = park, bus = bus, pf = 0.98 }
end

distribution_feeder {
  name = "ieee34",
  dss = "../../tests/grid/data/ieee34/ieee34Mod2.dss",
  sites = sites,
  load_profile = { file = "../../scenarios/loads/office_summer_weekday_kw.csv", column = "kW", scale = 1 / 225 },
  v_min_pu = param("v_min_pu", 0.9),  -- a distribution system operator's tighter floor, for a study
}

tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), price_scale = 0.001 }
