-- Two charging sites on the IEEE 34-node test feeder (docs/grid.md, "Feeders in a run"): what does
-- their charging do to the feeder's voltages, and which strategy keeps them within +-10 %?
--
-- The feeder is EPRI's OpenDSS file of Kersting's 34-node feeder (24.9 kV, long and lightly loaded,
-- two step regulators), read in place from tests/grid/data/ieee34/ (its source is named there). Its
-- regulators' taps are set once by the static tap control at the feeder's nominal loads and held for
-- the week; its own loads (the other customers) follow a daily shape, an office building's summer
-- weekday scaled to 1 at its peak (loads/office_summer_weekday_kw.csv).
--
-- A workplace depot at bus 890, the far end of the 4.16 kV lateral behind the in-line transformer
-- XFM1 (0.917 per unit at nominal load in Kersting's solution), and a residential garage at bus 840,
-- on the 24.9 kV main line beyond the second regulator. Vehicles arrive on weekdays, drawn from the
-- scenario's seed: at the depot in the morning, at the garage in the evening.
--
--   evtwin run scenarios/ieee34_feeder.lua --strategy uncontrolled --db ieee34.db
--   evtwin run scenarios/ieee34_feeder.lua --strategy edf --db ieee34.db
scenario {
  name = "ieee34_feeder",
  timezone = "Europe/Amsterdam",
  start = "2016-06-06",          -- a Monday
  duration = days(7),
  control_period = minutes(15),
  seed = 7,
  strategy = "uncontrolled",
}

local depot_chargers = param("depot_chargers", 16)
local garage_chargers = param("garage_chargers", 12)

grid {}
local depot = transformer { name = "depot", limit_kw = param("depot_kw", 300) }
local garage = transformer { name = "garage", limit_kw = param("garage_kw", 100) }

distribution_feeder {
  name = "ieee34",
  dss = "../tests/grid/data/ieee34/ieee34Mod2.dss",
  sites = {
    { node = depot, bus = "890", pf = 0.98 },
    { node = garage, bus = "840", pf = 0.98 },
  },
  load_profile = { file = "loads/office_summer_weekday_kw.csv", column = "kW", scale = 1 / 225 },
  v_min_pu = 0.9,
  v_max_pu = 1.1,
}

for i = 1, depot_chargers do
  charger { name = string.format("D%02d", i), parent = depot, max_kw = 22 }
end
for i = 1, garage_chargers do
  charger { name = string.format("G%02d", i), parent = garage, max_kw = 11 }
end

tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), price_scale = 0.001 }

-- Weekdays: each depot charger sees one vehicle from about 08:00 to 17:00, each garage charger one
-- from about 18:00 to 07:00 the next morning.
local days_of_week = { "2016-06-06", "2016-06-07", "2016-06-08", "2016-06-09", "2016-06-10" }
local function at(day, minutes_after_midnight)
  local h = minutes_after_midnight // 60
  return string.format("%sT%02d:%02d", day, h, minutes_after_midnight % 60)
end
local function next_day(day)
  local y, m, d = day:match("(%d+)-(%d+)-(%d+)")
  return string.format("%s-%s-%02d", y, m, tonumber(d) + 1)
end
for _, day in ipairs(days_of_week) do
  for i = 1, depot_chargers do
    local arrive = 7 * 60 + 30 + math.random(0, 90)
    session {
      arrival = at(day, arrive),
      departure = at(day, arrive + 8 * 60 + math.random(0, 90)),
      requested_kwh = 15 + math.random(0, 30),
      max_ac_kw = 22,
      station = string.format("D%02d", i),
    }
  end
  for i = 1, garage_chargers do
    local arrive = 17 * 60 + 30 + math.random(0, 120)
    session {
      arrival = at(day, arrive),
      departure = at(next_day(day), 6 * 60 + math.random(0, 90)),
      requested_kwh = 10 + math.random(0, 25),
      station = string.format("G%02d", i),
    }
  end
end
