#!/usr/bin/env bash
# Times `datapipe report` on a run of the full development corpus (not part of the test suite:
# the run itself takes a quarter of an hour on 2 cores). Requirement: the report in under 10 s
# and under 5 MB.
#   bash bench/report/run.sh [CORPUS.jsonl.zst]   (default: bench/data/corpus/raw.jsonl.zst, built
#   there with ../shared/corpus/build.sh on first use, as bench/ingest/run.sh does)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${1:-$ROOT/bench/data/corpus/raw.jsonl.zst}"
if [ ! -f "$CORPUS" ]; then
  echo "building the development corpus into $(dirname "$CORPUS") (5-8 minutes)" >&2
  bash "$ROOT/../shared/corpus/build.sh" "$(dirname "$CORPUS")"
fi
mkdir -p "$ROOT/bench/data/report" "$ROOT/bench/out/report"
[ -f "$ROOT/bench/data/report/raw.jsonl" ] || zstd -dc "$CORPUS" > "$ROOT/bench/data/report/raw.jsonl"
"$ROOT/datapipe" run "$ROOT/bench/report/corpus.yaml" --overwrite --quiet --no-report
start=$(date +%s.%N)
"$ROOT/datapipe" report "$ROOT/bench/out/report/run"
end=$(date +%s.%N)
size=$(stat -c %s "$ROOT/bench/out/report/run/report.html")
echo "report: $(echo "$end - $start" | bc) s wall (process start included), $size bytes"
