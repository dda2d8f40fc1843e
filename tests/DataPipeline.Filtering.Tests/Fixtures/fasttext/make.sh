#!/usr/bin/env bash
# Regenerates the small fastText models and fastText's own predictions for them that the tests
# compare against (FastTextModelTests). Needs Debian's fasttext and python3-fasttext (fastText 0.9.2:
# apt-get install fasttext python3-fasttext) and the development corpus's multilingual.jsonl
# (bench/data/corpus, from ../shared/corpus/build.sh). The tests themselves need neither.
#
#   bash tests/DataPipeline.Filtering.Tests/Fixtures/fasttext/make.sh [CORPUS_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
CORPUS="${1:-$ROOT/bench/data/corpus}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Training text: 150 snippets per language from the corpus's multilingual part; probes: the next 10.
/usr/bin/python3 - "$CORPUS/multilingual.jsonl" "$WORK" <<'PY'
import json, sys
langs = ["es", "de", "ru", "cs", "it", "fr", "en", "zh"]
seen = {l: 0 for l in langs}
train, probes = [], []
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    lang = d["lang"]
    if lang not in seen:
        continue
    text = " ".join(d["text"].split())[:300]
    if not text:
        continue
    seen[lang] += 1
    if seen[lang] <= 150:
        train.append(f"__label__{lang} {text}")
    elif seen[lang] <= 160:
        probes.append(text)
# Synthetic 300-label set: quantizing the output matrix (-qout) needs at least 256 rows (labels).
synthetic = []
for i in range(300):
    for j in range(4):
        synthetic.append(f"__label__s{i} w{i}a w{i}b{j} common words here x{(i * 7 + j) % 50}")
edge = ["", " ", "a", "__label__es hola mundo", "hola </s> hello world after eos", "tab\tseparated\vand\fform\rfeed",
        "nul\x00separated", "1234 5678", "!!! ???", "émigré naïve café", "w3a w3b1 common words", "x\u00ad\u200b\ufeffy"]
with open(f"{sys.argv[2]}/train.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(train) + "\n")
with open(f"{sys.argv[2]}/synthetic.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(synthetic) + "\n")
with open(f"{sys.argv[2]}/probes.jsonl", "w", encoding="utf-8") as f:
    for t in edge + probes + [s.split(" ", 1)[1] for s in synthetic[::40]]:
        f.write(json.dumps({"text": t}) + "\n")
PY

common=(-dim 8 -epoch 5 -minn 2 -maxn 3 -bucket 2000 -thread 1 -seed 1 -minCount 3 -verbose 0)
cd "$WORK"
fasttext supervised -input train.txt -output softmax "${common[@]}" -loss softmax -wordNgrams 2
fasttext supervised -input train.txt -output hs "${common[@]}" -loss hs
fasttext supervised -input train.txt -output ova "${common[@]}" -loss ova
fasttext supervised -input train.txt -output ns "${common[@]}" -loss ns -neg 3 -wordNgrams 3
cp softmax.bin softmax-q.bin
fasttext quantize -input train.txt -output softmax-q -qnorm -cutoff 400 -dsub 2 -verbose 0
fasttext supervised -input synthetic.txt -output synth -dim 6 -epoch 5 -minn 0 -maxn 0 -bucket 0 -thread 1 -seed 1 -loss softmax -verbose 0
fasttext quantize -input synthetic.txt -output synth -qout -dsub 4 -verbose 0

/usr/bin/python3 - "$WORK" "$HERE" <<'PY'
import json, shutil, sys
import fasttext
fasttext.FastText.eprint = lambda *a, **k: None
work, here = sys.argv[1], sys.argv[2]
probes = [json.loads(l)["text"] for l in open(f"{work}/probes.jsonl", encoding="utf-8")]
models = ["softmax.bin", "hs.bin", "ova.bin", "ns.bin", "softmax-q.ftz", "synth.ftz"]
with open(f"{here}/expected.jsonl", "w", encoding="utf-8") as out:
    for name in models:
        shutil.copy(f"{work}/{name}", f"{here}/{name}")
        m = fasttext.load_model(f"{work}/{name}")
        for i, text in enumerate(probes):
            for k, threshold in (((5, 0.0),) if name == "synth.ftz" else ((-1, 0.0), (2, 0.1))):
                labels, probs = m.predict(text, k=k, threshold=threshold)
                out.write(json.dumps({"model": name, "text": text, "k": k, "threshold": threshold,
                                      "labels": list(labels), "probs": [float(p) for p in probs]}, ensure_ascii=False) + "\n")
PY
ls -la "$HERE"
