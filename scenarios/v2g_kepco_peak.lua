-- v2g_kepco_peak.lua: peak shaving by V2G at a Seoul office on KEPCO's time-of-use tariff with a
-- demand charge.
--
-- The site: an air-conditioned office (base load 60 kW at night, 140-160 kW in the morning, 215-225 kW
-- at the 14-16 h cooling peak: scenarios/loads/office_summer_weekday_kw.csv) on one meter with a pool
-- of 24 company cars and 24 bidirectional 11 kW chargers. The contracted power is 300 kW and nothing may be exported
-- (V2G stays behind the meter, offsetting the office's own load).
--
-- The tariff: KEPCO's EV self-consumption tariff, low voltage (scenarios/tariffs/
-- kepco_ev_self_consumption.json, from ../shared/data/tariffs/KEPCO.md), summer weekday bands of the
-- 2023 era: off-peak 22-08 h 84.3, mid 08-11, 12-13 and 18-22 h 172.0, peak 11-12 and 13-18 h
-- 259.2 KRW/kWh; demand charge 2,390 KRW per kW of the month's highest 15-minute demand.
--
-- The day: Wednesday 2024-07-10, 00:00-24:00, standing for the hottest weekday of the month: the
-- demand charge is billed on the month's highest 15-minute demand, so the day that sets it carries
-- the whole month's demand charge, and the twin bills every billing month a run touches at the full
-- monthly rate (docs/tariffs.md). Energy costs count for this one day.
--
-- The cars: pool cars (Hyundai Ioniq 5 / Kia EV6 77.4 kWh, Hyundai Kona 64 kWh), arriving 07:30-09:30
-- and leaving 9.5-11 h later (17:00-20:30), so they are parked through the 13-18 h peak; each arrives
-- at 55-75 % SoC (a day of city driving used) and asks for 80 %, and allows discharge down to 30 %.
-- (With cars arriving emptier, 30-60 %, charging them fills the office's morning and evening valleys
-- and no energy is left to move: the optimum then does not discharge at all.) The company owns the
-- cars: nobody pays for charging or is paid for V2G, so the operator's profit is minus the bill minus
-- the modelled battery wear.
--
-- Why V2G pays: without V2G the best a scheduler can do is keep the cars off the office's peak, so the
-- month's demand is the office's 225 kW (uncontrolled charging in the morning pushes it to the
-- 300 kW contract). Discharging through the afternoon lowers that peak: every kW shaved saves 2,390 KRW
-- for the month, and a 15-minute peak interval needs only 0.25 kWh per kW. The energy also pays by
-- itself: a kWh bought at the mid price 172 and given back at the peak price 259.2 gains about 60 KRW
-- after the charge and discharge losses, against a modelled wear of about 60 KRW per kWh of V2G for
-- these packs at 26 °C (battery{} below; docs/battery.md). Seeds 101-102, wear-blind MILP oracle:
-- no-V2G optimum 225 kW, V2G (v2g_profit_max) 191 kW and 80 kWh discharged, profit +84,000 KRW.
-- With the wear priced in the plan (the default; --opt wear=false for blind), seeds 101-105: 191 kW
-- and 79 kWh discharged, as much as the blind plan, taken from the cars whose batteries wear least:
-- 4 % less modelled wear (docs/battery.md, The V2G cases).
--
-- A year of it (-D days=N): the same 24 cars come every weekday from 2024-07-10 on, each with its
-- battery ageing from day to day, for the battery report's grades (docs/battery.md). The office load
-- stays the summer weekday's every day, weekends too.
--   evtwin run scenarios/v2g_kepco_peak.lua -D days=365 --strategy mpc
--
-- Run it:  evtwin compare scenarios/v2g_kepco_peak.lua --strategies uncontrolled,edf,mpc,v2g_profit_max \
--            --kpis cpo_profit,demand_charge,peak_import,user_satisfaction,ev_v2g_throughput

scenario {
  name = "v2g_kepco_peak",
  timezone = "Asia/Seoul",
  start = "2024-07-10",  -- a Wednesday, no public holiday
  duration = days(param("days", 1)),
  control_period = minutes(15),
  forecast_horizon = hours(24),
  mode = "decision_period",
  seed = 1,
  strategy = "v2g_profit_max",
  -- A pool car must leave with its charge: a kWh short is priced far above a kW of the month's
  -- demand charge (2,390 KRW), else the optimisers trade the cars' energy for a lower peak (the
  -- default penalty, 20 x the dearest price, about 5,200 KRW/kWh, left 13 % of it undelivered).
  strategy_options = { offline_optimal = { unmet_penalty = 100000 }, mpc = { unmet_penalty = 100000 },
                       day_ahead = { unmet_penalty = 100000 }, v2g_profit_max = { unmet_penalty = 100000 } },
}

grid { import_kw = 300, export_kw = 0 }

tariff { file = "tariffs/kepco_ev_self_consumption.json", variant = "low_voltage", export_price = 0 }
economics { charging_price_per_kwh = 0, v2g_price_factor = 0 }

-- 170,000 KRW/kWh: about 120 EUR/kWh (BNEF's 2023-2024 average pack prices, 115-139 USD/kWh) at
-- 1,450 KRW/EUR. 26 °C: Seoul's July-August daily mean.
battery { ambient_c = 26, ev_chemistry = "nmc", ev_cost_per_kwh = 170000, model_years = { 2021, 2024 },
          fleet_vehicles = 24 }

load { name = "office", profile = "loads/office_summer_weekday_kw.csv", column = "kW" }

local site = require("site")
site.charger_row { prefix = "V2G", count = 24, max_kw = 11, v2g = 24, efficiency = 0.97 }

-- The weekdays of the run, from Wednesday 2024-07-10 on.
local function weekdays(count)
  local month_days = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  local year, month, day, weekday = 2024, 7, 10, 3  -- weekday 1 = Monday
  local dates = {}
  for _ = 1, count do
    if weekday <= 5 then dates[#dates + 1] = string.format("%04d-%02d-%02d", year, month, day) end
    weekday = weekday % 7 + 1
    day = day + 1
    local length = month_days[month] - ((month == 2 and year % 4 ~= 0) and 1 or 0)
    if day > length then
      day, month = 1, month + 1
      if month > 12 then month, year = 1, year + 1 end
    end
  end
  return dates
end

local fleet = require("fleet")
for _, date in ipairs(weekdays(param("days", 1))) do
  fleet.random_day {
    date = date,
    count = 24,
    arrive = { 7.5, 9.5 },
    stay = { 9.5, 11 },
    power_kw = { 11 },
    capacity_kwh = { 77.4, 77.4, 64 },
    initial_soc = { 0.55, 0.75 },
    target_soc = 0.8,
    v2g = true,
    max_discharge_kw = 11,
    min_soc = 0.3,
  }
end

-- A car that leaves without its charge weighs as the strategies' unmet penalty does (100,000 KRW
-- per kWh, about 10-20 kWh a car): not the default 100, which is nothing in KRW.
rl { reward = "v2g_profit", unmet_weight = 1000000 }
