#!/usr/bin/env bash
# Ingest throughput of the event log (`unify ingest --no-resolve`: decode, append, keep the
# original JSON, stay idempotent) against the stock-tool baseline, in the same run on the same
# file: lines/s, MB/s and peak RSS, medians of RUNS alternating runs of each. Resolution is
# measured by Benchmarks/resolution.sh.
#
#   Benchmarks/ingest-throughput.sh [LINES] [RUNS]      defaults: 1000000 lines, 3 runs
#
# The input comes from the seeded generator (seed 1) and is cached in Benchmarks/data/.
# Prints a markdown table for Benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh "${1:-1000000}"
runs="${2:-3}"
bytes=$(stat -L -c %s "$data")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for run in $(seq "$runs"); do
  # The baseline prints: lines seconds lines_per_second; its RSS is the sqlite3 process's.
  /usr/bin/time -f "%M" -o "$work/base-rss" bash "$baseline" "$data" > "$work/base-out"
  awk '{ print $2 }' "$work/base-out" >> "$work/base-seconds"
  cat "$work/base-rss" >> "$work/base-rss-all"

  rm -f "$work"/unify.db*
  /usr/bin/time -f "%e %M" -o "$work/unify-time" "$unify" ingest --db "$work/unify.db" --no-resolve --json "$data" > "$work/unify-out"
  awk '{ print $1 }' "$work/unify-time" >> "$work/unify-seconds"
  awk '{ print $2 }' "$work/unify-time" >> "$work/unify-rss"
  grep -q "\"accepted\":$lines" "$work/unify-out" || { echo "unify did not accept all $lines lines:" >&2; cat "$work/unify-out" >&2; exit 1; }
  echo "run $run: baseline $(cat "$work/base-out" | awk '{print $2}') s, unify $(awk '{print $1}' "$work/unify-time") s" >&2
done

base_s=$(median < "$work/base-seconds")
unify_s=$(median < "$work/unify-seconds")
base_rss=$(median < "$work/base-rss-all")
unify_rss=$(median < "$work/unify-rss")
awk -v n="$lines" -v b="$bytes" -v bs="$base_s" -v us="$unify_s" -v br="$base_rss" -v ur="$unify_rss" -v r="$runs" 'BEGIN {
  printf "| %s lines, %.0f MB, median of %d | seconds | lines/s | MB/s | peak RSS |\n", n, b / 1e6, r
  printf "| --- | ---: | ---: | ---: | ---: |\n"
  printf "| sqlite3 baseline | %.2f | %.0f | %.1f | %.0f MB |\n", bs, n / bs, b / 1e6 / bs, br / 1024
  printf "| unify ingest --no-resolve | %.2f | %.0f | %.1f | %.0f MB |\n", us, n / us, b / 1e6 / us, ur / 1024
  printf "\nratio (unify lines/s ÷ baseline lines/s): %.2f\n", bs / us
}'
