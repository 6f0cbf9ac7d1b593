#!/usr/bin/env bash
# Lookup latency: `Store.profile(of:)` and `Store.timeline(of:limit: 20)` on a seeded sample of
# 2,000 queries a person types (customer ids, emails re-typed messily, French phones in
# national form, event ids), median / p90 / p99 / max per kind, in-process (the
# show-latency package beside this script); then `unify show --db STORE EMAIL` as a whole
# command (process start included), median of hyperfine's 50 runs.
#
#   Benchmarks/show-latency.sh [STORE]      default Benchmarks/data/store-1000000.db
#                                           (made by Benchmarks/pipeline.sh 1000000)
#   QUERIES=2000 SEED=1 Benchmarks/show-latency.sh ...
#
# Everything runs on a copy of the store: opening a Store writes to the file (GRDB's
# DatabasePool commits an empty CREATE/DROP TABLE when there is no WAL, which bumps the schema
# cookie; no row changes), and the store given must stay as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
store="${1:-Benchmarks/data/store-1000000.db}"
[ -s "$store" ] || { echo "no store at $store: make it with Benchmarks/pipeline.sh LINES" >&2; exit 1; }
command -v hyperfine > /dev/null || { echo "hyperfine not found (Debian package hyperfine)" >&2; exit 1; }
swift build -c release --product unify --static-swift-stdlib >&2
(cd Benchmarks/show-latency && swift build -c release >&2)
unify=$PWD/.build/release/unify
tool=$PWD/Benchmarks/show-latency/.build/release/show-latency
work=$(mktemp -d Benchmarks/data/show-latency.XXXXXX); trap 'rm -rf "$work"' EXIT
cp "$store" "$work/store.db"
sync

echo "## lookup latency on a copy of $store ($(du -m "$store" | cut -f1) MB), in-process"
"$tool" "$work/store.db" --queries "${QUERIES:-2000}" --seed "${SEED:-1}"

# A linking email from the middle of the table, as stored (lower-case).
email=$(sqlite3 -readonly "$work/store.db" "SELECT value FROM identifiers WHERE kind = 'email' AND status = 'linking'
  ORDER BY key LIMIT 1 OFFSET (SELECT count(*) / 2 FROM identifiers WHERE kind = 'email' AND status = 'linking')")
echo
echo "## unify show --db STORE $email (whole command, process start included)"
hyperfine --warmup 5 --runs 50 --export-json "$work/hyperfine.json" \
  "'$unify' show --db '$work/store.db' '$email'" > "$work/hyperfine.txt"
python3 - "$work/hyperfine.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("median %.1f ms, mean %.1f ms, min %.1f ms, max %.1f ms over %d runs"
      % (r["median"] * 1000, r["mean"] * 1000, r["min"] * 1000, r["max"] * 1000, len(r["times"])))
PY
