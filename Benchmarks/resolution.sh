#!/usr/bin/env bash
# Identity resolution: ingest throughput with resolution on the generated file (against the
# sqlite3 baseline, same run), and the latency of ingesting a batch of 1,000 new events into
# a store that already holds N events (N = 100,000 and 1,000,000), median of hyperfine runs.
#
#   Benchmarks/resolution.sh [LINES]      default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh "${1:-1000000}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

echo "## throughput with resolution, $lines lines"
bash "$baseline" "$data" | awk '{ printf "sqlite3 baseline: %.2f s, %d lines/s\n", $2, $3 }'
/usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/full.db" --json "$data" > /dev/null
awk -v n="$lines" '{ printf "unify ingest (log + resolution): %.2f s, %d lines/s, peak RSS %d MB\n", $1, n / $1, $2 / 1024 }' "$work/time"
/usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/deferred.db" --no-resolve --json "$data" > /dev/null
awk -v n="$lines" '{ printf "unify ingest --no-resolve (log only): %.2f s, %d lines/s, peak RSS %d MB\n", $1, n / $1, $2 / 1024 }' "$work/time"

# Ten batches of 1,000 events held out from the end of the first SIZE lines, ingested one
# after another into the store of the rest: no copy of the store between runs, whose
# write-back would compete with the measured run. Reported: the ingest's own time (from its
# --json summary) and the wall time of the command (process start and close included).
for size in 100000 "$lines"; do
  head -n "$((size - 10000))" "$data" > "$work/store.ndjson"
  "$unify" ingest --db "$work/store-$size.db" "$work/store.ndjson" 2> /dev/null
  head -n "$size" "$data" | tail -n 10000 > "$work/held-out.ndjson"
  split -l 1000 -d "$work/held-out.ndjson" "$work/batch-"
  sync
  : > "$work/in-process"; : > "$work/wall"
  for batch in "$work"/batch-*; do
    start=$(date +%s.%N)
    "$unify" ingest --db "$work/store-$size.db" --json "$batch" \
      | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])" >> "$work/in-process"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >> "$work/wall"
  done
  echo "## 1,000 new events into a store of $((size - 10000))+ events, 10 batches"
  python3 - "$work/in-process" "$work/wall" <<'PY'
import statistics, sys
inside = sorted(float(x) for x in open(sys.argv[1]))
wall = sorted(float(x) for x in open(sys.argv[2]))
print("in-process: median %.1f ms, max %.1f ms; wall: median %.1f ms, max %.1f ms"
      % (statistics.median(inside) * 1000, inside[-1] * 1000, statistics.median(wall) * 1000, wall[-1] * 1000))
PY
  rm -f "$work"/batch-*
done
