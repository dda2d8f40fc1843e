#!/usr/bin/env python3
"""Builds a near-duplicate benchmark set from real text, with the truth of what was planted.

    plant.py RAW.jsonl.zst OUT_DIR [--base N] [--fraction F] [--seed S]

Takes the first N documents of RAW with at least 50 words that are not near-duplicates of an earlier
one (word 5-gram Jaccard under 0.3 on text simplified as datatrove does, candidates from a bottom-8 sketch: real corpora hold licence and
manual-page families that would otherwise blur the planted truth) as originals; for a fraction F of them
writes 1 or 2 copies, each with a fraction of its words edited drawn uniformly from 0.5% to 3%
(each edit replaces, deletes or inserts a word, the word drawn from the corpus vocabulary). Originals
and copies are shuffled together. Writes OUT_DIR/planted.jsonl.zst ({"id","text"}) and
OUT_DIR/truth.jsonl ({"id": copy, "of": original, "edit_rate": r}). Standard library only.
"""
import argparse, json, os, random, re, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("raw"); ap.add_argument("out")
ap.add_argument("--base", type=int, default=30000)
ap.add_argument("--fraction", type=float, default=0.1)
ap.add_argument("--seed", type=int, default=20261128)
a = ap.parse_args()
rng = random.Random(a.seed)
os.makedirs(a.out, exist_ok=True)

def shingle_set(text):
    # close to datatrove's simplify_text: lowercase, numbers to 0, punctuation to spaces
    w = re.sub(r"\d+([.,]\d+)?", "0", text.lower())
    w = re.findall(r"[^\W_]+", w)
    return {hash(" ".join(w[i:i + 5])) for i in range(max(0, len(w) - 4))}

originals, sets, index, skipped = [], [], {}, 0
with subprocess.Popen(["zstd", "-dc", a.raw], stdout=subprocess.PIPE) as p:
    for line in p.stdout:
        doc = json.loads(line)
        if len(doc["text"].split()) < 50:
            continue
        s = shingle_set(doc["text"])
        if not s:
            continue
        sketch = sorted(s)[:8]
        candidates = {j for h in sketch for j in index.get(h, ())}
        if any(len(s & sets[j]) / len(s | sets[j]) >= 0.3 for j in candidates):
            skipped += 1
            continue
        for h in sketch:
            index.setdefault(h, []).append(len(sets))
        sets.append(s)
        originals.append((doc["id"], doc["text"]))
        if len(originals) == a.base:
            break
sets = index = None
vocab = []
for _, t in originals[:2000]:
    vocab.extend(t.split()[:200])

def edit(text, rate):
    words = text.split(" ")
    n = max(1, round(len(words) * rate))
    for _ in range(n):
        i = rng.randrange(len(words))
        op = rng.randrange(3)
        if op == 0:
            words[i] = rng.choice(vocab)
        elif op == 1 and len(words) > 1:
            del words[i]
        else:
            words.insert(i, rng.choice(vocab))
    return " ".join(words)

docs = [{"id": i, "text": t} for i, t in originals]
truth = []
for i, t in originals:
    if rng.random() < a.fraction:
        for c in range(rng.choice((1, 2))):
            rate = rng.uniform(0.005, 0.03)
            cid = f"{i}#copy{c}"
            docs.append({"id": cid, "text": edit(t, rate)})
            truth.append({"id": cid, "of": i, "edit_rate": round(rate, 5)})
rng.shuffle(docs)
with open(os.path.join(a.out, "truth.jsonl"), "w") as f:
    for t in truth:
        f.write(json.dumps(t) + "\n")
with subprocess.Popen(["zstd", "-q", "-f", "-o", os.path.join(a.out, "planted.jsonl.zst")], stdin=subprocess.PIPE) as p:
    for d in docs:
        p.stdin.write((json.dumps(d, ensure_ascii=False) + "\n").encode())
print(json.dumps({"near_duplicate_candidates_skipped": skipped, "originals": len(originals), "copies": len(truth), "documents": len(docs)}))
