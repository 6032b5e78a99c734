-- fleet.lua: explicit sessions drawn at random with the scenario's seeded math.random, for
-- scenarios described by ranges ("40 vehicles arriving 05-16 h, staying 1-5 h") rather than data.
--   local fleet = require("fleet")
--   fleet.random_day { date = "2016-06-15", count = 40, arrive = {5, 16}, stay = {1, 5},
--                      power_kw = {6, 7, 11, 22}, capacity_kwh = {30, 52, 88, 100} }
local M = {}

local function pick(list)
  return list[math.random(#list)]
end

local function between(range)
  return range[1] + (range[2] - range[1]) * math.random()
end

local function clock(date, minutes)
  return string.format("%sT%02d:%02d", date, minutes // 60, minutes % 60)
end

-- Declares `count` sessions on one local date. Each vehicle gets an arrival minute uniform in
-- `arrive` (hours), a stay uniform in `stay` (hours), a nominal AC power from `power_kw`, a battery
-- from `capacity_kwh`, an initial SoC uniform in `initial_soc` (default {0.1, 0.5}), and asks for
-- the energy to `target_soc` (default 0.9) or what its nominal power delivers in the stay, whichever
-- is less, so that every request can be met by a charger left at full power. With `dc = true` the
-- power is the vehicle's DC rating (max_dc_kw), else its AC rating (max_ac_kw). Other keys (v2g,
-- max_discharge_kw, min_soc, charge_efficiency, ...) go to every session{} as they are.
function M.random_day(options)
  local own = { date = true, count = true, arrive = true, stay = true, power_kw = true,
                capacity_kwh = true, initial_soc = true, target_soc = true, dc = true }
  local soc_range = options.initial_soc or { 0.1, 0.5 }
  local target = options.target_soc or 0.9
  for _ = 1, options.count do
    local arrival = math.floor(between(options.arrive) * 60 + 0.5)
    local departure = arrival + math.floor(between(options.stay) * 60 + 0.5)
    if departure >= 24 * 60 then
      error("fleet.random_day: a stay would end after midnight; narrow 'arrive' or 'stay'", 2)
    end
    local power = pick(options.power_kw)
    local capacity = pick(options.capacity_kwh)
    local soc = between(soc_range)
    local settings = {}
    for key, value in pairs(options) do
      if not own[key] then settings[key] = value end
    end
    settings.arrival = clock(options.date, arrival)
    settings.departure = clock(options.date, departure)
    settings.capacity_kwh = capacity
    settings.initial_soc = soc
    if options.dc then settings.max_dc_kw = power else settings.max_ac_kw = power end
    settings.requested_kwh = math.min((target - soc) * capacity, power * (departure - arrival) / 60)
    session(settings)
  end
end

return M
