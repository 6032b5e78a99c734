-- ocpp_kwwhat_site.lua: the site of ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv, for
-- `evtwin ocpp validate` and `evtwin ocpp whatif` (docs/ocpp.md).
--
-- The log has two OCPP 1.6 charge points. CH-001 (connector 1) runs all 39 transactions: each
-- delivers 1.6 kWh (meterStop - meterStart) in about 5 minutes, 19.2 kW on average, so it is taken
-- as a 22 kW AC charger (3 x 32 A at 230 V). The log states no rating of its own (no
-- BootNotification, no charging profile); its Power.Offered / Power.Active.Import samples read 1 W,
-- which cannot be the power that delivered 1.6 kWh in 5 minutes. CH-002 has connectors 1 and 2,
-- starts no transaction and faults (ConnectorLockFailure) 101 times; same rating assumed.
--
-- validate and whatif take the site, the chargers and the tariff from here; the sessions, start and
-- end come from the log. Run on its own (evtwin run), it simulates the log's first day: its four
-- transactions are written out below as sessions.
--
--   evtwin ocpp validate ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv --scenario scenarios/ocpp_kwwhat_site.lua
--   evtwin ocpp whatif ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv --scenario scenarios/ocpp_kwwhat_site.lua --strategy edf
scenario {
  name = "ocpp_kwwhat_site",
  timezone = "UTC",
  start = "2025-10-01",
  duration = days(1),
  control_period = minutes(15),
  strategy = "uncontrolled",
}

grid { import_kw = 50, export_kw = 0 }
charger { name = "CH-001", max_kw = 22, efficiency = 0.97 }
charger { name = "CH-002", max_kw = 22, efficiency = 0.97, connectors = 2 }

-- The log does not say what the site pays. KEPCO's EV time-of-use tariff (tariffs/KEPCO.md: off-peak,
-- mid and peak bands, a monthly demand charge) gives the what-if a price signal and a peak to shave.
-- Replace it with the site's own tariff.
tariff {
  file = "tariffs/kepco_ev_self_consumption.json",
  variant = "low_voltage",
  export_price = 0,
}

-- The log's first day (transactions 1001, 1003, 1004, 1002 on CH-001): 1.6 kWh each, StartTransaction
-- to StopTransaction.
for _, t in ipairs({ {"08:18:01", "08:23:01"}, {"11:20:01", "11:25:01"}, {"17:37:01", "17:42:01"},
                     {"18:35:01", "18:40:01"} }) do
  session {
    arrival = "2025-10-01T" .. t[1], departure = "2025-10-01T" .. t[2],
    requested_kwh = 1.6, max_ac_kw = 22, station = "CH-001", model = "logged",
  }
end
