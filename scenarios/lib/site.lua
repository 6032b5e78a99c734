-- site.lua: helpers for declaring sites, loaded with  local site = require("site")
-- (modules come from the scenario's own lib/ folder or from the project's scenarios/lib/).
local M = {}

-- Declares `count` identical chargers named <prefix><number> (two digits: CP01, CP02, ...); the
-- first `v2g` of them are bidirectional. Any other key (max_kw, min_kw, efficiency, dc,
-- setpoints_kw, connectors) is passed to every charger{}. Returns the chargers' handles.
--   site.charger_row { prefix = "CP", count = 10, parent = f1, max_kw = 11, v2g = 2 }
function M.charger_row(options)
  local count = options.count
  if math.type(count) ~= "integer" or count < 1 then
    error("site.charger_row: 'count' must be an integer >= 1", 2)
  end
  local first = options.first or 1
  local handles = {}
  for i = 1, count do
    local settings = {}
    for key, value in pairs(options) do
      if key ~= "count" and key ~= "prefix" and key ~= "first" and key ~= "v2g" then settings[key] = value end
    end
    settings.name = string.format("%s%02d", options.prefix or "CP", first + i - 1)
    settings.v2g = i <= (options.v2g or 0)
    handles[i] = charger(settings)
  end
  return handles
end

-- Declares the same explicit session on each of the given local dates ("2024-07-01", ...):
--   site.daily_sessions({ "2024-07-01", "2024-07-02" }, { arrive = "08:00", leave = "17:00", requested_kwh = 20 })
-- Other keys are passed to session{} as they are.
function M.daily_sessions(dates, options)
  for _, date in ipairs(dates) do
    local settings = {}
    for key, value in pairs(options) do
      if key ~= "arrive" and key ~= "leave" then settings[key] = value end
    end
    settings.arrival = date .. "T" .. options.arrive
    settings.departure = date .. "T" .. options.leave
    session(settings)
  end
end

return M
