#!/usr/bin/env bash
# DSIR benchmark: `datapipe sample` (counts, fit, weights, select, filter passes) on the head of the
# development corpus, 1 and 2 workers, with DSIR's own throughput as the reference figure.
#
#   bash bench/dsir/run.sh [DOCS]        (DOCS: raw documents to take from the corpus head, default 20000)
#
# Needs bench/data/corpus/raw.jsonl.zst and target.jsonl (gitignored: copy them from another checkout,
# or build them with ../shared/corpus/build.sh bench/data/corpus). DSIR's Python package cannot be
# installed here (no PyPI), so the reference is the figure the issue measured for it on this corpus:
# about 2.5 MB/s of text per core when fitting and about 570 documents/s when weighting. The DSIR
# time printed is what those rates give for the same documents (target + raw fitted, raw weighted).
# Prints a Markdown table; stage seconds are wall-clock from stats.json (one stage at a time).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DOCS="${1:-20000}"
CORPUS=bench/data/corpus
WORK=bench/data/dsir
[ -f "$CORPUS/raw.jsonl.zst" ] && [ -f "$CORPUS/target.jsonl" ] || { echo "missing $CORPUS/raw.jsonl.zst or target.jsonl (see the header of this script)" >&2; exit 2; }
mkdir -p "$WORK"
if [ ! -f "$WORK/raw-$DOCS.jsonl" ]; then
  # head closes the pipe early: zstd's SIGPIPE is expected, not a failure.
  (set +o pipefail; zstd -dc "$CORPUS/raw.jsonl.zst" 2>/dev/null | head -n "$DOCS" > "$WORK/raw-$DOCS.jsonl")
fi
dotnet build jobs -c Release -nologo -v quiet -clp:ErrorsOnly -o "$WORK/bin" >&2
for W in 1 2; do
  rm -rf "$WORK/out-$W"
  dotnet "$WORK/bin/datapipe.dll" sample --input "$WORK/raw-$DOCS.jsonl" --target "$CORPUS/target.jsonl" --fraction 0.1 \
    --output "$WORK/out-$W" --workers "$W" --tasks "$W" --format jsonl -q >&2
done
python3 - "$WORK" "$CORPUS/target.jsonl" <<'PY'
import json, os, sys
work, target = sys.argv[1], sys.argv[2]
tbytes = sum(len(json.loads(l)["text"].encode()) for l in open(target, encoding="utf-8"))
def stages(w):
    s = json.load(open(os.path.join(work, f"out-{w}", "stats.json")))
    return {st["name"]: st for st in s["stages"]}
one, two = stages(1), stages(2)
docs = one["sample.counts"]["documents_in"]; rbytes = one["sample.counts"]["bytes_in"]
dsir_fit = (rbytes + tbytes) / 1e6 / 2.5
dsir_weights = docs / 570.0
print(f"raw: {docs} documents, {rbytes/1e6:.1f} MB of text; target: {tbytes/1e6:.1f} MB of text\n")
print("| pass | 1 worker s | docs/s | MB/s | 2 workers s | docs/s | MB/s | 2w speed-up |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
rows = [("fit (counts + fit)", ["sample.counts", "sample.fit"], rbytes + tbytes),
        ("weights", ["sample.weights"], rbytes), ("select", ["sample.select"], rbytes),
        ("filter (write selection)", ["sample"], rbytes)]
tot = {1: 0.0, 2: 0.0}
for name, names, b in rows:
    t1 = sum(one[n]["seconds"] for n in names); t2 = sum(two[n]["seconds"] for n in names)
    if name != "filter (write selection)":
        tot[1] += t1; tot[2] += t2
    print(f"| {name} | {t1:.2f} | {docs/t1:,.0f} | {b/1e6/t1:.1f} | {t2:.2f} | {docs/t2:,.0f} | {b/1e6/t2:.1f} | {t1/t2:.2f}x |")
print(f"| **fit + weights + select** | {tot[1]:.2f} | | | {tot[2]:.2f} | | | {tot[1]/tot[2]:.2f}x |")
print(f"\nDSIR per core at the issue's rates: fit {dsir_fit:.1f} s + weights {dsir_weights:.1f} s = {dsir_fit + dsir_weights:.1f} s")
print(f"ours, 1 worker: {tot[1]:.2f} s -> **{(dsir_fit + dsir_weights) / tot[1]:.1f}x DSIR per core** (bar 20x)")
PY
