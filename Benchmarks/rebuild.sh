#!/usr/bin/env bash
# Rebuild: `unify rebuild` (drop everything derived from the log and derive it again) on a copy
# of a store, RUNS times (each on a fresh copy), seconds and peak RSS, median; then whether the
# rebuilt store equals the original row for row on customers, identifiers and event_identity
# (every column), counted with sqlite3 ATTACH + EXCEPT both ways.
#
#   Benchmarks/rebuild.sh [STORE]      default Benchmarks/data/store-1000000.db
#                                      (made by Benchmarks/pipeline.sh 1000000); RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
store="${1:-Benchmarks/data/store-1000000.db}"
runs="${RUNS:-3}"
[ -s "$store" ] || { echo "no store at $store: make it with Benchmarks/pipeline.sh LINES" >&2; exit 1; }
swift build -c release --product unify --static-swift-stdlib >&2
unify=$PWD/.build/release/unify
original=$(realpath "$store")
work=$(mktemp -d Benchmarks/data/rebuild.XXXXXX); trap 'rm -rf "$work"' EXIT

for run in $(seq "$runs"); do
  rm -f "$work"/copy.db*
  cp "$store" "$work/copy.db"
  sync
  /usr/bin/time -f "%e %M" -o "$work/time" "$unify" rebuild --db "$work/copy.db" 2> "$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  cat "$work/time" >> "$work/runs"
  echo "run $run/$runs: $(awk '{ printf "%.2f s, %d MB", $1, $2 / 1024 }' "$work/time")" >&2
done

echo "## unify rebuild of a copy of $store ($(du -m "$store" | cut -f1) MB), median of $runs"
sort -n "$work/runs" | awk '{ s[NR] = $1; m[NR] = $2; if ($2 > peak) peak = $2 }
  END { i = int((NR + 1) / 2); printf "%.2f s (runs: ", (NR % 2 ? s[i] : (s[i] + s[i + 1]) / 2)
        for (j = 1; j <= NR; j++) printf "%s%.2f", (j > 1 ? ", " : ""), s[j]
        printf " s), peak RSS %d MB (target < 20 s)\n", peak / 1024 }'

# The last run's copy against the original, with SELECTs only. Not read-only connections:
# those leave empty -wal and -shm files beside the store; a read-write one removes them on
# close and, with no WAL content, writes nothing to the file.
#
# Identifiers are compared with their component as its root: `identifiers.component` keeps the
# label an identifier joined with and `component_links` chains labels (a union-find, see
# docs/SCHEMA.md), so the same component may be stored as one label or as a label linked under
# another, depending on where transactions ended. The stored labels are compared too, and
# reported apart.
roots() {  # identifiers of schema $1, with each component resolved to its root
  echo "(WITH RECURSIVE up(label, root) AS (
           SELECT label, parent FROM $1.component_links
           UNION SELECT up.label, links.parent FROM up JOIN $1.component_links AS links ON links.label = up.root)
         SELECT identifiers.key, identifiers.kind, identifiers.value, identifiers.status, identifiers.customer,
                identifiers.witnesses, coalesce(roots.root, identifiers.component) AS component
         FROM $1.identifiers LEFT JOIN (SELECT label, root FROM up WHERE root NOT IN (SELECT label FROM $1.component_links))
              AS roots ON roots.label = identifiers.component)"
}
compare() {  # name, rebuilt rows, original rows
  echo "SELECT '$1', (SELECT count(*) FROM $2), (SELECT count(*) FROM $3),
          (SELECT count(*) FROM (SELECT * FROM $2 EXCEPT SELECT * FROM $3)),
          (SELECT count(*) FROM (SELECT * FROM $3 EXCEPT SELECT * FROM $2));"
}
counts=$(sqlite3 "$work/copy.db" "ATTACH '$original' AS original;" \
  "$(for table in customers event_identity; do compare "$table" "main.$table" "original.$table"; done)" \
  "$(compare "identifiers" "$(roots main)" "$(roots original)")")
labels=$(sqlite3 "$work/copy.db" "ATTACH '$original' AS original;" \
  "$(compare "stored labels" "(SELECT key, component FROM main.identifiers)" "(SELECT key, component FROM original.identifiers)")")
echo "$counts" | awk -F'|' '{ printf "%-15s rows %s rebuilt / %s original, %s only in rebuilt, %s only in original\n", $1, $2, $3, $4, $5
  if ($2 != $3 || $4 != 0 || $5 != 0) differ = 1 }
  END { print (differ ? "rebuilt store differs" : "identical (identifiers with their components resolved)") }'
echo "$labels" | awk -F'|' '{ printf "identifiers whose stored component label differs (same root): %s\n", $4 }'
