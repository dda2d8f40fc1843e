namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// Best-fit bin choice in O(log L), as OLMo-core's SegmentTree/InstancePacker (the paper's
/// Appendix B): a max-tree over free capacities 1..L where leaf c holds c while some open bin has
/// exactly c tokens free, and leaf L always holds L (open a new bin). The leftmost leaf whose
/// value fits a chunk is the tightest bin. Bins with the same free space are used first-opened
/// first, as OLMo-core's deques, so the result is deterministic.
/// Difference from OLMo-core: L need not be a power of two; the tree is sized to the next power of
/// two and the leaves past L stay 0.
/// </summary>
internal sealed class BestFitBins
{
    private readonly int _capacity;
    private readonly int _leaves;
    private readonly int[] _tree;
    private readonly Queue<int>?[] _binsWithFree;

    public BestFitBins(int capacity)
    {
        _capacity = capacity;
        _leaves = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _tree = new int[2 * _leaves];
        _binsWithFree = new Queue<int>?[capacity + 1];
        Set(capacity, capacity);
    }

    public int BinCount { get; private set; }

    /// <summary>Clears all bins, keeping the arrays.</summary>
    public void Reset()
    {
        Array.Clear(_tree);
        foreach (var q in _binsWithFree)
        {
            q?.Clear();
        }
        BinCount = 0;
        Set(_capacity, _capacity);
    }

    /// <summary>Places a chunk of 1..L tokens and returns its bin (bins are numbered in opening order).</summary>
    public int Place(int length)
    {
        if (length < 1 || length > _capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A chunk holds 1 to {_capacity} tokens.");
        }
        int free = TightestFit(length);
        int bin;
        if (free == _capacity)
        {
            bin = BinCount++;
        }
        else
        {
            var queue = _binsWithFree[free]!;
            bin = queue.Dequeue();
            if (queue.Count == 0)
            {
                Set(free, 0);
            }
        }
        int left = free - length;
        if (left > 0)
        {
            var queue = _binsWithFree[left] ??= new Queue<int>();
            if (queue.Count == 0)
            {
                Set(left, left);
            }
            queue.Enqueue(bin);
        }
        return bin;
    }

    private int TightestFit(int length)
    {
        int node = 1;
        while (node < _leaves)
        {
            node = _tree[2 * node] >= length ? 2 * node : 2 * node + 1;
        }
        return node - _leaves + 1;
    }

    private void Set(int free, int value)
    {
        int node = _leaves + free - 1;
        _tree[node] = value;
        for (node /= 2; node >= 1; node /= 2)
        {
            _tree[node] = Math.Max(_tree[2 * node], _tree[2 * node + 1]);
        }
    }
}
