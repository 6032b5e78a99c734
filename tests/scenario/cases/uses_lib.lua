-- Uses modules from the lib/ folder next to it.
scenario { name = "uses_lib", timezone = "Europe/Amsterdam", start = "2016-03-07", duration = days(1) }
grid { import_kw = 100 }
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam", price_scale = 0.001 }

local helpers = require("helpers")
local names = require("nested.names")
assert(require("helpers") == helpers, "a module is loaded once")

local f = feeder { name = names.feeder, limit_kw = 44 }
helpers.charger_row("AC", f, 4, 11)
