using System.Numerics;
using System.Runtime.CompilerServices;

namespace DataPipeline.Filtering.FastText;

/// <summary>
/// fastText's dictionary as its <c>Dictionary::load</c> reads it: words and labels with their
/// counts, the pruned-bucket index of quantized models, and each word's subword rows
/// (<c>initNgrams</c>). Lookups work on UTF-8 spans; nothing here allocates per call.
/// </summary>
internal sealed class FastTextDictionary
{
    public const string Eos = "</s>";
    public static ReadOnlySpan<byte> EosBytes => "</s>"u8;
    public static ReadOnlySpan<byte> LabelPrefix => "__label__"u8;

    private readonly byte[] _wordBytes;
    private readonly int[] _wordStart;
    private readonly int[] _wordTable;
    private readonly int _wordMask;
    private readonly int[] _subwordStart;
    private readonly int[] _subwords;
    private readonly int[]? _pruneKeys;
    private readonly int[]? _pruneValues;
    private readonly int _pruneMask;

    public FastTextDictionary(ModelReader r, FastTextArgs args)
    {
        Args = args;
        Size = r.Int32("dictionary size");
        NWords = r.Int32("dictionary word count");
        NLabels = r.Int32("dictionary label count");
        NTokens = r.Int64("dictionary token count");
        PruneIdxSize = r.Int64("dictionary pruned-index size");
        if (Size < 0 || NWords < 0 || NLabels < 0 || (long)NWords + NLabels != Size)
        {
            throw r.Error($"dictionary sizes do not add up (size {Size}, words {NWords}, labels {NLabels})");
        }
        if (PruneIdxSize < -1 || PruneIdxSize > int.MaxValue)
        {
            throw r.Error($"dictionary has an impossible pruned-index size {PruneIdxSize}");
        }

        var bytes = new List<byte>(Size * 8);
        _wordStart = new int[Size + 1];
        Counts = new long[Size];
        Types = new byte[Size];
        for (int i = 0; i < Size; i++)
        {
            var word = r.CString("a dictionary word");
            _wordStart[i] = bytes.Count;
            foreach (byte b in word)
            {
                bytes.Add(b);
            }
            Counts[i] = r.Int64("a word count");
            Types[i] = r.Byte("a word type");
            if (Types[i] > 1)
            {
                throw r.Error($"dictionary entry {i} has unknown type {Types[i]}");
            }
            if ((Types[i] == 1) != (i >= NWords))
            {
                throw r.Error($"dictionary entry {i} is a {(Types[i] == 1 ? "label" : "word")} where fastText keeps {(i >= NWords ? "labels" : "words")}");
            }
        }
        _wordStart[Size] = bytes.Count;
        _wordBytes = [.. bytes];

        if (PruneIdxSize >= 0)
        {
            int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, PruneIdxSize * 2));
            _pruneKeys = new int[capacity];
            _pruneValues = new int[capacity];
            Array.Fill(_pruneKeys, -1);
            _pruneMask = capacity - 1;
            for (long i = 0; i < PruneIdxSize; i++)
            {
                int first = r.Int32("the pruned index");
                int second = r.Int32("the pruned index");
                if (first < 0 || second < 0)
                {
                    throw r.Error($"pruned index entry {i} is negative ({first} -> {second})");
                }
                // pruneidx_[first] = second: a repeated key keeps the last value.
                int slot = PruneSlot(first);
                _pruneKeys[slot] = first;
                _pruneValues[slot] = second;
                MaxPrunedRow = Math.Max(MaxPrunedRow, second);
            }
        }

        // Exact-match word table (fastText's word2int_ finds the same entry; a repeated word maps
        // to the later index, as word2int_[find(w)] = i in load order does).
        int tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, Size * 2));
        _wordTable = new int[tableSize];
        Array.Fill(_wordTable, -1);
        _wordMask = tableSize - 1;
        for (int i = 0; i < Size; i++)
        {
            var w = Word(i);
            uint h = Hash(w);
            int slot = (int)(h & (uint)_wordMask);
            while (_wordTable[slot] >= 0 && !Word(_wordTable[slot]).SequenceEqual(w))
            {
                slot = (slot + 1) & _wordMask;
            }
            _wordTable[slot] = i;
        }

        // initNgrams: each entry's rows are its own id, then its character n-grams (none for EOS).
        var subwords = new List<int>(Size * 8);
        _subwordStart = new int[Size + 1];
        var sink = new ListSink(subwords);
        for (int i = 0; i < Size; i++)
        {
            _subwordStart[i] = subwords.Count;
            subwords.Add(i);
            if (!Word(i).SequenceEqual(EosBytes))
            {
                ComputeSubwords(Word(i), ref sink);
            }
        }
        _subwordStart[Size] = subwords.Count;
        _subwords = [.. subwords];
    }

    public FastTextArgs Args { get; }

    public int Size { get; }

    public int NWords { get; }

    public int NLabels { get; }

    public long NTokens { get; }

    /// <summary>-1 for a model that was not pruned; otherwise the number of kept n-gram buckets.</summary>
    public long PruneIdxSize { get; }

    /// <summary>Largest pruned row index (for checking it against the input matrix).</summary>
    public int MaxPrunedRow { get; } = -1;

    public long[] Counts { get; }

    /// <summary>0 for a word, 1 for a label (fastText's entry_type).</summary>
    public byte[] Types { get; }

    public ReadOnlySpan<byte> Word(int id) => _wordBytes.AsSpan(_wordStart[id], _wordStart[id + 1] - _wordStart[id]);

    public ReadOnlySpan<int> Subwords(int id) => _subwords.AsSpan(_subwordStart[id], _subwordStart[id + 1] - _subwordStart[id]);

    public long[] LabelCounts() => Counts.AsSpan(NWords, NLabels).ToArray();

    /// <summary>
    /// fastText's FNV-1a variant: each byte is sign-extended before the xor (<c>uint32_t(int8_t(c))</c>),
    /// as every released model was trained with.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(ReadOnlySpan<byte> s)
    {
        uint h = 2166136261;
        foreach (byte b in s)
        {
            h = (h ^ (uint)(sbyte)b) * 16777619;
        }
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint HashStep(uint h, byte b) => (h ^ (uint)(sbyte)b) * 16777619;

    /// <summary>The id of a word or label, or -1 (getId with a precomputed hash).</summary>
    public int Find(ReadOnlySpan<byte> word, uint hash)
    {
        int slot = (int)(hash & (uint)_wordMask);
        while (true)
        {
            int id = _wordTable[slot];
            if (id < 0)
            {
                return -1;
            }
            if (Word(id).SequenceEqual(word))
            {
                return id;
            }
            slot = (slot + 1) & _wordMask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PruneSlot(int key)
    {
        int slot = (int)(((uint)key * 2654435769u) >> 7) & _pruneMask;
        while (_pruneKeys![slot] >= 0 && _pruneKeys[slot] != key)
        {
            slot = (slot + 1) & _pruneMask;
        }
        return slot;
    }

    /// <summary>pushHash: maps an n-gram bucket to its input row, or drops it (pruned away, or every bucket pruned).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryBucketRow(int id, out int row)
    {
        row = 0;
        if (PruneIdxSize == 0 || id < 0)
        {
            return false;
        }
        if (PruneIdxSize > 0)
        {
            int slot = PruneSlot(id);
            if (_pruneKeys![slot] < 0)
            {
                return false;
            }
            id = _pruneValues![slot];
        }
        row = NWords + id;
        return true;
    }

    /// <summary>
    /// computeSubwords on <c>"&lt;" + word + "&gt;"</c> (the brackets are added virtually): every character
    /// n-gram of minn..maxn UTF-8 characters except the lone brackets, hashed mod bucket and pushed
    /// through the pruned index.
    /// </summary>
    public void ComputeSubwords<TSink>(ReadOnlySpan<byte> word, ref TSink sink) where TSink : struct, IRowSink
    {
        int maxn = Args.Maxn;
        int minn = Args.Minn;
        uint bucket = (uint)Args.Bucket;
        if (maxn <= 0 || bucket == 0)
        {
            // maxn <= 0: no n-gram reaches minn. bucket 0 would be a division by zero in fastText;
            // such models (bucket 0) are trained without subwords.
            return;
        }
        int len = word.Length + 2;
        for (int i = 0; i < len; i++)
        {
            byte ci = At(word, i, len);
            if ((ci & 0xC0) == 0x80)
            {
                continue;
            }
            uint h = 2166136261;
            int j = i;
            for (int n = 1; j < len && n <= maxn; n++)
            {
                h = HashStep(h, At(word, j++, len));
                while (j < len && (At(word, j, len) & 0xC0) == 0x80)
                {
                    h = HashStep(h, At(word, j++, len));
                }
                if (n >= minn && !(n == 1 && (i == 0 || j == len)))
                {
                    if (TryBucketRow((int)(h % bucket), out int row))
                    {
                        sink.Add(row);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ReadOnlySpan<byte> word, int i, int len) =>
        i == 0 ? (byte)'<' : i == len - 1 ? (byte)'>' : word[i - 1];

    private struct ListSink(List<int> list) : IRowSink
    {
        public readonly void Add(int row) => list.Add(row);
    }
}

/// <summary>Receives input-matrix rows in the order fastText adds them to the hidden vector.</summary>
internal interface IRowSink
{
    void Add(int row);
}
