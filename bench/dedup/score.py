#!/usr/bin/env python3
"""Precision and recall of a dedup run against the planted truth.

    score.py TRUTH.jsonl REMOVED.jsonl PLANTED.jsonl.zst

A planted group is an original and its copies. Recall: the fraction of copies that ended in one
cluster with their original (removed with duplicate_of inside the group, or the original removed in
favour of a group member). Precision: the fraction of removed documents whose duplicate_of is in
their own planted group. Removals outside any planted group are duplicates the real text already
held (licence texts, manual pages); they are reported apart ("natural") and count against strict
precision; each is checked by the exact Jaccard of its word 5-gram sets (lowercased, numbers as 0,
punctuation as spaces, as datatrove's simplify_text) with the document it was removed for, and one at 0.5 or above counts as a true
duplicate in "precision" (below: a false positive).
"""
import json, re, subprocess, sys

truth = [json.loads(l) for l in open(sys.argv[1])]
group = {}
for t in truth:
    group[t["id"]] = t["of"]
    group[t["of"]] = t["of"]
removed = [json.loads(l) for l in open(sys.argv[2])]
kept_for = {r["id"]: r["duplicate_of"] for r in removed}

def root(doc):
    return group.get(doc)

correct = natural = wrong = 0
for r in removed:
    g = root(r["id"])
    if g is not None and root(r["duplicate_of"]) == g:
        correct += 1
    elif g is None and root(r["duplicate_of"]) is None:
        natural += 1
    else:
        wrong += 1

def cluster(doc):
    return kept_for.get(doc, doc)

natural_pairs = [(r["id"], r["duplicate_of"]) for r in removed if root(r["id"]) is None and root(r["duplicate_of"]) is None]
need = {d for p in natural_pairs for d in p}
texts = {}
with subprocess.Popen(["zstd", "-dc", sys.argv[3]], stdout=subprocess.PIPE) as p:
    for line in p.stdout:
        d = json.loads(line)
        if d["id"] in need:
            texts[d["id"]] = d["text"]

def shingles(text):
    # close to datatrove's simplify_text: lowercase, numbers to 0, punctuation to spaces
    w = re.sub(r"\d+([.,]\d+)?", "0", text.lower())
    w = re.findall(r"[^\W_]+", w)
    return {" ".join(w[i:i + 5]) for i in range(max(0, len(w) - 4))}

natural_true = 0
for a, b in natural_pairs:
    x, y = shingles(texts[a]), shingles(texts[b])
    j = len(x & y) / max(1, len(x | y)) if x or y else 1.0
    natural_true += j >= 0.5

found = sum(1 for t in truth if cluster(t["id"]) == cluster(t["of"]))
print(json.dumps({
    "removed": len(removed), "planted_copies": len(truth),
    "recall": round(found / max(1, len(truth)), 4),
    "precision_strict": round(correct / max(1, len(removed)), 4),
    "precision_planted": round(correct / max(1, correct + wrong), 4),
    "precision": round((correct + natural_true) / max(1, len(removed)), 4),
    "natural_duplicates": natural, "natural_below_jaccard_0.5": natural - natural_true, "wrong": wrong,
}))
