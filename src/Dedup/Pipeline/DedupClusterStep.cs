using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Lsh;

namespace DataPipeline.Dedup.Pipeline;

/// <summary>
/// Pass 3 of a dedup stage, one task: joins all duplicate pairs with union-find (optionally checking each
/// candidate pair's exact Jaccard first), keeps the first document of every cluster in input order, and
/// writes one removal list per signature task plus <c>removed.jsonl</c>: one line per removed document
/// with its <c>id</c>, <c>duplicate_of</c> (the kept document's id), <c>cluster</c> (the kept document's
/// position in the input, a stable cluster id), <c>cluster_size</c> and <c>reason</c>.
/// </summary>
public sealed class DedupClusterStep(DedupSettings settings, string signatureRoot, string pairRoot, string removedFile) : IStandaloneStep
{
    public string Name => "dedup_clusters";

    public int TaskCount => 1;

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context) =>
        throw new InvalidOperationException("the dedup cluster pass reads no documents");

    /// <summary>Documents per signature task, from the id lists' headers; every task 0..T−1 must be there.</summary>
    public static long[] TaskDocumentCounts(string signatureRoot)
    {
        var dirs = Directory.Exists(signatureRoot) ? Directory.GetDirectories(signatureRoot, "part-*").Order(StringComparer.Ordinal).ToArray() : [];
        if (dirs.Length == 0)
        {
            throw new DataPipelineException($"dedup clusters: no signature task output in {signatureRoot}");
        }
        var counts = new long[dirs.Length];
        for (int i = 0; i < dirs.Length; i++)
        {
            if (Path.GetFileName(dirs[i]) != BandFiles.TaskDirectoryName(i))
            {
                throw new DataPipelineException($"dedup clusters: the signature output of task {i} is missing (found {Path.GetFileName(dirs[i])})");
            }
            counts[i] = RecordListReader.ReadCount(Path.Combine(dirs[i], "ids"));
        }
        return counts;
    }

    public void RunTask(StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dedup cluster pass runs inside a task");
        var counts = TaskDocumentCounts(signatureRoot);
        var clusterer = new DuplicateClusterer(counts);
        var pairFiles = Directory.Exists(pairRoot) ? Directory.GetFiles(pairRoot, "*.dups") : [];
        if (pairFiles.Length != settings.BucketTasks)
        {
            throw new DataPipelineException($"dedup clusters: expected {settings.BucketTasks} pair files from the bucket pass in {pairRoot}, found {pairFiles.Length}");
        }
        using var shingles = settings.Verify ? new TaskRecordLists(signatureRoot, "shingles", counts.Length) : null;
        using var sketches = settings.KeepsSketches ? new TaskSketches(signatureRoot, counts.Length) : null;
        // Whether a candidate pair, named by (task, document), is similar enough to join: exact Jaccard
        // with verification, else the sketches' agreement, else (confirm 0) every candidate.
        Func<(int Rank, uint Doc), (int Rank, uint Doc), bool>? similar = null;
        if (shingles is not null)
        {
            similar = (a, b) => Jaccard(shingles.Read(a.Rank, a.Doc), shingles.Read(b.Rank, b.Doc)) >= settings.VerifyThreshold;
        }
        else if (sketches is not null)
        {
            var x = new ushort[settings.Options.SignatureLength];
            var y = new ushort[settings.Options.SignatureLength];
            similar = (a, b) =>
            {
                sketches.Read(a.Rank, a.Doc, x);
                sketches.Read(b.Rank, b.Doc, y);
                return SketchFile.Agreement(x, y) >= settings.Confirm;
            };
        }
        Func<int, int, bool>? verify = similar is null ? null : (a, b) => similar(clusterer.Locate(a), clusterer.Locate(b));
        clusterer.AddPairFiles(pairFiles, verify);

        long removed = 0, exact = 0;
        for (int rank = 0; rank < counts.Length; rank++)
        {
            removed += clusterer.WriteRemovalFile(outputs.ReserveFile(BandFiles.RemovalFileName(rank)), rank);
        }
        using (var ids = new TaskRecordLists(signatureRoot, "ids", counts.Length))
        using (var file = new FileStream(outputs.ReserveFile(removedFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            for (int rank = 0; rank < counts.Length; rank++)
            {
                foreach (var d in clusterer.Removed(rank))
                {
                    var (keptRank, keptDoc) = clusterer.Locate(d.Kept);
                    json.WriteStartObject();
                    json.WriteString("id", ids.Read(rank, (uint)(d.Document - clusterer.TaskStart(rank))));
                    json.WriteString("duplicate_of", ids.Read(keptRank, keptDoc));
                    json.WriteNumber("cluster", d.Kept);
                    json.WriteNumber("cluster_size", d.ClusterSize);
                    json.WriteString("reason", d.Exact ? "exact_duplicate" : "near_duplicate");
                    json.WriteEndObject();
                    json.Flush();
                    file.WriteByte((byte)'\n');
                    json.Reset();
                    if (d.Exact) exact++;
                }
            }
        }

        var stats = context.Stats;
        stats.Add("documents", clusterer.Documents);
        stats.Add("pairs", clusterer.Pairs);
        if (settings.Verify) stats.Add("pairs_rejected_by_verification", clusterer.Rejected);
        else if (sketches is not null) stats.Add("pairs_rejected_by_confirmation", clusterer.Rejected);
        stats.Add("removed", removed);
        stats.Add("removed_exact", exact);
        stats.Add("removed_near", removed - exact);
        var sizes = clusterer.ClusterSizes();
        stats.Add("clusters", sizes.Values.Sum());
        stats.Add("largest_cluster", sizes.Count == 0 ? 0 : sizes.Keys.Max());
        // Sizes in powers of two: cluster_size_2, cluster_size_3_4, cluster_size_5_8, ...
        foreach (var (size, n) in sizes)
        {
            int low = size <= 2 ? 2 : (int)Math.Min(int.MaxValue, (1L << (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1)) - 1)) + 1);
            int high = size <= 2 ? 2 : (int)Math.Min(int.MaxValue, 1L << (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1))));
            stats.Add(low == high ? $"cluster_size_{low}" : $"cluster_size_{low}_{high}", n);
        }
    }

    private static double Jaccard(byte[] a, byte[] b)
    {
        int na = a.Length / 8, nb = b.Length / 8;
        if (na == 0 && nb == 0) return 1.0;
        int i = 0, j = 0, common = 0;
        while (i < na && j < nb)
        {
            ulong x = BinaryPrimitives.ReadUInt64LittleEndian(a.AsSpan(i * 8)), y = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(j * 8));
            if (x == y)
            {
                common++;
                i++;
                j++;
            }
            else if (x < y) i++;
            else j++;
        }
        return (double)common / (na + nb - common);
    }

    /// <summary>One sketch file per signature task, opened on first use.</summary>
    private sealed class TaskSketches(string signatureRoot, int tasks) : IDisposable
    {
        private readonly SketchFile.Reader?[] _readers = new SketchFile.Reader?[tasks];

        public void Read(int rank, uint doc, Span<ushort> destination) =>
            (_readers[rank] ??= new SketchFile.Reader(SketchFile.PathIn(BandFiles.TaskDirectory(signatureRoot, rank)))).Read(doc, destination);

        public void Dispose()
        {
            foreach (var r in _readers) r?.Dispose();
        }
    }

    /// <summary>One record list per signature task, opened on first use.</summary>
    private sealed class TaskRecordLists(string signatureRoot, string name, int tasks) : IDisposable
    {
        private readonly RecordListReader?[] _readers = new RecordListReader?[tasks];

        public byte[] Read(int rank, uint doc) =>
            (_readers[rank] ??= new RecordListReader(Path.Combine(BandFiles.TaskDirectory(signatureRoot, rank), name))).Read(doc);

        public void Dispose()
        {
            foreach (var r in _readers) r?.Dispose();
        }
    }
}
