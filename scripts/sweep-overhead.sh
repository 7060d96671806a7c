#!/usr/bin/env bash
# The per-point overhead of `vtrial sweep` (issue 11): a 10-point sweep against 10 separate
# `vtrial run --replicates` of the same replicates (the protocol written with each point's value),
# back to back, ROUNDS times; prints each wall time and the medians. Needs `npm run build` first.
# Usage: scripts/sweep-overhead.sh [PROTOCOL] [REPLICATES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
PROTOCOL=${1:-protocols/nsclc-first-line.yaml}
R=${2:-100}
ROUNDS=${3:-3}
TARGETS=(100 200 300 400 500 600 700 800 900 1000)
WORK=$(mktemp -d /tmp/vtrial-sweep-overhead-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# One protocol file per point: the protocol with enrolment.target (and, like a sweep point, the
# screening cap scaled with it), its cohort by absolute path.
for n in "${TARGETS[@]}"; do
  node -e '
    const fs = require("fs"), path = require("path"), YAML = require("yaml");
    const [file, n, out] = process.argv.slice(1);
    const p = YAML.parse(fs.readFileSync(file, "utf8"));
    p.cohort = path.resolve(path.dirname(file), p.cohort);
    if (p.enrolment.max_screened) p.enrolment.max_screened = Math.ceil(p.enrolment.max_screened * Number(n) / p.enrolment.target);
    p.enrolment.target = Number(n);
    fs.writeFileSync(out, YAML.stringify(p));
  ' "$PROTOCOL" "$n" "$WORK/p$n.yaml"
done
now() { date +%s.%N; }
sweeps=(); runs=()
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now)
  node bin/vtrial.js sweep "$PROTOCOL" --vary "enrolment.target=$(IFS=,; echo "${TARGETS[*]}")" -r "$R" --scenario base --workers 1 -q --out "$WORK/sweep$round"
  t1=$(now)
  for n in "${TARGETS[@]}"; do
    node bin/vtrial.js run "$WORK/p$n.yaml" --replicates "$R" --scenario base --workers 1 --keep-patients 0 -q --out "$WORK/run$round-$n"
  done
  t2=$(now)
  s=$(echo "$t1 - $t0" | bc); r=$(echo "$t2 - $t1" | bc)
  sweeps+=("$s"); runs+=("$r")
  echo "round $round: sweep ${s}s, 10 runs ${r}s"
  # The same results: each point's records equal its separate run's.
  for n in "${TARGETS[@]}"; do
    id=$(node -e 'const s=require(process.argv[1]); console.log(s.points.find(p=>p.values["enrolment.target"]===Number(process.argv[2])).id)' "$WORK/sweep$round/summary.json" "$n")
    cmp -s "$WORK/sweep$round/points/$id/replicates.csv" "$WORK/run$round-$n/replicates.csv" || { echo "point $n differs from its run"; exit 1; }
  done
  rm -rf "$WORK/sweep$round" "$WORK"/run$round-*
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(median "${sweeps[@]}"); mr=$(median "${runs[@]}")
echo "median: sweep ${ms}s, 10 separate runs ${mr}s; sweep/runs = $(echo "scale=3; $ms / $mr" | bc)"
