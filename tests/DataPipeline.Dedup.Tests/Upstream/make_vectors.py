#!/usr/bin/env python3
"""Regenerates upstream_vectors.json: the values datatrove's MinHash stage 1 computes.

Run with Debian's python3 (packages python3-numpy python3-xxhash python3-regex):
    /usr/bin/python3 make_vectors.py ../../../samples/corpus > upstream_vectors.json

What is upstream here and what is not:
  * simplify_text, PUNCTUATION and NUMBERS_PATTERN are re-typed from datatrove
    src/datatrove/utils/text.py (HEAD order: lower, numbers, punctuation->space, whitespace, NFD-Mn, strip).
  * the permutation parameters and the signature arithmetic are datatrove's own numpy expressions
    (MinhashDedupSignature.parameters / get_signature), run on real numpy RandomState.
  * the shingle hash is xxhash.xxh64_intdigest(seed 0), as datatrove.utils.hashes.xxhash.xxhash64.
  * NOT upstream: word tokenisation is str.split() instead of spaCy blank("en") (spaCy is not
    installable here); on normalised text the two differ only on spaCy's special cases.
"""
import json, os, sys, unicodedata, re, subprocess
import numpy as np
import regex
import xxhash

PUNCTUATION = "!/—”:％１〈&(、━\\【#%「」，】；+^]~“《„';’{|∶´[=-`*．（–？！：$～«〉,><》)?）。…@_.\"}►»" + "".join(
    map(chr, (x for a, b in ((0, 9), (11, 13), (13, 32), (127, 160)) for x in range(a, b))))
PUNCTUATION_TRANS = str.maketrans(PUNCTUATION, " " * len(PUNCTUATION))
NUMBERS_PATTERN = regex.compile(r"\p{Nd}+([.,،٫⎖⎗⎘]{1}\p{Nd}+)?", regex.VERBOSE | regex.UNICODE)
WHITESPACE_PATTERN = re.compile(r"\s+")


def simplify_text(text):
    text = text.lower()
    text = NUMBERS_PATTERN.sub("0", text)
    text = text.translate(PUNCTUATION_TRANS)
    text = WHITESPACE_PATTERN.sub(" ", text.strip())
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.strip()


P = np.uint64((1 << 61) - 1)


def parameters(seed, n):
    gen = np.random.RandomState(seed)
    return (gen.randint(1, P, dtype=np.uint64, size=(1, n)), gen.randint(0, P, dtype=np.uint64, size=(1, n)))


def shingles(text, n=5):
    tokens = simplify_text(text).split()
    hs = [xxhash.xxh64_intdigest(" ".join(tokens[i:i + n]).encode("utf-8")) for i in range(len(tokens) - n + 1)]
    return np.fromiter(hs, dtype=np.uint64).reshape((-1, 1))


def signature(sh, a, b):
    with np.errstate(over="ignore"):
        phv = (sh * a + b) % P
    return np.min(phv, axis=0).astype(np.uint64)


def h64(b):
    return format(xxhash.xxh64_intdigest(b), "016x")


def main():
    corpus = sys.argv[1]
    a, b = parameters(1, 112)
    a42, b42 = parameters(42, 260)
    out = {
        "seed1_112": {"a": [int(x) for x in a[0]], "b": [int(x) for x in b[0]]},
        "seed42_260": {"a": [int(x) for x in a42[0]], "b": [int(x) for x in b42[0]]},
        "normalise": [],
        "docs": [],
    }
    tricky = ["Hello, World!  It's 3.14 o'clock…", "Ünïcödé   façade\tnaïve\u00a0x", "１２３ and ١٢٣٫٤ and 1,2,3",
              "ΟΔΥΣΣΕΥΣ ΣΑΣ", "İstanbul ǅ ß ﬁ", "tabs\tand\nnewlines\r\n  end ", "a \u0301 b", "x\u2028y\u3000z\u200bw",
              "don't stop—believing", "𝟘𝟙 digits 12.34.56 7,", "Σ", "", "   ", "e\u0301te\u0301 cafe\u0301"]
    for t in tricky:
        out["normalise"].append({"text": t, "normalised": simplify_text(t)})
    for name in sorted(os.listdir(corpus)):
        raw = subprocess.run(["zstd", "-dc", os.path.join(corpus, name)], check=True, capture_output=True).stdout
        for line in raw.decode("utf-8").splitlines():
            text = json.loads(line)["text"]
            sh = shingles(text)
            entry = {"file": name, "norm_xxh64": h64(simplify_text(text).encode("utf-8")), "shingles": int(sh.size)}
            if sh.size:
                sig = signature(sh, a, b)
                entry["sig_xxh64"] = h64(sig.astype("<u8").tobytes())
                if len(out["docs"]) < 8:
                    entry["sig"] = [int(x) for x in sig]
            out["docs"].append(entry)
    json.dump(out, sys.stdout, indent=0)


main()
