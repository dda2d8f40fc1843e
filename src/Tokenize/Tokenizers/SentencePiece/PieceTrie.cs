namespace DataPipeline.Tokenize.Tokenizers.SentencePiece;

/// <summary>
/// A byte trie over vocabulary pieces, stored as a double array (child of node s on byte c is
/// t = base[s] + c where check[t] == s), so a lookup step is two array reads. It answers what
/// sentencepiece asks of its darts trie: exact match, and every piece that is a prefix of the text
/// at a position, shortest first (walked one byte at a time, as <c>traverse</c> does).
/// </summary>
internal sealed class PieceTrie
{
    /// <summary>No node: a transition that does not exist.</summary>
    public const int None = -1;

    public const int Root = 0;

    private readonly int[] _base;
    private readonly int[] _check;
    private readonly int[] _value;

    private PieceTrie(int[] @base, int[] check, int[] value)
    {
        _base = @base;
        _check = check;
        _value = value;
    }

    /// <summary>The child of <paramref name="node"/> on byte <paramref name="b"/>, or <see cref="None"/>.</summary>
    public int Next(int node, byte b)
    {
        int t = _base[node] + b;
        return (uint)t < (uint)_check.Length && _check[t] == node ? t : None;
    }

    /// <summary>The value stored for the key ending at <paramref name="node"/>, or -1.</summary>
    public int ValueAt(int node) => _value[node];

    /// <summary>The value of exactly this key, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        int node = Root;
        foreach (byte b in key)
        {
            node = Next(node, b);
            if (node == None)
            {
                return -1;
            }
        }
        return _value[node];
    }

    /// <summary>Builds the trie of distinct, non-empty keys; values are non-negative.</summary>
    public static PieceTrie Build(IReadOnlyList<(byte[] Key, int Value)> entries)
    {
        var sorted = entries.OrderBy(e => e.Key, ByteArrayComparer.Instance).ToArray();
        int capacity = 1024;
        var @base = new int[capacity];
        var check = new int[capacity];
        var value = new int[capacity];
        Array.Fill(check, -1);
        Array.Fill(value, -1);
        check[Root] = int.MinValue; // the root's slot is taken; no transition lands on it
        int used = 1;
        int firstFree = 1;

        // Breadth first over (node, keys [from, to) sharing the node's prefix of length depth).
        var queue = new Queue<(int Node, int From, int To, int Depth)>();
        queue.Enqueue((Root, 0, sorted.Length, 0));
        Span<byte> labels = stackalloc byte[256];
        Span<int> starts = stackalloc int[257];
        while (queue.Count > 0)
        {
            var (node, from, to, depth) = queue.Dequeue();
            int i = from;
            if (i < to && sorted[i].Key.Length == depth)
            {
                value[node] = sorted[i].Value;
                i++;
            }
            int n = 0;
            for (; i < to; i++)
            {
                byte c = sorted[i].Key[depth];
                if (n == 0 || labels[n - 1] != c)
                {
                    labels[n] = c;
                    starts[n] = i;
                    n++;
                }
            }
            if (n == 0)
            {
                continue;
            }
            starts[n] = to;

            // First fit: the lowest base at which every child's slot is free.
            int b = Math.Max(firstFree - labels[0], 1 - labels[0]);
            while (true)
            {
                EnsureCapacity(b + 256);
                bool fits = true;
                for (int k = 0; k < n; k++)
                {
                    if (check[b + labels[k]] != -1)
                    {
                        fits = false;
                        break;
                    }
                }
                if (fits)
                {
                    break;
                }
                b++;
            }
            @base[node] = b;
            for (int k = 0; k < n; k++)
            {
                int t = b + labels[k];
                check[t] = node;
                used = Math.Max(used, t + 1);
                queue.Enqueue((t, starts[k], starts[k + 1], depth + 1));
            }
            while (firstFree < check.Length && check[firstFree] != -1)
            {
                firstFree++;
            }
        }
        Array.Resize(ref @base, used);
        Array.Resize(ref check, used);
        Array.Resize(ref value, used);
        return new PieceTrie(@base, check, value);

        void EnsureCapacity(int size)
        {
            if (size <= check.Length)
            {
                return;
            }
            int old = check.Length;
            int grown = Math.Max(size, old * 2);
            Array.Resize(ref @base, grown);
            Array.Resize(ref check, grown);
            Array.Resize(ref value, grown);
            Array.Fill(check, -1, old, grown - old);
            Array.Fill(value, -1, old, grown - old);
        }
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
