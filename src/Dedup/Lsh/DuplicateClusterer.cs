using System.Buffers.Binary;

namespace DataPipeline.Dedup.Lsh;

/// <summary>What happens to one removed document: the cluster it belongs to and the document kept for it.</summary>
/// <param name="Document">Global index of the removed document.</param>
/// <param name="Kept">Global index of the kept document, which is also the cluster's id (the smallest index in it).</param>
/// <param name="ClusterSize">Number of documents in the cluster, the kept one included.</param>
public readonly record struct RemovalDecision(long Document, long Kept, int ClusterSize);

/// <summary>
/// Stage 3: one task reads every pair file, joins documents with <see cref="UnionFind"/> and decides
/// removals: in each cluster the smallest global document index is kept and the rest removed.
/// Global index = documents of all lower-ranked stage-1 tasks + the index within the task, i.e. input
/// order, so the decision does not depend on how the input was split into tasks.
/// </summary>
/// <remarks>
/// Memory: 4 bytes per document (the parent array) + 8 per task (offsets) + about 12 per cluster
/// (a cluster-size dictionary keyed by root), measured by a test. Deliberate difference from
/// datatrove: its root is "larger subtree wins, ties to the earlier record", which keeps an arbitrary
/// member; here the kept document is always the first in input order. Limited to 2^31 − 1 documents
/// per clustering (int indices), roughly 8 GiB of parent array at that size.
/// </remarks>
public sealed class DuplicateClusterer
{
    private readonly long[] _taskOffsets;
    private readonly UnionFind _unionFind;

    /// <param name="taskDocumentCounts">Documents read by each stage-1 task, by rank.</param>
    public DuplicateClusterer(IReadOnlyList<long> taskDocumentCounts)
    {
        _taskOffsets = new long[taskDocumentCounts.Count + 1];
        for (int i = 0; i < taskDocumentCounts.Count; i++) _taskOffsets[i + 1] = _taskOffsets[i] + taskDocumentCounts[i];
        if (_taskOffsets[^1] > int.MaxValue) throw new NotSupportedException($"{_taskOffsets[^1]} documents: clustering holds at most {int.MaxValue}");
        _unionFind = new UnionFind((int)_taskOffsets[^1]);
    }

    public long Documents => _taskOffsets[^1];

    public int Tasks => _taskOffsets.Length - 1;

    /// <summary>Global index of document <paramref name="doc"/> of task <paramref name="rank"/>.</summary>
    public int GlobalIndex(uint rank, uint doc)
    {
        if (rank >= Tasks || doc >= _taskOffsets[rank + 1] - _taskOffsets[rank])
        {
            throw new InvalidDataException($"pair names document {doc} of task {rank}, which stage 1 did not produce");
        }
        return (int)(_taskOffsets[rank] + doc);
    }

    public (int Rank, uint Doc) Locate(long global)
    {
        int rank = Array.BinarySearch(_taskOffsets, global);
        if (rank < 0) rank = ~rank - 1;
        while (rank + 1 < _taskOffsets.Length && _taskOffsets[rank + 1] == global) rank++; // skip empty tasks
        return (rank, (uint)(global - _taskOffsets[rank]));
    }

    public void Add(DuplicatePair pair) => _unionFind.Union(GlobalIndex(pair.RankA, pair.DocA), GlobalIndex(pair.RankB, pair.DocB));

    public void Add(long globalA, long globalB) => _unionFind.Union(checked((int)globalA), checked((int)globalB));

    /// <summary>Every removed document in ascending global order.</summary>
    public List<RemovalDecision> Decide()
    {
        var sizes = new Dictionary<int, int>();
        int n = _unionFind.Count;
        for (int i = 0; i < n; i++)
        {
            int root = _unionFind.Find(i);
            if (root != i) sizes[root] = sizes.GetValueOrDefault(root, 1) + 1;
        }
        var removed = new List<RemovalDecision>();
        for (int i = 0; i < n; i++)
        {
            int root = _unionFind.Find(i);
            if (root != i) removed.Add(new RemovalDecision(i, root, sizes[root]));
        }
        return removed;
    }

    /// <summary>
    /// Runs stage 3 over files: task sizes from the band-0 signature headers, pairs from every .dups
    /// file in <paramref name="pairRoot"/>, one .remove file per task (empty ones too, so stage 4 can
    /// tell "nothing to remove" from "stage 3 missing").
    /// </summary>
    public static ClusterSummary Run(string signatureRoot, string pairRoot, string removalRoot)
    {
        var counts = ReadTaskDocumentCounts(signatureRoot);
        var clusterer = new DuplicateClusterer(counts);
        long pairs = 0;
        foreach (var file in Directory.GetFiles(pairRoot, "*.dups").Order(StringComparer.Ordinal))
        {
            foreach (var pair in BandBucketMerge.ReadPairs(file))
            {
                clusterer.Add(pair);
                pairs++;
            }
        }
        var decisions = clusterer.Decide();
        int next = 0;
        for (int rank = 0; rank < counts.Length; rank++)
        {
            int start = next;
            long end = clusterer._taskOffsets[rank + 1];
            while (next < decisions.Count && decisions[next].Document < end) next++;
            WriteRemovalFile(BandFiles.RemovalFile(removalRoot, rank), rank, clusterer, decisions, start, next);
        }
        return new ClusterSummary(clusterer.Documents, pairs, decisions.Count, decisions.Select(d => d.Kept).Distinct().Count());
    }

    /// <summary>Documents per stage-1 task, read from the band-0 file headers; ranks must be 0..N−1 with none missing.</summary>
    public static long[] ReadTaskDocumentCounts(string signatureRoot)
    {
        var files = Directory.GetFiles(BandFiles.BandDirectory(signatureRoot, 0), "*.bandsig").Order(StringComparer.Ordinal).ToArray();
        var counts = new long[files.Length];
        for (int i = 0; i < files.Length; i++)
        {
            var h = BandFiles.SignatureHeader.Read(files[i]);
            if (h.Rank != i) throw new InvalidDataException($"stage-1 output for task {i} is missing (found {files[i]})");
            counts[i] = h.Documents;
        }
        return counts;
    }

    private static void WriteRemovalFile(string path, int rank, DuplicateClusterer clusterer, List<RemovalDecision> decisions, int start, int end)
    {
        BandFiles.WriteAtomically(path, s =>
        {
            var buffer = new byte[BandFiles.RemovalHeaderSize + (end - start) * BandFiles.RemovalRecordSize];
            BandFiles.RemovalMagic.CopyTo(buffer, 0);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), rank);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(12), end - start);
            int o = BandFiles.RemovalHeaderSize;
            for (int i = start; i < end; i++)
            {
                var d = decisions[i];
                var (keptRank, keptDoc) = clusterer.Locate(d.Kept);
                var rec = buffer.AsSpan(o, BandFiles.RemovalRecordSize);
                BinaryPrimitives.WriteUInt32LittleEndian(rec, clusterer.Locate(d.Document).Doc);
                BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], (uint)keptRank);
                BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], keptDoc);
                BinaryPrimitives.WriteInt32LittleEndian(rec[12..], d.ClusterSize);
                o += BandFiles.RemovalRecordSize;
            }
            s.Write(buffer);
        });
    }
}

/// <summary>Totals of a stage-3 run.</summary>
public readonly record struct ClusterSummary(long Documents, long Pairs, long Removed, long Clusters);
