using System.Diagnostics;
using System.Globalization;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Dedup.MinHash;
using DataPipeline.Dedup.Text;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Bench;

/// <summary>
/// <c>dedup-profile FILE MAXDOCS</c>: the signature pass's phases one at a time over documents held in
/// memory (one thread), so each cost can be seen apart from reading and writing. Prints one JSON line.
/// </summary>
internal static class DedupProfile
{
    public static int Run(string path, int maxDocs)
    {
        var file = InputResolver.Resolve([path], Directory.GetCurrentDirectory())[0];
        var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), new ReaderOptions());
        var docs = new List<Document>();
        foreach (var d in reader.Read(InputSlice.WholeFile(file.FullPath, file.Size), file, new FileStats(), new ReadErrorPolicy(false, new TaskStats(), null), null))
        {
            docs.Add(d);
            if (docs.Count == maxDocs) break;
        }
        long bytes = docs.Sum(d => (long)d.Utf8Length);
        var texts = docs.Select(d => d.Text).ToList();
        var options = new MinHashOptions();
        var shingler = new Shingler(options);
        var results = new List<string>();
        void Time(string name, Action body)
        {
            body(); // warm-up
            var clock = Stopwatch.StartNew();
            body();
            double s = clock.Elapsed.TotalSeconds;
            results.Add(string.Create(CultureInfo.InvariantCulture, $"\"{name}\":{{\"seconds\":{s:F3},\"mb_per_s\":{bytes / 1e6 / s:F1},\"docs_per_s\":{docs.Count / s:F0}}}"));
        }
        long sink = 0;
        Time("normalize", () => { foreach (var t in texts) sink += DedupTextNormalizer.Normalize(t).Length; });
        Time("normalize_and_shingle", () => { var list = new List<ulong>(); foreach (var t in texts) { list.Clear(); sink += shingler.AppendShingles(t, list); } });
        var utf8 = new Utf8Normalizer();
        Time("utf8_normalize_and_shingle", () =>
        {
            var list = new List<ulong>();
            foreach (var d in docs)
            {
                list.Clear();
                if (d.TryGetUtf8(out var u)) utf8.Normalize(u.Span, () => d.Text);
                else utf8.Normalize(d.Text);
                sink += shingler.AppendWordShingles(utf8.Result, list);
            }
        });
        results.Add($"\"general_path_documents\":{utf8.SlowPathDocuments / 2}");
        Time("utf8_normalize_only", () =>
        {
            foreach (var d in docs)
            {
                if (d.TryGetUtf8(out var u)) utf8.Normalize(u.Span, () => d.Text);
                else utf8.Normalize(d.Text);
                sink += utf8.Length;
            }
        });
        var normalizedDocs = docs.Select(d => { if (d.TryGetUtf8(out var u)) utf8.Normalize(u.Span, () => d.Text); else utf8.Normalize(d.Text); return utf8.Result.ToArray(); }).ToList();
        Time("shingle_only", () =>
        {
            var list = new List<ulong>();
            foreach (var n in normalizedDocs)
            {
                list.Clear();
                sink += shingler.AppendWordShingles(n, list);
            }
        });
        var batches = new List<ShingleBatch>();
        var batch = new ShingleBatch();
        foreach (var t in texts)
        {
            batch.Add(shingler, t);
            if (batch.Count == 4096) { batches.Add(batch); batch = new ShingleBatch(); }
        }
        batches.Add(batch);
        var parameters = PermutationParameters.Create(1, options.SignatureLength);
        using var backend = new CpuMinHashBackend();
        var signatures = new ulong[4096 * parameters.Count];
        Time("minhash_" + backend.Name, () => { foreach (var b in batches) backend.Compute(b, parameters, signatures); });
        Time("exact_hash", () => { foreach (var t in texts) sink += (long)(ulong)DataPipeline.Dedup.Exact.ExactDedupHash.Of(t); });
        long shingles = batches.Sum(b => (long)b.TotalShingles);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"documents\":{docs.Count},\"mb\":{bytes / 1e6:F1},\"shingles\":{shingles},") + string.Join(",", results) + $",\"sink\":{sink % 7}}}");
        return 0;
    }
}
