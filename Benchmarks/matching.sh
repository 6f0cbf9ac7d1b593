#!/usr/bin/env bash
# Probabilistic matching (issue 6): 100,000 offline records (no identifier, noisy traits)
# joined against 100,000 known customers, on data with truth (generator/matching.py).
#
# For each noise level: the known customers are ingested into a store with matching on;
# then the offline records are ingested into a copy of it, once per threshold, timed
# (records/s of that ingest, peak RSS, candidate pairs), and the final customers are scored
# against the truth (pairwise precision, recall, F1; matching-quality.py). Then `unify train`
# estimates the parameters on one of those stores, and the offline records are matched
# again with them at the default threshold.
#
#   Benchmarks/matching.sh [NOISE…]        default: low medium
#   THRESHOLDS="3 6 9" Benchmarks/matching.sh medium
set -euo pipefail
cd "$(dirname "$0")/.."
levels=("${@:-low medium}")
[ $# -gt 0 ] || levels=(low medium)
thresholds="${THRESHOLDS:-3 6 9}"
swift build -c release --product unify --static-swift-stdlib >&2
unify=$PWD/.build/release/unify
work=$(mktemp -d -p Benchmarks/data); trap 'rm -rf "$work"' EXIT

# One offline ingest into a copy of the known store: prints "seconds rss_kb pairs links"
# and leaves the event → customer assignment in $work/assignment.csv. Run it to a file, not
# in a process substitution: `read` would return at the first line, before the export ends.
match() {
  local known=$1 config=$2 offline=$3 model=${4:-}
  rm -f "$work"/run.db*
  cp "$known" "$work/run.db"
  cp "$config" "$work/run.config.json"
  if [ -n "$model" ]; then
    sqlite3 "$work/run.db" "INSERT OR REPLACE INTO store_info (key, value) VALUES ('match_model', CAST(readfile('$model') AS TEXT))"
  fi
  /usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/run.db" --json "$offline" > "$work/summary.json"
  python3 - "$work/time" "$work/summary.json" <<'PY'
import json, sys
seconds, rss = open(sys.argv[1]).read().split()
matching = json.load(open(sys.argv[2]))["matching"]
print(seconds, rss, matching["candidate_pairs"], matching["links"])
PY
  sqlite3 -csv -header "$work/run.db" "SELECT event_id, customer_id FROM event_customers" > "$work/assignment.csv"
}

quality() {
  python3 Benchmarks/matching-quality.py "$1/truth.csv" "$work/assignment.csv" --ids-from "$1/offline.ndjson" --json \
    | python3 -c '
import json, sys
r = json.load(sys.stdin)
a, t = r["all"], r["touching"]
att = r["attachment"]
print("all pairs P %.4f R %.4f F1 %.4f | pairs touching offline P %.4f R %.4f F1 %.4f | offline joined to own %.1f%%, to someone else %.1f%%, unknown kept apart %.1f%%"
      % (a["precision"], a["recall"], a["f1"], t["precision"], t["recall"], t["f1"],
         100 * att["referenced_right"] / max(1, att["referenced"]), 100 * att["referenced_wrong"] / max(1, att["referenced"]),
         100 * att["unreferenced_kept_apart"] / max(1, att["unreferenced"])))'
}

for noise in "${levels[@]}"; do
  data="Benchmarks/data/matching-$noise"
  [ -s "$data/truth.csv" ] || python3 Benchmarks/generator/matching.py --seed 1 --noise "$noise" --out "$data" >&2
  echo '{"matching": {"enabled": true}}' > "$work/known.config.json"
  cp "$work/known.config.json" "$work/known-store.config.json"
  rm -f "$work"/known-store.db*
  /usr/bin/time -f "%e %M" -o "$work/time" "$unify" ingest --db "$work/known-store.db" "$data/known.ndjson" 2> /dev/null
  echo "## noise $noise: $(wc -l < "$data/known.ndjson") known lines ingested in $(cut -d' ' -f1 "$work/time") s"
  for threshold in $thresholds; do
    echo "{\"matching\": {\"enabled\": true, \"threshold\": $threshold}}" > "$work/config.json"
    match "$work/known-store.db" "$work/config.json" "$data/offline.ndjson" > "$work/match.out"
    read -r seconds rss pairs links < "$work/match.out"
    records=$(wc -l < "$data/offline.ndjson")
    echo "threshold $threshold: $records offline records in $seconds s ($(awk -v n="$records" -v s="$seconds" 'BEGIN { printf "%d", n / s }') records/s), peak RSS $((rss / 1024)) MB, $pairs candidate pairs, $links links"
    echo "  $(quality "$data")"
  done
  # Train on the store the default threshold made, then match again with the estimate.
  echo '{"matching": {"enabled": true}}' > "$work/config.json"
  match "$work/known-store.db" "$work/config.json" "$data/offline.ndjson" > /dev/null
  cp "$work/config.json" "$work/trained.config.json"
  rm -f "$work"/trained.db*
  cp "$work/run.db" "$work/trained.db"
  /usr/bin/time -f "%e %M" -o "$work/time" "$unify" train --db "$work/trained.db" --json > "$work/train.json"
  sqlite3 "$work/trained.db" "SELECT value FROM store_info WHERE key = 'match_model'" > "$work/model.json"
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print("unify train: %d records (%d sampled), %d candidate pairs, %d iterations, λ %.3g," % (t["records"], t["sampled"], t["candidate_pairs"], t["iterations"], t["prior_match_probability"]), end=" ")' "$work/train.json"
  echo "$(cut -d' ' -f1 "$work/time") s, peak RSS $(( $(cut -d' ' -f2 "$work/time") / 1024 )) MB"
  match "$work/known-store.db" "$work/config.json" "$data/offline.ndjson" "$work/model.json" > "$work/match.out"
  read -r seconds rss pairs links < "$work/match.out"
  echo "trained, default threshold: $seconds s, $pairs candidate pairs, $links links"
  echo "  $(quality "$data")"
done
