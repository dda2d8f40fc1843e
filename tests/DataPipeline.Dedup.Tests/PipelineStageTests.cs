using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Exact;
using DataPipeline.Dedup.Lsh;
using DataPipeline.Dedup.MinHash;
using DataPipeline.Dedup.Pipeline;

namespace DataPipeline.Dedup.Tests;

/// <summary>The four stages over files: the result depends on the documents and their order only.</summary>
public sealed class PipelineStageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dedup-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Base documents, case/punctuation-only copies, 1-word edits (J ≈ 0.92) and word-order reversals (J ≈ 0).</summary>
    private static List<string> SyntheticCorpus()
    {
        var rng = new Random(77);
        // Letters only: digits would all normalise to "0" and shrink the vocabulary.
        var vocab = Enumerable.Range(0, 3000).Select(i => new string([(char)('a' + i % 26), (char)('a' + i / 26 % 26), (char)('a' + i / 676)])).ToArray();
        var docs = new List<string>();
        for (int i = 0; i < 70; i++)
        {
            var words = Enumerable.Range(0, 120).Select(_ => vocab[rng.Next(vocab.Length)]).ToArray();
            docs.Add(string.Join(' ', words));
            switch (i % 4)
            {
                case 0:
                    docs.Add(string.Join(", ", words).ToUpperInvariant() + "!");
                    break;
                case 1:
                    var edited = (string[])words.Clone();
                    edited[60] = "zzedit"; // 5 of 116 shingles change: J = 111/121, candidate probability 0.9996
                    docs.Add(string.Join(' ', edited));
                    break;
                case 2:
                    docs.Add(string.Join(' ', words.Reverse()));
                    break;
            }
            if (rng.Next(3) == 0) docs.Add("short text " + i);
        }
        return docs;
    }

    private List<RemovalDecision> RunStages(List<string> docs, int tasks, int workersPerBand, string backend = "cpu")
    {
        var run = Path.Combine(_root, $"t{tasks}-w{workersPerBand}-{backend}");
        var sigDir = Path.Combine(run, "sigs");
        var pairDir = Path.Combine(run, "pairs");
        var removeDir = Path.Combine(run, "remove");
        var options = new MinHashOptions();
        var bounds = TaskBounds(docs.Count, tasks);
        using (var b = MinHashBackends.Create(backend))
        {
            for (int t = 0; t < tasks; t++)
            {
                var task = new MinHashSignatureTask(BandFiles.TaskDirectory(sigDir, t), t, options, b, batchSize: 7, maxBufferedRecords: t == 0 ? 70 : 4 << 20);
                for (int d = bounds[t]; d < bounds[t + 1]; d++) task.Add(docs[d]);
                task.Complete();
                // Task 0's buffer holds 70 records: it must have spilled several sorted runs, which the merge reads like one.
                if (t == 0 && docs.Count / tasks > 20) Assert.True(task.Runs > 1, $"{task.Runs} runs");
            }
        }
        for (int band = 0; band < options.LshBands; band++)
        {
            for (int w = 0; w < workersPerBand; w++) BandBucketMerge.Run(sigDir, band, Path.Combine(pairDir, BandFiles.PairFileName(band, w)), w, workersPerBand, bufferRecords: 3);
        }
        var counts = Enumerable.Range(0, tasks).Select(t => (long)(bounds[t + 1] - bounds[t])).ToList();
        var summary = DuplicateClusterer.Run(counts, pairDir, removeDir);
        Assert.Equal(docs.Count, summary.Documents);

        // Back to global indices through the per-task removal files.
        var result = new List<RemovalDecision>();
        for (int t = 0; t < tasks; t++)
        {
            foreach (var r in RemovalFileReader.Read(BandFiles.RemovalFile(removeDir, t)))
            {
                result.Add(new RemovalDecision(bounds[t] + r.Doc, bounds[(int)r.KeptRank] + r.KeptDoc, r.ClusterSize));
            }
        }
        return result;
    }

    private static int[] TaskBounds(int count, int tasks) => Enumerable.Range(0, tasks + 1).Select(t => (int)((long)count * t / tasks)).ToArray();

    [Fact]
    public void Removals_find_the_planted_duplicates_and_do_not_depend_on_task_or_worker_count()
    {
        var docs = SyntheticCorpus();
        var one = RunStages(docs, 1, 1);
        Assert.Equal(one, RunStages(docs, 3, 1));
        Assert.Equal(one, RunStages(docs, 7, 2));
        Assert.Equal(one, RunStages(docs, 5, 1, "ilgpu-cpu"));

        // Every copy and 1-word edit follows its base (index − 1) and is removed in its favour; nothing else is.
        var expected = new List<RemovalDecision>();
        for (int i = 0; i < docs.Count; i++)
        {
            if (i > 0 && (docs[i].EndsWith('!') || docs[i].Contains("zzedit", StringComparison.Ordinal)))
            {
                expected.Add(new RemovalDecision(i, i - 1, 2));
            }
        }
        Assert.Equal(expected, one);
    }

    [Fact]
    public void Filter_step_drops_listed_documents_of_its_task_only()
    {
        var docs = SyntheticCorpus();
        var removals = RunStages(docs, 2, 1);
        var removeDir = Path.Combine(_root, "t2-w1-cpu", "remove");
        var bounds = TaskBounds(docs.Count, 2);
        var kept = new List<string>();
        for (int t = 0; t < 2; t++)
        {
            var stats = new StepStats();
            var context = new StepContext(t, 2, stats, null, CancellationToken.None);
            var input = Enumerable.Range(bounds[t], bounds[t + 1] - bounds[t])
                .Select(i => new Document("d" + i, docs[i], new DocumentOrigin("x", i, OriginKind.Line)));
            kept.AddRange(new DedupFilterStep(removeDir).Run(input, context).Select(d => d.Id));
        }
        var removedIds = removals.Select(r => "d" + r.Document).ToHashSet();
        Assert.Equal(Enumerable.Range(0, docs.Count).Select(i => "d" + i).Where(id => !removedIds.Contains(id)), kept);
    }

    [Fact]
    public void Band_files_are_sorted_and_count_every_document()
    {
        var docs = SyntheticCorpus();
        RunStages(docs, 2, 1);
        var sigDir = Path.Combine(_root, "t2-w1-cpu", "sigs");
        var file = BandFiles.RunFiles(sigDir, 3).Single(f => f.Contains("part-00001", StringComparison.Ordinal));
        var bytes = File.ReadAllBytes(file);
        var hashes = Enumerable.Range(0, (bytes.Length - BandFiles.SignatureHeaderSize) / BandFiles.SignatureRecordSize)
            .Select(i => BitConverter.ToUInt64(bytes, BandFiles.SignatureHeaderSize + i * BandFiles.SignatureRecordSize)).ToList();
        Assert.Equal(hashes.Order(), hashes);
        // Truncation is detected rather than silently merging a partial file.
        File.WriteAllBytes(file, bytes[..^5]);
        Assert.Throws<InvalidDataException>(() => BandBucketMerge.Run(sigDir, 3, Path.Combine(_root, "p2", "x.dups")));
    }

    [Fact]
    public void Exact_dedup_keeps_the_first_of_each_normalised_text()
    {
        string[] texts = ["Hello, World!", "hello world", "Héllo   WORLD", "hello there", "Hello, World!"];
        var stats = new StepStats();
        var context = new StepContext(0, 1, stats, null, CancellationToken.None);
        var docs = texts.Select((t, i) => new Document("d" + i, t, new DocumentOrigin("x", i, OriginKind.Line)));
        Assert.Equal(["d0", "d3"], new ExactDedupStep().Run(docs, context).Select(d => d.Id));
        var raw = texts.Select((t, i) => new Document("d" + i, t, new DocumentOrigin("x", i, OriginKind.Line)));
        Assert.Equal(["d0", "d1", "d2", "d3"], new ExactDedupStep(normalize: false).Run(raw, new StepContext(0, 1, new StepStats(), null, CancellationToken.None)).Select(d => d.Id));
        Assert.NotEqual(ExactDedupHash.Of("a b"), ExactDedupHash.Of("a c"));
    }
}
