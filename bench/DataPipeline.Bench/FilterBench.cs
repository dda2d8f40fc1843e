using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Filtering.Steps;
using DataPipeline.Filtering.Tokenization;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Bench;

/// <summary>
/// Heuristic filter benchmark: <c>filters [--repeat R] [--max-mb M] [--only a,b] [--decisions OUT] FILE</c>.
/// Loads every document of FILE into memory first (the text as .NET strings, so reading, parsing
/// and UTF-8 decoding are not timed), then on one thread times each filter alone over all
/// documents, and all four in a row, R times each after a warm-up pass, and prints one JSON line
/// per configuration with the median seconds. MB are UTF-8 bytes of the input text.
/// With --decisions, also writes every filter's decision per document (each filter alone, on the
/// original text; untimed) as TSV, so two builds can be compared document by document.
/// </summary>
internal static class FilterBench
{
    private sealed record Loaded(string Id, string Text);

    public static int Run(string[] args)
    {
        int repeat = 3;
        double maxMb = double.PositiveInfinity;
        string? only = null;
        string? decisions = null;
        string? file = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--max-mb": maxMb = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i]; break;
                case "--decisions": decisions = args[++i]; break;
                default: file = args[i]; break;
            }
        }
        if (file is null || repeat < 1)
        {
            Console.Error.WriteLine("usage: DataPipeline.Bench filters [--repeat R] [--max-mb M] [--only NAME,...] [--decisions OUT.tsv] FILE");
            return 2;
        }
        var docs = Load(file, maxMb);
        long bytes = docs.Sum(d => (long)Encoding.UTF8.GetByteCount(d.Text));
        var origin = new DocumentOrigin(file, 0, OriginKind.Line);
        var documents = docs.Select(d => new Document(d.Id, d.Text, origin)).ToArray();

        var gq = new GopherQualityFilter(new GopherQualityOptions());
        var gr = new GopherRepetitionFilter(new GopherRepetitionOptions());
        var c4 = new C4QualityFilter(new C4QualityOptions());
        var fw = new FineWebQualityFilter(new FineWebQualityOptions());

        if (decisions is not null)
        {
            WriteDecisions(decisions, docs, documents, gq, gr, c4, fw);
        }

        // Each configuration returns the number of removals, so the work cannot be optimised away
        // and two builds can be compared at a glance.
        var configs = new List<(string Name, Func<Document[], int> Pass)>
        {
            ("gopher_quality", ds => Count(ds, d => gq.Check(d))),
            ("gopher_repetition", ds => Count(ds, d => gr.Check(d))),
            ("c4_quality", ds => Count(ds, c4.Apply)),
            ("fineweb_quality", ds => Count(ds, d => fw.Check(d))),
            // The spaCy tokenizer alone (what the word-level filters share), for profiling.
            ("tokenize", ds =>
            {
                var tokens = new List<Token>();
                int n = 0;
                foreach (var d in ds)
                {
                    EnglishTokenizer.Shared.TokenizeInto(d.Text, tokens);
                    n += tokens.Count & 1;
                }
                return n;
            }),
            // Every document through all four (as the datatrove figure adds the four filters' times):
            // C4 rewrites a kept document's text, so FineWeb sees the rewritten text.
            ("all_four", ds =>
            {
                int removed = 0;
                foreach (var d in ds)
                {
                    removed += gq.Check(d) is null ? 0 : 1;
                    removed += gr.Check(d) is null ? 0 : 1;
                    removed += c4.Apply(d) is null ? 0 : 1;
                    removed += fw.Check(d) is null ? 0 : 1;
                }
                return removed;
            }),
            // As a pipeline runs them: a document stops at the first filter that removes it.
            ("all_four_chained", ds =>
            {
                int removed = 0;
                foreach (var d in ds)
                {
                    bool gone = gq.Check(d) is not null || gr.Check(d) is not null || c4.Apply(d) is not null || fw.Check(d) is not null;
                    removed += gone ? 1 : 0;
                }
                return removed;
            }),
        };
        var wanted = only?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, pass) in configs)
        {
            if (wanted is not null && !wanted.Contains(name))
            {
                continue;
            }
            // Warm-up: this configuration over the first documents (first-call costs); untimed.
            Reset(documents, docs);
            pass(documents[..Math.Min(documents.Length, 2000)]);
            var times = new List<double>();
            var cpuTimes = new List<double>();
            int removed = 0;
            using var process = Process.GetCurrentProcess();
            for (int r = 0; r < repeat; r++)
            {
                // Each timed pass starts with an empty tokenizer cache, as a task does on its first
                // document, so repeating the same documents does not inflate the hit rate.
                // Every pass sees the original texts (C4 rewrites the ones it keeps).
                Reset(documents, docs);
                EnglishTokenizer.ClearThreadCache();
                GC.Collect();
                GC.WaitForPendingFinalizers();
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                removed = pass(documents);
                times.Add(clock.Elapsed.TotalSeconds);
                process.Refresh();
                cpuTimes.Add((process.TotalProcessorTime - cpu0).TotalSeconds);
            }
            times.Sort();
            cpuTimes.Sort();
            double median = times[times.Count / 2];
            double cpu = cpuTimes[cpuTimes.Count / 2];
            // Wall-clock and the process's CPU time (all its threads, the GC's included): on a
            // machine shared with other work the CPU time is the steadier measure of one core.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"config\":\"{name}\",\"documents\":{documents.Length},\"text_bytes\":{bytes},\"removed\":{removed},\"seconds\":{median:F4},\"cpu_seconds\":{cpu:F4},\"runs\":[{string.Join(",", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}],\"cpu_runs\":[{string.Join(",", cpuTimes.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}],\"mb_per_s\":{bytes / 1e6 / median:F2},\"cpu_mb_per_s\":{bytes / 1e6 / cpu:F2},\"docs_per_s\":{documents.Length / median:F0},\"cpu_docs_per_s\":{documents.Length / cpu:F0}}}"));
        }
        return 0;
    }

    private static int Count(Document[] documents, Func<Document, string?> check)
    {
        int removed = 0;
        foreach (var d in documents)
        {
            if (check(d) is not null)
            {
                removed++;
            }
        }
        return removed;
    }

    private static void Reset(Document[] documents, List<Loaded> docs)
    {
        for (int i = 0; i < documents.Length; i++)
        {
            if (!ReferenceEquals(documents[i].Text, docs[i].Text))
            {
                documents[i].Text = docs[i].Text;
            }
        }
    }

    private static List<Loaded> Load(string file, double maxMb)
    {
        var files = InputResolver.Resolve([file], Directory.GetCurrentDirectory());
        var docs = new List<Loaded>();
        long bytes = 0;
        foreach (var f in files)
        {
            var reader = InputFormats.CreateReader(InputFormats.Detect(f.FullPath, "auto"), new ReaderOptions());
            foreach (var d in reader.Read(InputSlice.WholeFile(f.FullPath, f.Size), f, new FileStats(), new ReadErrorPolicy(false, new TaskStats(), null), null))
            {
                if (bytes >= maxMb * 1e6)
                {
                    return docs;
                }
                bytes += d.Utf8Length;
                docs.Add(new Loaded(d.Id, d.Text));
            }
        }
        return docs;
    }

    /// <summary>One line per document: id, then each filter's reason ("keep" when kept), C4's kept-text hash, word count and word-list hash.</summary>
    private static void WriteDecisions(string path, List<Loaded> docs, Document[] documents, GopherQualityFilter gq, GopherRepetitionFilter gr, C4QualityFilter c4, FineWebQualityFilter fw)
    {
        using var w = new StreamWriter(path);
        for (int i = 0; i < docs.Count; i++)
        {
            var d = documents[i];
            d.Text = docs[i].Text;
            string q = gq.Check(d) ?? "keep";
            string r = gr.Check(d) ?? "keep";
            string f = fw.Check(d) ?? "keep";
            var words = WordList.Split(docs[i].Text);
            ulong wordsHash = 14695981039346656037UL;
            for (int k = 0; k < words.Count; k++)
            {
                foreach (char ch in words[k])
                {
                    wordsHash = (wordsHash ^ ch) * 1099511628211UL;
                }
                wordsHash = (wordsHash ^ '\n') * 1099511628211UL;
            }
            string c = c4.Apply(d) ?? "keep";
            ulong textHash = 14695981039346656037UL;
            foreach (char ch in d.Text)
            {
                textHash = (textHash ^ ch) * 1099511628211UL;
            }
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{docs[i].Id}\t{q}\t{r}\t{c}\t{(c == "keep" ? textHash.ToString("x16", CultureInfo.InvariantCulture) : "-")}\t{f}\t{words.Count}\t{wordsHash:x16}"));
            d.Text = docs[i].Text;
        }
    }
}
