#!/usr/bin/env bash
# How much of a site's own data fine-tuning needs (docs/forecasting.md, section Results): demand
# models pre-trained on ACN Caltech 2019, then, for each span of JPL's first weeks, fine-tuned on it
# and trained from scratch on it, all three scored on the rest of JPL 2019 from the span's end.
# Prints the energy channel's MAE and skill over seasonal naive of each model, span and seed.
# Usage: bench/forecast_site_data.sh [BUILD_DIR] [OUT_DIR]
#   KINDS  the networks (default "tft lstm")
#   SEEDS  the training seeds (default 1)
#   UNTIL  the spans' ends (default "2019-05-15 2019-06-01 2019-06-15 2019-07-01": 2, 4, 6 and 8.5 weeks)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
out=${2:-$(mktemp -d)}
mkdir -p "$out"
export EVTWIN_DATA=${EVTWIN_DATA:-$(cd .. && pwd)/shared/data}
evtwin="$build/bin/evtwin"
jpl="sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz+sessions/acn_jpl_2019-09-01_2019-12-31.csv.gz"
caltech="sessions/acn_caltech_2019-05-01_2019-08-31.csv.gz+sessions/acn_caltech_2019-09-01_2019-12-31.csv.gz"

printf '%-5s %4s %-10s %10s %10s %10s %8s %8s %8s\n' model seed "data to" "MAE pre" "MAE tuned" "MAE new" \
  "skill pre" "tuned" "new"
for kind in ${KINDS:-tft lstm}; do
  for seed in ${SEEDS:-1}; do
    pre="$out/${kind}_caltech_s$seed.pt"
    "$evtwin" forecast train --target demand --model "$kind" --data "$caltech" --seed "$seed" --out "$pre" --quiet
    for until in ${UNTIL:-2019-05-15 2019-06-01 2019-06-15 2019-07-01}; do
      tuned="$out/${kind}_tuned_${until}_s$seed.pt"
      new="$out/${kind}_new_${until}_s$seed.pt"
      "$evtwin" forecast train --target demand --model "$kind" --data "$jpl" --train-until "$until" --seed "$seed" \
        --init "$pre" --out "$tuned" --quiet
      "$evtwin" forecast train --target demand --model "$kind" --data "$jpl" --train-until "$until" --seed "$seed" \
        --out "$new" --quiet
      db="$out/eval_${kind}_${until}_s$seed.db"
      "$evtwin" forecast eval --target demand --data "$jpl" --from "$until" --to 2019-12-31 \
        --model "$kind:$pre,$kind:$tuned,$kind:$new" --db "$db" >/dev/null
      # The three models' rows, in the order they were given.
      mapfile -t rows < <(sqlite3 -separator ' ' "$db" "select printf('%.2f', mae), printf('%.3f',
        skill_vs_seasonal_naive) from forecast_eval where channel = 'energy_kwh' and lead_step is null
        and model like '$kind:%' order by rowid")
      read -r mae_pre skill_pre <<<"${rows[0]}"
      read -r mae_tuned skill_tuned <<<"${rows[1]}"
      read -r mae_new skill_new <<<"${rows[2]}"
      printf '%-5s %4s %-10s %10s %10s %10s %8s %8s %8s\n' "$kind" "$seed" "$until" "$mae_pre" "$mae_tuned" \
        "$mae_new" "$skill_pre" "$skill_tuned" "$skill_new"
    done
  done
done
