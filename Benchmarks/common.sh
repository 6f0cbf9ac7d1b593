# Shared by the ingest benchmarks: `source Benchmarks/common.sh LINES` from the repository root
# sets `baseline` (the stock-tool script), `data` (the generated file of LINES lines, seed 1,
# generated once and cached in Benchmarks/data/) and `unify` (the release binary, built).
lines="${1:-1000000}"
baseline="${BASELINE:-../shared/bench/sqlite3-baseline.sh}"
data="Benchmarks/data/bench-${lines}.ndjson"
mkdir -p Benchmarks/data
[ -s "$data" ] || python3 Benchmarks/generator/generate.py --lines "$lines" --seed 1 --out "$data" >&2
swift build -c release --product unify --static-swift-stdlib >&2
unify=$PWD/.build/release/unify
