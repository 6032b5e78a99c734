#!/usr/bin/env bash
# The forecasting report (docs/forecasting.md, section Results): trains the learned models, times
# them, scores every model and baseline on the held-out spans (table forecast_eval), times one
# forecast, and runs the forecast -> optimise -> guard loop on the JPL held-out weeks.
# Usage: bench/forecast_report.sh [BUILD_DIR] [OUT_DIR] [WEEKS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
out=${2:-$(mktemp -d)}
weeks=${3:-2}
mkdir -p "$out"
evtwin="$build/bin/evtwin"
jpl="sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz+sessions/acn_jpl_2019-09-01_2019-12-31.csv.gz"
caltech="sessions/acn_caltech_2019-05-01_2019-08-31.csv.gz+sessions/acn_caltech_2019-09-01_2019-12-31.csv.gz"
nl_pv="pv/pv_netherlands_2019_hourly.csv"
jpl_pv="pv/jpl_pv_220kwdc_30min.csv,scale=0.004545"  # per kWp of the 220 kWdc array

train() {  # NAME ARGS...: trains and prints its wall time
  local name=$1; shift
  local t0=$(date +%s.%N)
  "$evtwin" forecast train "$@" --out "$out/$name.pt" --quiet
  printf '%-24s trained in %6.1f s\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)"
}

echo "== training (seed 1, 1 thread)"
# Demand: pre-trained on Caltech 2019, fine-tuned on JPL's first two weeks, against the same
# architecture from scratch on those two weeks.
for kind in tft lstm; do
  train "demand_${kind}_caltech" --target demand --model $kind --data "$caltech"
  train "demand_${kind}_jpl_finetuned" --target demand --model $kind --data "$jpl" --train-until 2019-05-15 \
    --init "$out/demand_${kind}_caltech.pt"
  train "demand_${kind}_jpl_scratch" --target demand --model $kind --data "$jpl" --train-until 2019-05-15
done
# PV: nine months of the Netherlands file; then fine-tuned on the first month of the JPL array.
for kind in lstm tft; do
  train "pv_${kind}_nl" --target pv --model $kind --data "$nl_pv" --train-until 2019-10-01
  train "pv_${kind}_jpl_finetuned" --target pv --model $kind --data "$jpl_pv" --train-until 2019-02-01 \
    --init "$out/pv_${kind}_nl.pt"
done

echo "== evaluation (table forecast_eval in $out/forecast_eval.db)"
models=""
for kind in tft lstm; do
  models+="$kind:$out/demand_${kind}_jpl_finetuned.pt,$kind:$out/demand_${kind}_caltech.pt,$kind:$out/demand_${kind}_jpl_scratch.pt,"
done
"$evtwin" forecast eval --target demand --data "$jpl" --from 2019-05-15 --to 2019-12-31 \
  --model "${models%,}" --db "$out/forecast_eval.db"
"$evtwin" forecast eval --target pv --data "$nl_pv" --from 2019-10-01 --to 2019-12-31 \
  --model "lstm:$out/pv_lstm_nl.pt,tft:$out/pv_tft_nl.pt" --db "$out/forecast_eval.db"
"$evtwin" forecast eval --target pv --data "$jpl_pv" --from 2019-02-15 --to 2019-12-31 \
  --model "lstm:$out/pv_lstm_jpl_finetuned.pt,tft:$out/pv_tft_jpl_finetuned.pt,lstm:$out/pv_lstm_nl.pt" \
  --db "$out/forecast_eval.db"

echo "== one forecast"
"$build/bin/forecast_bench" 2>/dev/null | grep -E "^(persistence|seasonal)"
"$build/bin/forecast_learned_bench" 2>/dev/null | grep -E "^[a-z]"

echo "== the loop on the JPL held-out weeks ($weeks)"
demand="tft:$out/demand_tft_jpl_finetuned.pt"
# PPO learns on four other weeks of the site (3-30 June) with the learned demand forecast.
t0=$(date +%s.%N)
"$build/bin/evtwin" train scenarios/jpl_forecast_loop.lua --algo ppo --steps "${PPO_STEPS:-1500000}" --envs 4 \
  --out "$out/ppo_jpl.pt" -D start=2019-06-03 -D weeks=4 -D demand="$demand" --eval-every 150000 --eval-seeds 1 --quiet
printf '%-24s trained in %6.1f s\n' ppo_jpl "$(echo "$(date +%s.%N) - $t0" | bc)"
"$evtwin" compare scenarios/jpl_forecast_loop.lua -D weeks="$weeks" --db "$out/loop.db" \
  --strategies "mpc,mpc@demand=$demand,mpc@demand=lstm:$out/demand_lstm_jpl_finetuned.pt,mpc@demand=persistence,mpc@demand=seasonal_naive,guarded@demand=$demand,ppo@demand=$demand,edf,llf,uncontrolled" \
  --opt guarded.inner=mpc --opt guarded.baseline=edf --opt ppo.model="$out/ppo_jpl.pt" \
  --kpis energy_cost,demand_charge,energy_served_feasible,sessions_fully_served_feasible,peak_import
