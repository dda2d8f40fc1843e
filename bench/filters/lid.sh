#!/usr/bin/env bash
# Language-id throughput (issue 3).
#
#   bash bench/filters/lid.sh [CORPUS_DIR]
#
# CORPUS_DIR holds raw.jsonl.zst as ../shared/corpus/build.sh writes it; by default
# bench/data/corpus, built there on first use (5-8 minutes). Measures, in one run and on the same
# documents, all on one thread:
#   1. our `language` step (fastText lid.176.ftz, languages [en], upstream defaults) over every
#      document, held in memory, after an untimed pass over 2,000 of them (median of REPEAT runs,
#      default 3);
#   2. the baseline: fastText's own predict (fastText 0.9.2, Debian's python3-fasttext, installed
#      when missing) called as datatrove's LanguageFilter calls it, predict(text.replace("\n", " "),
#      k=-1), over the same documents held in memory (one run: it takes minutes).
# Both report wall-clock and the process's CPU seconds over the timed loop; on a shared machine the
# CPU seconds are the steadier figure. Prints a Markdown table and appends it, with the machine and
# the command, to bench/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CORPUS="${1:-$ROOT/bench/data/corpus}"
REPEAT="${REPEAT:-3}"
WORK="$ROOT/bench/data/lid-work"
mkdir -p "$WORK"

bash "$ROOT/scripts/setup.sh"
if [ ! -f "$CORPUS/raw.jsonl.zst" ]; then
  echo "building the development corpus into $CORPUS (5-8 minutes)" >&2
  bash "$ROOT/../shared/corpus/build.sh" "$CORPUS"
fi
FILE="$CORPUS/raw.jsonl.zst"
MODEL="$ROOT/models/lid.176.ftz"
dotnet build "$ROOT/bench/DataPipeline.Bench/DataPipeline.Bench.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
BENCH="dotnet $ROOT/bench/DataPipeline.Bench/bin/Release/net10.0/DataPipeline.Bench.dll"

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

walls=(); cpus=()
for _ in $(seq "$REPEAT"); do
  out=$($BENCH lid --model "$MODEL" "$FILE")
  echo "ours: $out" >&2
  walls+=("$(field "$out" seconds)"); cpus+=("$(field "$out" cpu_seconds)")
done
DOCS=$(field "$out" documents); BYTES=$(field "$out" text_bytes); KEPT=$(field "$out" kept)
OUR_WALL=$(median "${walls[@]}"); OUR_CPU=$(median "${cpus[@]}")

if ! /usr/bin/python3 -c "import fasttext" 2>/dev/null; then
  echo "installing python3-fasttext (fastText 0.9.2) for the baseline" >&2
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends python3-fasttext >&2 \
    || { $SUDO apt-get update >&2 && $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends python3-fasttext >&2; }
fi
[ -f "$WORK/raw.jsonl" ] || zstd -dc "$FILE" > "$WORK/raw.jsonl"
base=$(/usr/bin/python3 "$ROOT/bench/filters/lid_fasttext.py" time "$MODEL" "$WORK/raw.jsonl")
echo "fastText: $base" >&2
FT_WALL=$(field "$base" seconds); FT_CPU=$(field "$base" cpu_seconds)

row() { # label wall cpu
  python3 - "$@" "$DOCS" "$BYTES" <<'PY'
import sys
label, wall, cpu, docs, size = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"| {label} | {wall:.2f} | {cpu:.2f} | {size / 1e6 / cpu:.1f} | {docs / cpu:,.0f} |")
PY
}
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }

CPU_NAME=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
TABLE=$(cat <<MD
### Language id, $(date +%Y-%m-%d) — $(nproc) cores (${CPU_NAME:-unknown CPU}), load average $(cut -d' ' -f1-3 /proc/loadavg)

Command: \`bash bench/filters/lid.sh\` (REPEAT=$REPEAT). $DOCS documents, $(python3 -c "print(f'{$BYTES/1e6:.1f}')") MB of text
(\`raw.jsonl.zst\` of the development corpus), one thread, documents in memory. MB/s and docs/s are per CPU
second of the timed loop (the machine is shared: wall-clock also counts time other jobs held the core).
Our step kept $KEPT documents (languages [en], score > 0.65).

| what | wall s | CPU s | MB/s per CPU s | docs/s per CPU s |
| --- | ---: | ---: | ---: | ---: |
$(row "\`language\` step (ours), median of $REPEAT" "$OUR_WALL" "$OUR_CPU")
$(row "fastText 0.9.2 predict(k=-1) via Python, as datatrove calls it" "$FT_WALL" "$FT_CPU")

Ours: **$(ratio "$FT_CPU" "$OUR_CPU")×** fastText's CPU time ($(ratio "$FT_WALL" "$OUR_WALL")× its wall-clock) on the same documents; target ≥ 20 MB/s per core.
MD
)
echo "$TABLE"
printf '\n%s\n' "$TABLE" >> "$ROOT/bench/RESULTS.md"
