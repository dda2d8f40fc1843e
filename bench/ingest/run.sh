#!/usr/bin/env bash
# Ingest throughput benchmark (issue: foundation).
#
#   bash bench/ingest/run.sh [CORPUS_DIR]
#
# CORPUS_DIR holds raw.jsonl.zst as ../shared/corpus/build.sh writes it; by default
# bench/data/corpus, built there on first use (5-8 minutes). Measures, in one run and on the same
# files, each timing the median of REPEAT runs (default 3):
#   1. the floor: `zstd -dc FILE > /dev/null`;
#   2. reading and parsing every document of FILE on one worker (the reader path a task runs,
#      timed inside the process after a warm-up, so start-up is not counted);
#   3. the same on the corpus cut into 8 shards (what a real corpus looks like), 1 and 2 workers,
#      next to zstd -dc of all shards one after another;
#   4. `datapipe convert` of the shards to Parquet, 1 and 2 workers (8 tasks both times).
# Prints a Markdown table and appends it, with the machine and the command, to bench/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${1:-$ROOT/bench/data/corpus}"
REPEAT="${REPEAT:-5}"
WORK="$ROOT/bench/data/ingest-work"
mkdir -p "$WORK"

bash "$ROOT/scripts/setup.sh"
if [ ! -f "$CORPUS/raw.jsonl.zst" ]; then
  echo "building the development corpus into $CORPUS (5-8 minutes)" >&2
  bash "$ROOT/../shared/corpus/build.sh" "$CORPUS"
fi
FILE="$CORPUS/raw.jsonl.zst"
dotnet build "$ROOT/bench/DataPipeline.Bench/DataPipeline.Bench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$ROOT/jobs/DataPipeline.Jobs.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
BENCH="dotnet $ROOT/bench/DataPipeline.Bench/bin/Release/net10.0/DataPipeline.Bench.dll"
DATAPIPE="dotnet $ROOT/jobs/bin/Release/net10.0/datapipe.dll"

if [ ! -f "$WORK/shards/.done" ]; then
  rm -rf "$WORK/shards"
  $DATAPIPE convert --input "$FILE" --output "$WORK/shards" --format jsonl.zst --tasks 1 --workers 1 --quiet >/dev/null
  # cut the one part into 8 files of whole lines, each compressed as zstd does by default
  zstd -dc "$WORK/shards/part-00000.jsonl.zst" > "$WORK/all.jsonl"
  split -n l/8 -d -a 1 --additional-suffix=.jsonl "$WORK/all.jsonl" "$WORK/shards/shard-"
  rm -f "$WORK/all.jsonl"
  rm -rf "$WORK/shards/part-00000.jsonl.zst" "$WORK/shards/.datapipe" "$WORK/shards/stats.json" "$WORK/shards/summary.txt"
  for f in "$WORK/shards"/shard-*.jsonl; do zstd -q -3 --rm "$f"; done
  touch "$WORK/shards/.done"
fi
SHARDS=("$WORK/shards"/shard-*.jsonl.zst)

# median wall-clock seconds of a command run REPEAT times
median() {
  local times=()
  for _ in $(seq "$REPEAT"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
zstd_all() { for f in "$@"; do zstd -dc "$f" > /dev/null; done; }
# median of the reader's own timing (after its warm-up; excludes process start-up, see Program.cs)
median_read() {
  for _ in $(seq "$REPEAT"); do
    $BENCH read "$@" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])"
  done | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

cat /dev/null > /dev/null
$BENCH read --workers 1 "$FILE" > "$WORK/check.json"    # warm the page cache and the JIT path once
DOCS=$(python3 -c "import json;print(json.load(open('$WORK/check.json'))['documents'])")
RAW_MB=$(zstd -dc "$FILE" | wc -c | awk '{printf "%.1f", $1/1e6}')

t_zstd_file=$(median zstd -dc "$FILE")
t_read_file=$(median_read --workers 1 "$FILE")
t_zstd_shards=$(median zstd_all "${SHARDS[@]}")
# 1 and 2 workers alternate, so drifts in the machine's speed hit both alike; the scaling is the
# median of the per-pair ratios.
read_seconds() { $BENCH read "$@" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])"; }
pairs=()
for _ in $(seq "$REPEAT"); do
  a=$(read_seconds --workers 1 "${SHARDS[@]}"); b=$(read_seconds --workers 2 "${SHARDS[@]}")
  pairs+=("$a $b")
done
t_read_1=$(printf '%s\n' "${pairs[@]}" | awk '{print $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
t_read_2=$(printf '%s\n' "${pairs[@]}" | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
scale_read=$(printf '%s\n' "${pairs[@]}" | awk '{print $1/$2}' | sort -g | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}')
# the decompression share alone (our libzstd stream, no parsing), 1 vs 2 workers, alternating likewise
dpairs=()
for _ in $(seq "$REPEAT"); do
  a=$($BENCH decompress --workers 1 "${SHARDS[@]}" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])")
  b=$($BENCH decompress --workers 2 "${SHARDS[@]}" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])")
  dpairs+=("$a $b")
done
t_dec_1=$(printf '%s\n' "${dpairs[@]}" | awk '{print $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
t_dec_2=$(printf '%s\n' "${dpairs[@]}" | awk '{print $2}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
scale_dec=$(printf '%s\n' "${dpairs[@]}" | awk '{print $1/$2}' | sort -g | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}')
# the machine's own ceiling for two streams at once: zstd -dc of half the shards each, in parallel
zstd_two() { ( zstd_all "${SHARDS[@]:0:4}" & zstd_all "${SHARDS[@]:4:4}" & wait ); }
t_zstd_two=$(median zstd_two)
rm -rf "$WORK/pq1" "$WORK/pq2"
t_conv_1=$(median bash -c "rm -rf '$WORK/pq1'; $DATAPIPE convert --input ${SHARDS[*]} --output '$WORK/pq1' --format parquet --tasks 8 --workers 1 --quiet")
t_conv_2=$(median bash -c "rm -rf '$WORK/pq2'; $DATAPIPE convert --input ${SHARDS[*]} --output '$WORK/pq2' --format parquet --tasks 8 --workers 2 --quiet")

mbps() { echo "$RAW_MB / $1" | bc -l | xargs printf '%.0f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
TABLE=$(cat <<MD

### Ingest, $(date -u +%Y-%m-%d) — $(nproc) cores ($CPU), $DOCS documents, $RAW_MB MB of JSONL

Command: \`bash bench/ingest/run.sh\` (median of $REPEAT runs each; all timings in the same run). zstd and
convert rows are wall-clock of the whole process; read rows are the reader's own steady-state timing
after a 20 MB warm-up (no process start-up or first-call JIT; the files are in the page cache for all rows).

| what | seconds | MB/s (uncompressed JSONL) | ratio |
| --- | ---: | ---: | --- |
| \`zstd -dc raw.jsonl.zst > /dev/null\` (floor) | $(printf '%.2f' "$t_zstd_file") | $(mbps "$t_zstd_file") | 1.00 |
| read + parse raw.jsonl.zst, 1 worker | $(printf '%.2f' "$t_read_file") | $(mbps "$t_read_file") | **$(ratio "$t_read_file" "$t_zstd_file")× the floor** (bar: ≤ 4×) |
| \`zstd -dc\` of the 8 shards, one after another | $(printf '%.2f' "$t_zstd_shards") | $(mbps "$t_zstd_shards") | 1.00 |
| read + parse 8 shards, 1 worker | $(printf '%.2f' "$t_read_1") | $(mbps "$t_read_1") | $(ratio "$t_read_1" "$t_zstd_shards")× the floor |
| read + parse 8 shards, 2 workers | $(printf '%.2f' "$t_read_2") | $(mbps "$t_read_2") | **${scale_read}× one worker** (median of per-pair ratios; bar: ≥ 1.7×) |
| decompression alone (our libzstd stream, no parsing), 8 shards, 1 worker | $(printf '%.2f' "$t_dec_1") | $(mbps "$t_dec_1") | |
| decompression alone, 8 shards, 2 workers | $(printf '%.2f' "$t_dec_2") | $(mbps "$t_dec_2") | ${scale_dec}× one worker |
| \`zstd -dc\` of the 8 shards as 2 parallel streams (the machine's own 2-core scaling) | $(printf '%.2f' "$t_zstd_two") | $(mbps "$t_zstd_two") | $(ratio "$t_zstd_shards" "$t_zstd_two")× one stream |
| \`datapipe convert\` shards → Parquet, 1 worker | $(printf '%.2f' "$t_conv_1") | $(mbps "$t_conv_1") | $(ratio "$t_conv_1" "$t_zstd_shards")× the floor |
| \`datapipe convert\` shards → Parquet, 2 workers | $(printf '%.2f' "$t_conv_2") | $(mbps "$t_conv_2") | $(ratio "$t_conv_1" "$t_conv_2")× one worker |
MD
)
echo "$TABLE"
echo "$TABLE" >> "$ROOT/bench/RESULTS.md"
