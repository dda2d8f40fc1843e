namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>
/// The k best <see cref="ScoredDocument"/>s seen, mergeable: each task offers its own documents, and merging
/// the tasks' results in any grouping or order gives the same set as one pass over all documents.
/// </summary>
/// <remarks>
/// This is the Gumbel top-k step of DSIR's <c>resample</c> (<c>np.argpartition(-keys, k)[:k]</c>). Keeping the
/// worst of the current k at the root of a heap makes each offer O(log k). Deliberate difference: upstream
/// raises when k is not below the number of candidates; here all candidates are kept.
/// </remarks>
public sealed class TopK
{
    private readonly PriorityQueue<ScoredDocument, ScoredDocument> _heap;

    /// <summary>Creates an empty selection of at most <paramref name="k"/> documents.</summary>
    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        Capacity = k;
        _heap = new PriorityQueue<ScoredDocument, ScoredDocument>(Math.Min(k, 1 << 16), WorstFirst.Instance);
    }

    /// <summary>k.</summary>
    public int Capacity { get; }

    /// <summary>Documents currently kept.</summary>
    public int Count => _heap.Count;

    /// <summary>Considers one document.</summary>
    public void Offer(double key, long index) => Offer(new ScoredDocument(key, index));

    /// <summary>Considers one document.</summary>
    public void Offer(ScoredDocument candidate)
    {
        if (double.IsNaN(candidate.Key))
        {
            throw new ArgumentException($"Key of document {candidate.Index} is NaN.", nameof(candidate));
        }

        if (Capacity == 0)
        {
            return;
        }

        if (_heap.Count < Capacity)
        {
            _heap.Enqueue(candidate, candidate);
        }
        else if (candidate.IsBetterThan(_heap.Peek()))
        {
            _heap.DequeueEnqueue(candidate, candidate);
        }
    }

    /// <summary>Offers every document kept by <paramref name="other"/> (another task's result).</summary>
    public void Merge(TopK other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (element, _) in other._heap.UnorderedItems)
        {
            Offer(element);
        }
    }

    /// <summary>The kept documents, best first.</summary>
    public ScoredDocument[] ByRank()
    {
        var items = Items();
        Array.Sort(items, static (a, b) => a.IsBetterThan(b) ? -1 : b.IsBetterThan(a) ? 1 : 0);
        return items;
    }

    /// <summary>The kept documents' indices in raw order (the order upstream writes the selected lines).</summary>
    public long[] IndicesInRawOrder()
    {
        var items = Items();
        var indices = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            indices[i] = items[i].Index;
        }

        Array.Sort(indices);
        return indices;
    }

    private ScoredDocument[] Items()
    {
        var items = new ScoredDocument[_heap.Count];
        int i = 0;
        foreach (var (element, _) in _heap.UnorderedItems)
        {
            items[i++] = element;
        }

        return items;
    }

    private sealed class WorstFirst : IComparer<ScoredDocument>
    {
        public static readonly WorstFirst Instance = new();

        // The heap dequeues its minimum; "minimum" here is the worst document.
        public int Compare(ScoredDocument x, ScoredDocument y) => y.IsBetterThan(x) ? -1 : x.IsBetterThan(y) ? 1 : 0;
    }
}
