"""fastText's own predictions (Debian's python3-fasttext, fastText 0.9.2) for bench/filters/lid.sh.

  predict MODEL K FILE.jsonl   one JSON line per input line: top-K labels and probabilities of
                               text.replace("\n", " ") (what datatrove's LanguageFilter predicts on)
  time MODEL FILE.jsonl        the seconds fastText's predict(k=-1) takes over every text, as
                               datatrove's FT176LID calls it, after reading them all into memory
"""
import json
import sys
import time

import fasttext

fasttext.FastText.eprint = lambda *args, **kwargs: None


def texts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


def main():
    mode, model_path = sys.argv[1], sys.argv[2]
    model = fasttext.load_model(model_path)
    if mode == "predict":
        k = int(sys.argv[3])
        out = sys.stdout
        for text in texts(sys.argv[4]):
            labels, probs = model.predict(text.replace("\n", " "), k=k)
            out.write(json.dumps({"labels": list(labels), "probs": [float(p) for p in probs]}) + "\n")
    elif mode == "time":
        docs = list(texts(sys.argv[3]))
        start, cpu = time.perf_counter(), time.process_time()
        for text in docs:
            model.predict(text.replace("\n", " "), k=-1)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = sum(len(t.encode("utf-8", "surrogatepass")) for t in docs)
        print(json.dumps({"documents": len(docs), "text_bytes": size, "seconds": round(seconds, 4), "cpu_seconds": round(cpu, 4)}))


if __name__ == "__main__":
    main()
