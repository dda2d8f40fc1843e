#!/usr/bin/env bash
# Tokenize throughput benchmark (issue 5).
#
#   bash bench/tokenize/run.sh [CORPUS_DIR]
#
# CORPUS_DIR holds raw.jsonl.zst as ../shared/corpus/build.sh writes it; by default
# bench/data/corpus, built there on first use (5-8 minutes). The first SIZE_MB (default 40) MB of
# its JSONL are cut into 8 shards of whole lines (zstd -3), one task each. On those shards, with 1
# and with 2 workers, it times:
#   1. the baseline: Microsoft.ML.Tokenizers' bare EncodeToIds (TOKENIZER, default cl100k_base)
#      over every document's text, held in memory; and our DocumentEncoder alone (the step's
#      encoder: the same ids, a cache of piece encodings per worker) over the same texts;
#   2. the tokenize step as a task runs it (read + parse the shard, tokenize, pack, write the
#      part, merge the parts' index), for each packing mode with MDS + zstd, and for Megatron;
#      and MDS + zstd concat once more with the step's read-ahead off;
#   3. `datapipe tokenize` end to end (process start-up included), MDS + zstd, concat;
#   4. MDS + zstd concat against the baseline once more, the two alternating REPEAT + 2 times
#      inside one process (DataPipeline.TokenizeBench compare), 1 and 2 workers.
# Rows 1-2 are timed inside one process after an untimed warm-up (see
# DataPipeline.TokenizeBench/Program.cs). Every configuration runs once per round, REPEAT rounds
# (default 3), so a drift in the shared machine's speed hits all rows of a round alike; a row's
# ratio to the baseline and its 2-worker scaling are medians of the per-round ratios. Prints a
# Markdown table and appends it, with the machine, its load and the command, to bench/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${1:-$ROOT/bench/data/corpus}"
REPEAT="${REPEAT:-3}"
SIZE_MB="${SIZE_MB:-40}"
TOKENIZER="${TOKENIZER:-cl100k_base}"
WORK="$ROOT/bench/data/tokenize-work"
mkdir -p "$WORK"

bash "$ROOT/scripts/setup.sh"
if [ ! -f "$CORPUS/raw.jsonl.zst" ]; then
  echo "building the development corpus into $CORPUS (5-8 minutes)" >&2
  bash "$ROOT/../shared/corpus/build.sh" "$CORPUS"
fi
dotnet build "$ROOT/bench/tokenize/DataPipeline.TokenizeBench/DataPipeline.TokenizeBench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build "$ROOT/jobs/DataPipeline.Jobs.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
BENCH="dotnet $ROOT/bench/tokenize/DataPipeline.TokenizeBench/bin/Release/net10.0/DataPipeline.TokenizeBench.dll"
DATAPIPE="dotnet $ROOT/jobs/bin/Release/net10.0/datapipe.dll"

SHARDS_DIR="$WORK/shards-${SIZE_MB}mb"
if [ ! -f "$SHARDS_DIR/.done" ]; then
  rm -rf "$SHARDS_DIR"; mkdir -p "$SHARDS_DIR"
  zstd -dc "$CORPUS/raw.jsonl.zst" | LC_ALL=C awk -v limit=$((SIZE_MB * 1000000)) '{ n += length($0) + 1; print; if (n >= limit) exit }' > "$WORK/sample.jsonl" || true
  split -n l/8 -d -a 1 --additional-suffix=.jsonl "$WORK/sample.jsonl" "$SHARDS_DIR/shard-"
  rm -f "$WORK/sample.jsonl"
  for f in "$SHARDS_DIR"/shard-*.jsonl; do zstd -q -3 --rm "$f"; done
  touch "$SHARDS_DIR/.done"
fi
SHARDS=("$SHARDS_DIR"/shard-*.jsonl.zst)

# Every timing becomes one JSON line in $LOG, tagged with its round.
LOG="$WORK/timings.jsonl"
: > "$LOG"
record() { local round=$1; shift; "$@" | python3 -c "import json,sys; d=json.loads(sys.stdin.read()); d['round']=$round; print(json.dumps(d))" >> "$LOG"; }
cli() {
  local round=$1 workers=$2 t0 t1
  rm -rf "$WORK/cli"
  t0=$(date +%s.%N)
  $DATAPIPE tokenize --input "${SHARDS[@]}" --output "$WORK/cli" --tokenizer "$TOKENIZER" --format mds --packing concat --quiet --workers "$workers" >/dev/null
  t1=$(date +%s.%N)
  echo "{\"what\":\"cli mds concat\",\"workers\":$workers,\"seconds\":$(echo "$t1 - $t0" | bc -l),\"round\":$round}" >> "$LOG"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq "$REPEAT"); do
  for workers in 1 2; do
    record "$round" $BENCH encode --tokenizer "$TOKENIZER" --workers "$workers" "${SHARDS[@]}"
    record "$round" $BENCH encode-ours --tokenizer "$TOKENIZER" --workers "$workers" "${SHARDS[@]}"
    for config in "mds none true" "mds concat true" "mds bestfit true" "megatron none true" "mds concat false"; do
      set -- $config
      record "$round" $BENCH step --tokenizer "$TOKENIZER" --format "$1" --packing "$2" --read-ahead "$3" \
        --output "$WORK/out-$1-$2" --workers "$workers" "${SHARDS[@]}"
    done
    cli "$round" "$workers"
  done
done
# The headline 1-worker ratio once more, with the baseline and the step alternating inside one
# process (seconds apart instead of minutes), which a drifting machine disturbs least.
for workers in 1 2; do
  $BENCH compare --rounds $((REPEAT + 2)) --tokenizer "$TOKENIZER" --format mds --packing concat \
    --output "$WORK/out-compare" --workers "$workers" "${SHARDS[@]}" >> "$LOG"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$(python3 - "$LOG" "$SIZE_MB" "$REPEAT" "$TOKENIZER" "$LOAD_BEFORE" "$LOAD_AFTER" "$(nproc)" \
  "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" <<'PY'
import json, statistics, sys, datetime
log, size_mb, repeat, tokenizer, load_before, load_after, cores, cpu = sys.argv[1:]
runs = [json.loads(l) for l in open(log)]
def t(what, workers, rnd):
    return next(r['seconds'] for r in runs if r['what'] == what and r['workers'] == workers and r['round'] == rnd)
compare = [r for r in runs if r['what'].startswith('compare')]
runs = [r for r in runs if not r['what'].startswith('compare')]
rounds = sorted({r['round'] for r in runs})
base = next(r for r in runs if r['what'] == 'encode')
text_bytes, base_tokens = base['text_bytes'], base['tokens']
med = statistics.median
rows = [
    ('encode', 'bare `EncodeToIds` (Microsoft.ML.Tokenizers), text in memory'),
    ('encode-ours', 'our `DocumentEncoder` alone (what the step encodes with: same ids), text in memory'),
    ('step mds none', 'step: mds + zstd, packing none'),
    ('step mds concat', 'step: mds + zstd, packing concat'),
    ('step mds bestfit', 'step: mds + zstd, packing bestfit'),
    ('step megatron none', 'step: megatron (one sequence per document)'),
    ('step mds concat no-read-ahead', "step: mds + zstd, packing concat, read-ahead off (reading on the worker's own thread)"),
    ('cli mds concat', '`datapipe tokenize` end to end (mds + zstd, concat; process start-up included)'),
]
out = []
out.append(f"\n### Tokenize, {datetime.date.today()} — {cores} cores ({cpu}), {tokenizer}, {text_bytes/1e6:.1f} MB of text in 8 shards\n")
out.append(f"Command: `bash bench/tokenize/run.sh` (SIZE_MB={size_mb}, REPEAT={repeat}). Load average (1/5/15 min) before: {load_before},")
out.append(f"after: {load_after}; the machine is shared with other builds, so read the ratios, which come from runs made")
out.append("side by side (every row once per round; ratios are medians of the per-round ratios), not the seconds.")
out.append("Baseline and step rows are timed inside one process after an untimed warm-up; a step row is")
out.append("read + parse + tokenize + pack + write (+ zstd) + index merge, reading and parsing on the step's")
out.append("read-ahead thread (so a worker uses a little more than one core) except in the row that turns it off.\n")
out.append("| what | 1 worker s | CPU s | MB/s | k tokens/s | vs bare EncodeToIds, 1 worker | 2 workers s | MB/s | 2 workers / 1 |")
out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for what, label in rows:
    if not any(r['what'] == what for r in runs):
        continue
    t1 = med([t(what, 1, k) for k in rounds]); t2 = med([t(what, 2, k) for k in rounds])
    vs = med([t('encode', 1, k) / t(what, 1, k) for k in rounds])
    scale = med([t(what, 1, k) / t(what, 2, k) for k in rounds])
    tokens = next((r.get('tokens') for r in runs if r['what'] == what), None)
    cpus = [r['cpu_seconds'] for r in runs if r['what'] == what and r['workers'] == 1 and 'cpu_seconds' in r]
    cpu = f"{med(cpus):.2f}" if cpus else ""
    ktps = f"{tokens / t1 / 1000:.0f}" if tokens else ""
    bold = what.startswith('step mds')
    b = (lambda s: f"**{s}**") if bold else (lambda s: s)
    out.append(f"| {label} | {t1:.2f} | {cpu} | {text_bytes / t1 / 1e6:.2f} | {ktps} | {b(f'{vs:.2f}')} | {t2:.2f} | {text_bytes / t2 / 1e6:.2f} | {b(f'{scale:.2f}')} |")
for c in compare:
    b, s = c['bare_seconds'], c['step_seconds']
    ratios = sorted(x / y for x, y in zip(b, s))
    out.append(f"| step: mds + zstd, packing concat, {c['workers']} worker{'s' if c['workers'] > 1 else ''}, alternating with bare EncodeToIds ({c['workers']} thread{'s' if c['workers'] > 1 else ''}) in one process, {len(b)} rounds | {med(s):.2f} | | {text_bytes / med(s) / 1e6:.2f} | | **{c['ratio_median']:.2f}** (rounds: {min(ratios):.2f}-{max(ratios):.2f}; bare {med(b):.2f} s) | | | |")
one = next((c for c in compare if c['workers'] == 1), None); two = next((c for c in compare if c['workers'] == 2), None)
if one and two:
    out.append(f"\nFrom the alternating runs: step with 2 workers / step with 1 worker = {med(one['step_seconds']) / med(two['step_seconds']):.2f}; bare EncodeToIds 2 threads / 1 = {med(one['bare_seconds']) / med(two['bare_seconds']):.2f}.")
out.append("\nBars: the step (mds + zstd) on 1 worker ≥ 0.85 of bare EncodeToIds; with 2 workers ≥ 1.7× one worker.")
out.append("CPU s: the process's CPU time over the timed section, all threads (read-ahead and GC included).")
out.append("Token counts: the step's include one EOS per document; EncodeToIds' do not.")
print("\n".join(out))
PY
)
echo "$TABLE"
echo "$TABLE" >> "$ROOT/bench/RESULTS.md"
