#!/usr/bin/env bash
# Times `datapipe report` on a run of the full development corpus (not part of the test suite:
# the run itself takes a quarter of an hour on 2 cores). Requirement: the report in under 10 s
# and under 5 MB.
#   bash bench/report/run.sh [CORPUS.jsonl.zst]   (default: /work/corpus/out/raw.jsonl.zst)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${1:-/work/corpus/out/raw.jsonl.zst}"
mkdir -p "$ROOT/bench/data/report" "$ROOT/bench/out/report"
[ -f "$ROOT/bench/data/report/raw.jsonl" ] || zstd -dc "$CORPUS" > "$ROOT/bench/data/report/raw.jsonl"
"$ROOT/datapipe" run "$ROOT/bench/report/corpus.yaml" --overwrite --quiet --no-report
start=$(date +%s.%N)
"$ROOT/datapipe" report "$ROOT/bench/out/report/run"
end=$(date +%s.%N)
size=$(stat -c %s "$ROOT/bench/out/report/run/report.html")
echo "report: $(echo "$end - $start" | bc) s wall (process start included), $size bytes"
