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
    // Pruned index: key << 32 | value per slot (one memory access per probe), 0 for empty (keys are stored plus one).
    private readonly ulong[]? _prune;
    // One bit per bucket: whether the pruned index keeps it. Most n-grams of real text are pruned
    // away (about 90% with lid.176), and this answers them from a table a tenth of the index's size.
    private readonly ulong[]? _pruneBits;
    private readonly int _pruneMask;
    private readonly ulong _bucketMagic;

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
        _bucketMagic = args.Bucket > 0 ? ulong.MaxValue / (uint)args.Bucket + 1 : 0;

        if (PruneIdxSize >= 0)
        {
            int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, PruneIdxSize * 2));
            _prune = new ulong[capacity];
            _pruneMask = capacity - 1;
            _pruneBits = new ulong[((long)args.Bucket + 63) / 64];
            for (long i = 0; i < PruneIdxSize; i++)
            {
                int first = r.Int32("the pruned index");
                int second = r.Int32("the pruned index");
                if (first < 0 || second < 0)
                {
                    throw r.Error($"pruned index entry {i} is negative ({first} -> {second})");
                }
                // pruneidx_[first] = second: a repeated key keeps the last value.
                _prune[PruneSlot(first)] = ((ulong)(uint)(first + 1) << 32) | (uint)second;
                if (first < args.Bucket)
                {
                    _pruneBits[first >> 6] |= 1UL << (first & 63);
                }
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

        EosId = Find(EosBytes, Hash(EosBytes));

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

    /// <summary>The id of &lt;/s&gt;, or -1 when the model lacks it.</summary>
    public int EosId { get; }

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
        ulong stored = (ulong)(uint)(key + 1) << 32;
        int slot = (int)(((uint)key * 2654435769u) >> 7) & _pruneMask;
        while (_prune![slot] != 0 && (_prune[slot] & 0xFFFF_FFFF_0000_0000) != stored)
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
            // Ids come from hash % bucket, so below bucket; a larger id (not from fastText's hashing) takes the index.
            if (id < _pruneBits!.Length * 64L && (_pruneBits[id >> 6] & (1UL << (id & 63))) == 0)
            {
                return false;
            }
            ulong entry = _prune![PruneSlot(id)];
            if (entry == 0)
            {
                return false;
            }
            id = (int)(uint)entry;
        }
        row = NWords + id;
        return true;
    }

    /// <summary>
    /// computeSubwords on <c>"&lt;" + word + "&gt;"</c>: every character
    /// n-gram of minn..maxn UTF-8 characters except the lone brackets, hashed mod bucket and pushed
    /// through the pruned index.
    /// </summary>
    public void ComputeSubwords<TSink>(ReadOnlySpan<byte> word, ref TSink sink) where TSink : struct, IRowSink
    {
        int maxn = Args.Maxn;
        int minn = Args.Minn;
        if (maxn <= 0 || Args.Bucket == 0)
        {
            // maxn <= 0: no n-gram reaches minn. bucket 0 would be a division by zero in fastText;
            // such models (bucket 0) are trained without subwords.
            return;
        }
        int len = word.Length + 2;
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(len);
        try
        {
            var w = rented.AsSpan(0, len);
            w[0] = (byte)'<';
            word.CopyTo(w[1..]);
            w[len - 1] = (byte)'>';
            for (int i = 0; i < len; i++)
            {
                if ((w[i] & 0xC0) == 0x80)
                {
                    continue;
                }
                uint h = 2166136261;
                int j = i;
                for (int n = 1; j < len && n <= maxn; n++)
                {
                    h = HashStep(h, w[j++]);
                    while (j < len && (w[j] & 0xC0) == 0x80)
                    {
                        h = HashStep(h, w[j++]);
                    }
                    if (n >= minn && !(n == 1 && (i == 0 || j == len)) && TryBucketRow((int)BucketOf(h), out int row))
                    {
                        sink.Add(row);
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// <see cref="ComputeSubwords{TSink}"/> for a short word, into <paramref name="rows"/> (at least
    /// (word.Length + 2) * maxn long); returns the number of rows written.
    /// </summary>
    public int ComputeSubwordsShort(ReadOnlySpan<byte> word, Span<int> rows)
    {
        int maxn = Args.Maxn;
        int minn = Args.Minn;
        if (maxn <= 0 || Args.Bucket == 0)
        {
            return 0;
        }
        int len = word.Length + 2;
        Span<byte> w = stackalloc byte[len];
        w[0] = (byte)'<';
        word.CopyTo(w[1..]);
        w[len - 1] = (byte)'>';
        int count = 0;
        for (int i = 0; i < len; i++)
        {
            if ((w[i] & 0xC0) == 0x80)
            {
                continue;
            }
            uint h = 2166136261;
            int j = i;
            for (int n = 1; j < len && n <= maxn; n++)
            {
                h = HashStep(h, w[j++]);
                while (j < len && (w[j] & 0xC0) == 0x80)
                {
                    h = HashStep(h, w[j++]);
                }
                if (n >= minn && !(n == 1 && (i == 0 || j == len)) && TryBucketRow((int)BucketOf(h), out int row))
                {
                    rows[count++] = row;
                }
            }
        }
        return count;
    }

    /// <summary>h % bucket without a division (Lemire's fastmod; exact for every 32-bit h and bucket).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint BucketOf(uint h) => (uint)Math.BigMul(_bucketMagic * h, (ulong)(uint)Args.Bucket, out _);

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
