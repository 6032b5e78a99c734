-- v2g_ev2gym.lua: EV2Gym's "V2GProfitMax" case (github.com/StavrosOrf/EV2Gym), rebuilt from its
-- config file ev2gym/example_config_files/V2GProfitMax.yaml and the code that reads it.
--
-- Where each number comes from (V2GProfitMax.yaml key, or the EV2Gym file named):
--   15-minute steps, 112 steps (28 h)   timescale: 15, simulation_length: 112
--   start 05:00 on a weekday           hour: 5, minute: 0, simulation_days: weekdays
--   25 chargers, 1 port, all V2G       number_of_charging_stations: 25, number_of_ports_per_cs: 1,
--                                       v2g_enabled: True
--   22.17 kW charge and discharge      charging_station: max_charge_current 32 A, max_discharge_current
--                                       -32 A, voltage 400 V, phases 3; P = I·V·sqrt(3) (ev_charger.py
--                                       get_max_power); min currents 0: continuous from 0
--   one 100 kW transformer             number_of_transformers: 1, transformer: max_power 100
--   workplace arrivals, ElaadNL        scenario: workplace; the ElaadNL tables EV2Gym ships are
--                                       ../shared/data/arrivals/elaadnl_* (arrivals.elaadnl)
--   18 arrivals per weekday, 0 on      spawn_multiplier: 5 (utils.py EV_spawner: each free port, each
--   weekends                           step 06-18 h, arrives with probability share·0.25 h·5); simulated
--                                       for 25 ports this gives 18.3 arrivals a day; no workplace
--                                       arrivals on weekends
--   EV models, their AC charge and     heterogeneous_ev_specs: True, ev_specs_file:
--   discharge power, efficiency        ev_specs_v2g_enabled2024.json = elaadnl_ev_specs_v2g_enabled2024
--                                       .json (v2g_fleet = true: 11 kW, Peugeot 208 7.4 kW; the rated
--                                       3-phase efficiency, 84-93 %)
--   Dutch day-ahead prices, hourly     utilities/loaders.py load_electricity_prices (its own NL 2015-2024
--                                       series; ours is ../shared/data/prices/nl_day_ahead_2016.csv)
--   discharge paid at the same price   discharge_price_factor: 1 (export_factor = 1)
--   profit = Σ discharge price·kWh −   ev_charger.py step: what the operator buys and sells; drivers
--   Σ charge price·kWh                 neither pay for charging nor are paid for V2G (economics below)
--   user satisfaction                  ev.py get_user_satisfaction: energy held / energy wanted at
--                                       departure (KPI user_satisfaction, docs/results-schema.md)
--   reward                             rl_agent/reward.py profit_maximization / V2G_profitmax: profit
--                                       minus a penalty on unmet energy (rl{ reward = "v2g_profit" })
--
-- What differs, and why:
--   * The day. EV2Gym draws a random weekday of 2015-2023 (random_day: True; the config's own date is
--     2022-01-17), at 2022's prices, whose daily swings were 100-300 EUR/MWh. We have 2016 prices only.
--     On a median 2016 weekday prices move 14 EUR/MWh between 07 and 18 h: a kWh discharged and bought
--     back loses 1 − 0.9·0.9 = 19 % on the way (EV2Gym's own efficiencies), about 9 EUR/MWh at 2016's
--     45 EUR/MWh, and the battery wear (below) costs more than the rest, so V2G cannot pay on such a day
--     and every strategy's optimum is not to discharge. The case therefore runs on 2016-12-02, the
--     weekday of 2016 with the widest spread (46 EUR/MWh at 07 h, 135 at 17 h, 56 at 15 h): a 2022-like
--     day. It is a Friday, so the 28 h window's second morning (a Saturday) has no workplace arrivals, as
--     in EV2Gym where every vehicle leaves before the run ends. Another day: -D day=2016-12-16 (a
--     Friday, spread 30 EUR/MWh) shows the margin shrinking.
--   * Requests. EV2Gym's vehicles want a full battery (desired_capacity: 1) and arrive with the capacity
--     minus the ElaadNL energy; ours ask for the ElaadNL energy on top of a random initial SoC (capped
--     by the battery and the stay), so "satisfied" means "got its request".
--   * Stays. EV2Gym stretches stays to at least min_time_of_stay (180 min); ours keep ElaadNL's draw.
--   * Limits. EV2Gym only reports a transformer overload (and penalises it in the reward); the twin
--     enforces the 100 kW (what a strategy asks beyond it is clipped and recorded as a violation).
--   * Efficiency. EV2Gym's charger is lossless and its vehicles' efficiency depends on the current;
--     here the charger has efficiency 1 and each vehicle its rated efficiency at full current.
--   * Wear. EV2Gym's V2GProfitMax case has none in its profit; here batteries age (docs/battery.md) and
--     the wear is costed (battery{} below) so that V2G is a trade-off, as issue 20 asks.
--
-- Why V2G pays here, and how little: drivers are not paid for V2G (EV2Gym's operator owns the
-- discharged energy), so a kWh taken out at 17 h earns 0.9·135 = 122 EUR/MWh and bought back at 07 h or
-- 15 h costs 46/0.9 to 56/0.9 = 51-62 EUR/MWh: 60-70 EUR/MWh. The modelled wear of that kWh (out and
-- back: 2 kWh of throughput on a three-year-old NMC pack worth 120 EUR/kWh; docs/battery.md) comes to
-- 25-55 EUR/MWh in these runs, so only the 17 h peak pays, and only for the vehicles still parked then;
-- the morning swing (07 -> 09-10 h, 64-80 EUR/MWh) does not. On seeds 101-105 the MILP oracle blind to
-- wear discharges about 100 kWh a day and loses money once wear is counted; priced at a flat 25 EUR/MWh
-- (v2g_profit_max --opt degradation_per_kwh=0.025, a stand-in for the modelled wear) it discharges
-- 14 kWh a day and gains about 0.2 EUR a day over the best plan without V2G.
-- Run it:  evtwin compare scenarios/v2g_ev2gym.lua --strategies uncontrolled,alap,v2g_profit_max \
--            --kpis cpo_profit,user_satisfaction,ev_v2g_throughput,ev_degradation_calendar,ev_degradation_cycling

local day = param("day", "2016-12-02")

scenario {
  name = "v2g_ev2gym",
  timezone = "Europe/Amsterdam",
  start = day .. "T05:00",
  duration = minutes(15 * 112),
  control_period = minutes(15),
  forecast_horizon = minutes(15 * 112),
  mode = "decision_period",  -- EV2Gym's discrete 15-minute steps
  seed = 1,
  strategy = "v2g_profit_max",
}

grid { import_kw = 100, export_kw = 100 }
local t1 = transformer { name = "T1", limit_kw = 100 }

tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam",
         price_scale = 0.001, currency = "EUR", export_factor = 1 }
economics { charging_price_per_kwh = 0, v2g_price_factor = 0 }

-- 120 EUR/kWh: a pack's replacement value, between BNEF's 2023 and 2024 average pack prices
-- (139 and 115 USD/kWh). 5 °C: De Bilt's December mean. Vehicles of unknown age are typical
-- three-year-old ones (docs/battery.md); 40 fleet vehicles return when the case runs several days.
battery { ambient_c = 5, ev_chemistry = "nmc", ev_cost_per_kwh = 120, fleet_vehicles = 40 }

local site = require("site")
site.charger_row { prefix = "CS", count = 25, parent = t1, max_kw = 32 * 400 * math.sqrt(3) / 1000,
                   v2g = 25, efficiency = 1 }

arrivals.elaadnl {
  site_type = "workplace",
  per_weekday = 18,
  per_weekend_day = 0,
  v2g_fleet = true,
}

rl { reward = "v2g_profit" }
