-- A module for the require tests: builds a row of chargers under a feeder.
local M = {}

function M.charger_row(prefix, parent, count, max_kw)
  for i = 1, count do
    charger { name = string.format("%s%02d", prefix, i), parent = parent, max_kw = max_kw }
  end
end

return M
