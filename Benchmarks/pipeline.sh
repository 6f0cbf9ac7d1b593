#!/usr/bin/env bash
# The whole pipeline: `unify ingest` of the generated file (event log, identity resolution and
# every projection) against the sqlite3 baseline on the same file in the same run. Baseline and
# unify run RUNS times each, alternating, each unify run into a new store; medians are reported
# (the machine is shared and noisy), speed as the ratio unify lines/s / baseline lines/s.
#
#   Benchmarks/pipeline.sh [LINES]      default 1000000; RUNS=3 by default
#
# The store of the last run is kept at Benchmarks/data/store-LINES.db, for show-latency.sh and
# rebuild.sh, unless that file exists already and is newer than both the unify binary and the
# data file: then it is left as it is (delete it to have it replaced).
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh "${1:-1000000}"
runs="${RUNS:-3}"
kept="Benchmarks/data/store-${lines}.db"
# The work folder sits beside the data, so the kept store is renamed into place, not copied.
work=$(mktemp -d Benchmarks/data/pipeline.XXXXXX); trap 'rm -rf "$work"' EXIT

cat "$data" > /dev/null   # the first run should not be the only one to read the file from disk
for run in $(seq "$runs"); do
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" bash "$baseline" "$data" > "$work/baseline"
  read -r _ seconds speed < "$work/baseline"
  read -r _ rss < "$work/time"
  echo "baseline $seconds $speed $rss" >> "$work/runs"
  rm -f "$work"/store.db*
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/store.db" --json "$data" > "$work/summary"
  read -r seconds rss < "$work/time"
  echo "unify $seconds $(awk -v n="$lines" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }') $rss" >> "$work/runs"
  echo "run $run/$runs: $(tail -n 2 "$work/runs" | awk '{ printf "%s %.2f s  ", $1, $2 }')" >&2
done

echo "## whole pipeline (log + identity + projections), $lines lines, $(du -m "$data" | cut -f1) MB, median of $runs"
python3 - "$work/runs" "$work/summary" <<'PY'
import json, statistics, sys
runs = [line.split() for line in open(sys.argv[1])]
def column(tool, index): return [float(r[index]) for r in runs if r[0] == tool]
base_s, base_v, base_m = (statistics.median(column("baseline", i)) for i in (1, 2, 3))
unify_s, unify_v, unify_m = (statistics.median(column("unify", i)) for i in (1, 2, 3))
peak = max(column("unify", 3))
print("sqlite3 baseline: %.2f s, %d lines/s, peak RSS %d MB" % (base_s, base_v, base_m / 1024))
print("unify ingest:     %.2f s, %d lines/s, peak RSS %d MB (largest of the runs %d MB)"
      % (unify_s, unify_v, unify_m / 1024, peak / 1024))
print("ratio unify/baseline (lines/s): %.2f   (target >= 0.6, peak RSS < 300 MB)" % (unify_v / base_v))
print("each run (baseline s, unify s, ratio):",
      ", ".join("%.2f/%.2f/%.2f" % (b, u, v / w) for b, u, v, w in
                zip(column("baseline", 1), column("unify", 1), column("unify", 2), column("baseline", 2))))
s = json.load(open(sys.argv[2]))
s = s.get("total", s)
print("last unify run: read %s, accepted %s, duplicates %s, rejected %s"
      % (s.get("read"), s.get("accepted"), s.get("duplicates"), s.get("rejected")))
PY

if [ -e "$kept" ] && [ "$kept" -nt "$unify" ] && [ "$kept" -nt "$data" ]; then
  echo "kept store: $kept is newer than the binary and the data, left as it is"
else
  rm -f "$kept" "$kept-wal" "$kept-shm"
  for file in "$work"/store.db*; do mv "$file" "$kept${file#"$work/store.db"}"; done
  echo "kept store: $kept (the last run's)"
fi
