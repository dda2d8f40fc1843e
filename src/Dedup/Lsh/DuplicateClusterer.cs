using System.Buffers.Binary;
using System.Collections;

namespace DataPipeline.Dedup.Lsh;

/// <summary>What happens to one removed document: the cluster it belongs to and the document kept for it.</summary>
/// <param name="Document">Global index of the removed document.</param>
/// <param name="Kept">Global index of the kept document, which is also the cluster's id (the smallest index in it).</param>
/// <param name="ClusterSize">Number of documents in the cluster, the kept one included.</param>
/// <param name="Exact">The document's normalised text equals another document's (an exact duplicate), not only a near one.</param>
public readonly record struct RemovalDecision(long Document, long Kept, int ClusterSize, bool Exact = false);

/// <summary>
/// The cluster pass: one task reads every pair file, joins documents with <see cref="UnionFind"/> and
/// decides removals: in each cluster the smallest global document index is kept and the rest removed.
/// Global index = documents of all lower-ranked signature tasks + the index within the task, i.e. input
/// order, so the decision does not depend on how the input was split into tasks.
/// </summary>
/// <remarks>
/// Memory: 4 bytes per document for the parent array, 4 for cluster sizes and 1 bit for the exact flag
/// (8.1 bytes per document, measured by a test) + 8 per task; pairs are streamed from disk, never held.
/// With verification, rejected candidate pairs are remembered (8 bytes + set overhead each) so a pair seen
/// again in another band is not compared twice. Deliberate difference from datatrove: its root is
/// "larger subtree wins, ties to the earlier record", which keeps an arbitrary member; here the kept
/// document is always the first in input order. At most 2^31 − 1 documents per clustering (int indices).
/// </remarks>
public sealed class DuplicateClusterer
{
    private readonly long[] _taskOffsets;
    private readonly UnionFind _unionFind;
    private readonly BitArray _exact;
    private readonly HashSet<long> _rejected = [];
    private int[]? _sizes;

    /// <param name="taskDocumentCounts">Documents read by each signature task, by rank.</param>
    public DuplicateClusterer(IReadOnlyList<long> taskDocumentCounts)
    {
        _taskOffsets = new long[taskDocumentCounts.Count + 1];
        for (int i = 0; i < taskDocumentCounts.Count; i++) _taskOffsets[i + 1] = _taskOffsets[i] + taskDocumentCounts[i];
        if (_taskOffsets[^1] > int.MaxValue) throw new NotSupportedException($"{_taskOffsets[^1]} documents: one clustering holds at most {int.MaxValue}");
        _unionFind = new UnionFind((int)_taskOffsets[^1]);
        _exact = new BitArray((int)_taskOffsets[^1]);
    }

    public long Documents => _taskOffsets[^1];

    public int Tasks => _taskOffsets.Length - 1;

    /// <summary>Candidate pairs seen, and those verification turned down.</summary>
    public long Pairs { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>First global index of task <paramref name="rank"/>'s documents.</summary>
    public long TaskStart(int rank) => _taskOffsets[rank];

    /// <summary>Global index of document <paramref name="doc"/> of task <paramref name="rank"/>.</summary>
    public int GlobalIndex(uint rank, uint doc)
    {
        if (rank >= Tasks || doc >= _taskOffsets[rank + 1] - _taskOffsets[rank])
        {
            throw new InvalidDataException($"a pair names document {doc} of task {rank}, which the signature pass did not produce");
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

    /// <summary>Joins a near-duplicate candidate pair, after <paramref name="verify"/> accepts it when given.</summary>
    public void Add(DuplicatePair pair, Func<int, int, bool>? verify = null)
    {
        _sizes = null;
        Pairs++;
        int a = GlobalIndex(pair.RankA, pair.DocA), b = GlobalIndex(pair.RankB, pair.DocB);
        if (verify is null)
        {
            _unionFind.Union(a, b);
            return;
        }
        if (_unionFind.Find(a) == _unionFind.Find(b)) return; // already joined: nothing to check
        long key = ((long)a << 32) | (uint)b;
        if (_rejected.Contains(key)) return;
        if (verify(a, b)) _unionFind.Union(a, b);
        else
        {
            _rejected.Add(key);
            Rejected++;
        }
    }

    /// <summary>Joins an exact-duplicate pair: B's normalised text hashes equal to A's.</summary>
    public void AddExact(DuplicatePair pair)
    {
        _sizes = null;
        Pairs++;
        int a = GlobalIndex(pair.RankA, pair.DocA), b = GlobalIndex(pair.RankB, pair.DocB);
        _exact[b] = true;
        _unionFind.Union(a, b);
    }

    public void Add(long globalA, long globalB) => _unionFind.Union(checked((int)globalA), checked((int)globalB));

    /// <summary>Reads pair files: those of band <see cref="BandFiles.ExactBand"/> as exact pairs, the others as candidates.</summary>
    public void AddPairFiles(IEnumerable<string> pairFiles, Func<int, int, bool>? verify = null)
    {
        // Exact pairs first: they need no verification and make later candidate checks unnecessary.
        var files = pairFiles.Select(f => (Path: f, Band: BandBucketMerge.BandOf(f))).OrderBy(f => f.Band == BandFiles.ExactBand ? 0 : 1).ThenBy(f => f.Path, StringComparer.Ordinal).ToList();
        foreach (var (path, band) in files)
        {
            foreach (var pair in BandBucketMerge.ReadPairs(path))
            {
                if (band == BandFiles.ExactBand) AddExact(pair);
                else Add(pair, verify);
            }
        }
    }

    private int[] Sizes()
    {
        if (_sizes is not null) return _sizes;
        int n = _unionFind.Count;
        var sizes = new int[n];
        for (int i = 0; i < n; i++) sizes[_unionFind.Find(i)]++;
        return _sizes = sizes;
    }

    /// <summary>The removed documents of one task, in ascending order.</summary>
    public IEnumerable<RemovalDecision> Removed(int rank)
    {
        var sizes = Sizes();
        for (long i = _taskOffsets[rank]; i < _taskOffsets[rank + 1]; i++)
        {
            int root = _unionFind.Find((int)i);
            if (root != i) yield return new RemovalDecision(i, root, sizes[root], _exact[(int)i]);
        }
    }

    /// <summary>Every removed document in ascending global order.</summary>
    public List<RemovalDecision> Decide() => Enumerable.Range(0, Tasks).SelectMany(Removed).ToList();

    /// <summary>Cluster counts by size: key = size (2, 3, ...), value = number of clusters of that size.</summary>
    public SortedDictionary<int, long> ClusterSizes()
    {
        var sizes = Sizes();
        var histogram = new SortedDictionary<int, long>();
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] > 1) histogram[sizes[i]] = histogram.GetValueOrDefault(sizes[i]) + 1;
        }
        return histogram;
    }

    /// <summary>Writes task <paramref name="rank"/>'s removal list, streaming; returns how many it names.</summary>
    public int WriteRemovalFile(string path, int rank)
    {
        int count = 0;
        BandFiles.WriteAtomically(path, s =>
        {
            var buffer = new byte[BandFiles.RemovalHeaderSize + 4096 * BandFiles.RemovalRecordSize];
            int used = BandFiles.RemovalHeaderSize; // the header is written last, once the count is known
            foreach (var d in Removed(rank))
            {
                if (used + BandFiles.RemovalRecordSize > buffer.Length)
                {
                    s.Write(buffer, 0, used);
                    used = 0;
                }
                var (keptRank, keptDoc) = Locate(d.Kept);
                var rec = buffer.AsSpan(used, BandFiles.RemovalRecordSize);
                BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(d.Document - _taskOffsets[rank]));
                BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], (uint)keptRank);
                BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], keptDoc);
                BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)d.ClusterSize | (d.Exact ? 0x8000_0000u : 0));
                used += BandFiles.RemovalRecordSize;
                count++;
            }
            s.Write(buffer, 0, used);
            var header = new byte[BandFiles.RemovalHeaderSize];
            BandFiles.RemovalMagic.CopyTo(header, 0);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), rank);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), count);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), _taskOffsets[rank + 1] - _taskOffsets[rank]);
            s.Position = 0;
            s.Write(header);
        });
        return count;
    }

    /// <summary>
    /// The whole cluster pass over files, for library use and tests: pairs from every .dups file in
    /// <paramref name="pairRoot"/>, one removal file per task (empty ones too, so the last pass can tell
    /// "nothing to remove" from "cluster pass missing").
    /// </summary>
    public static ClusterSummary Run(IReadOnlyList<long> taskDocumentCounts, string pairRoot, string removalRoot, Func<int, int, bool>? verify = null)
    {
        var clusterer = new DuplicateClusterer(taskDocumentCounts);
        clusterer.AddPairFiles(Directory.GetFiles(pairRoot, "*.dups"), verify);
        long removed = 0;
        for (int rank = 0; rank < clusterer.Tasks; rank++)
        {
            removed += clusterer.WriteRemovalFile(BandFiles.RemovalFile(removalRoot, rank), rank);
        }
        return new ClusterSummary(clusterer.Documents, clusterer.Pairs, removed, clusterer.ClusterSizes().Values.Sum());
    }
}

/// <summary>Totals of a cluster pass.</summary>
public readonly record struct ClusterSummary(long Documents, long Pairs, long Removed, long Clusters);
