-- A site on a small feeder described in Lua: the seed of the feeder's mutation test.
scenario { name = "feeder", timezone = "Europe/Amsterdam", start = "2016-03-07", duration = days(1) }
grid { import_kw = 100 }
local t = transformer { name = "T", limit_kw = 60 }
charger { name = "CP1", parent = t, max_kw = 22 }
charger { name = "CP2", parent = t, max_kw = 11, v2g = true }
distribution_feeder {
  name = "lv",
  source = { bus1 = "s", basekv = 11, pu = 1.02 },
  linecodes = { { name = "cable", nphases = 3, r1 = 0.2, x1 = 0.08, r0 = 0.6, x0 = 0.3, units = "km",
                  normamps = 200 } },
  lines = { { name = "l1", bus1 = "s", bus2 = "b1", linecode = "cable", length = 0.5, units = "km" },
            { name = "l2", bus1 = "lv", bus2 = "b2", phases = 3, rmatrix = {{0.1}, {0.02, 0.1}, {0.02, 0.02, 0.1}},
              xmatrix = {{0.05}, {0.01, 0.05}, {0.01, 0.01, 0.05}}, length = 1, units = "none" } },
  transformers = { { name = "t1", buses = {"b1", "lv"}, conns = {"delta", "wye"}, kvs = {11, 0.4},
                     kvas = {250, 250}, xhl = 4, pct_rs = {0.5, 0.5} } },
  loads = { { name = "flats", bus1 = "b2", kv = 0.4, kw = 40, pf = 0.95 },
            { name = "shop", bus1 = "lv.2", phases = 1, kv = 0.23, kw = 8, model = 2 } },
  capacitors = { { name = "c1", bus1 = "b1", kv = 11, kvar = 50 } },
  voltage_bases = {11, 0.4},
  sites = { { node = t, bus = "b2", pf = 0.98 } },
  v_min_pu = 0.94, v_max_pu = 1.06, max_loading = 0.9,
}
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam", price_scale = 0.001 }
session { arrival = "2016-03-07T08:00", departure = "2016-03-07T17:00", requested_kwh = 30, station = "CP1" }
session { arrival = "2016-03-07T09:00", departure = "2016-03-07T18:00", requested_kwh = 20, v2g = true }
