#!/usr/bin/env bash
# Identity resolution: ingest throughput with resolution on the generated file (against the
# sqlite3 baseline, same run), and the latency of ingesting a batch of 1,000 new events into
# a store that already holds N events (N = 100,000 and 1,000,000), median of hyperfine runs.
#
#   Benchmarks/resolution.sh [LINES]      default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
lines="${1:-1000000}"
baseline="${BASELINE:-../shared/bench/sqlite3-baseline.sh}"
data="Benchmarks/data/bench-${lines}.ndjson"
mkdir -p Benchmarks/data
[ -s "$data" ] || python3 Benchmarks/generator/generate.py --lines "$lines" --seed 1 --out "$data" >&2
swift build -c release --product unify >&2
unify=$PWD/.build/release/unify
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

echo "## throughput with resolution, $lines lines"
bash "$baseline" "$data" | awk '{ printf "sqlite3 baseline: %.2f s, %d lines/s\n", $2, $3 }'
/usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/full.db" --json "$data" > /dev/null
awk -v n="$lines" '{ printf "unify ingest (log + resolution): %.2f s, %d lines/s, peak RSS %d MB\n", $1, n / $1, $2 / 1024 }' "$work/time"
/usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/deferred.db" --no-resolve --json "$data" > /dev/null
awk -v n="$lines" '{ printf "unify ingest --no-resolve (log only): %.2f s, %d lines/s, peak RSS %d MB\n", $1, n / $1, $2 / 1024 }' "$work/time"

for size in 100000 "$lines"; do
  head -n "$((size - 1000))" "$data" > "$work/store.ndjson"
  head -n "$size" "$data" | tail -n 1000 > "$work/batch.ndjson"
  "$unify" ingest --db "$work/store-$size.db" "$work/store.ndjson" 2> /dev/null
  sqlite3 "$work/store-$size.db" "PRAGMA wal_checkpoint(TRUNCATE);" > /dev/null
  echo "## a batch of 1,000 new events into a store of $((size - 1000)) events"
  hyperfine --style basic --runs 10 --export-json "$work/latency-$size.json" \
    --prepare "cp $work/store-$size.db $work/run.db; rm -f $work/run.db-wal $work/run.db-shm" \
    "$unify ingest --db $work/run.db $work/batch.ndjson" 2>&1 | grep -E "Time|Range"
  python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; t=sorted(r['times']); print('median %.1f ms, max %.1f ms' % (r['median']*1000, t[-1]*1000))" "$work/latency-$size.json"
done
