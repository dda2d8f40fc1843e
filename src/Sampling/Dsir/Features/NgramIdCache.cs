using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// The featurizer's memory of n-gram buckets: every distinct token (its lowered UTF-8 bytes) is interned to a
/// small id that carries its unigram bucket, and every distinct bigram is remembered by its pair of token ids,
/// so each distinct unigram and bigram is SHA-256-hashed once, and a repeated bigram costs one integer-keyed
/// probe instead of hashing and comparing its bytes.
/// </summary>
/// <remarks>
/// <para>A bucket is a pure function of the n-gram's bytes, so the cache never changes a result, only how often
/// SHA-256 runs. Bounded: at most <see cref="Capacity"/> tokens and <see cref="Capacity"/> bigrams (and
/// <see cref="MaxArenaBytes"/> bytes of token text) are held. When a document would start with either table
/// full, both are emptied (tokens and the bigrams keyed by their ids go together) and refill from the
/// following documents: a clear, deterministic eviction that keeps memory bounded whatever the corpus.
/// While a table is full inside one document, new tokens or bigrams are hashed and not remembered.</para>
/// <para>Tables grow by doubling from a small start, so a small task never pays for the bound. Not thread-safe.</para>
/// </remarks>
internal sealed class NgramIdCache
{
    /// <summary>Most bytes of token text held (a document of huge tokens cannot make the cache huge).</summary>
    public const int MaxArenaBytes = 1 << 25;

    private const int InitialSlots = 1 << 12;
    private const ulong EmptyPair = ulong.MaxValue;

    private readonly int _numBuckets;

    // Tokens: open addressing; a slot holds (hash << 32) | (id + 1), 0 = empty, so most probes touch one slot only.
    private ulong[] _tokenSlots = new ulong[InitialSlots];
    private TokenEntry[] _tokens = new TokenEntry[256];
    private byte[] _arena = new byte[4096];
    private int _arenaUsed;
    private int _tokenCount;

    // Bigrams: open addressing keyed by (id1 << 32 | id2), key and bucket side by side (one cache line per probe).
    private PairEntry[] _pairs = NewPairs(InitialSlots);
    private int _pairCount;

    public NgramIdCache(int capacity, int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _numBuckets = numBuckets;
    }

    /// <summary>Most tokens, and most bigrams, remembered (0 = hash every n-gram).</summary>
    public int Capacity { get; }

    /// <summary>SHA-256 evaluations so far (cache misses), for profiling.</summary>
    public long Hashes { get; private set; }

    /// <summary>Times both tables were emptied because one was full.</summary>
    public long Evictions { get; private set; }

    /// <summary>Empties both tables if either is full; called between documents only.</summary>
    public void EvictIfFull()
    {
        if (Capacity == 0 || (_tokenCount < Capacity && _pairCount < Capacity && _arenaUsed < MaxArenaBytes))
        {
            return;
        }

        Array.Clear(_tokenSlots);
        _tokenCount = 0;
        _arenaUsed = 0;
        _pairs.AsSpan().Fill(new PairEntry { Key = EmptyPair });
        _pairCount = 0;
        Evictions++;
    }

    /// <summary>The id of <paramref name="token"/> (interning it), or -1 if the cache is full; <paramref name="bucket"/> is its unigram bucket.</summary>
    public int Token(ReadOnlySpan<byte> token, out int bucket)
    {
        uint hash = HashBytes(token);
        int mask = _tokenSlots.Length - 1;
        int slot = (int)(hash & (uint)mask);
        while (true)
        {
            ulong value = _tokenSlots[slot];
            if (value == 0)
            {
                break;
            }

            if ((uint)(value >> 32) == hash)
            {
                int entry = (int)(uint)value - 1;
                ref readonly var t = ref _tokens[entry];
                if (token.SequenceEqual(_arena.AsSpan(t.Offset, t.Length)))
                {
                    bucket = t.Bucket;
                    return entry;
                }
            }

            slot = (slot + 1) & mask;
        }

        bucket = Hash(token);
        if (_tokenCount >= Capacity || _arenaUsed + token.Length > MaxArenaBytes)
        {
            return -1;
        }

        int id = _tokenCount++;
        if (id == _tokens.Length)
        {
            Array.Resize(ref _tokens, id * 2);
        }

        if (_arenaUsed + token.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Min(MaxArenaBytes, Math.Max(_arena.Length * 2, _arenaUsed + token.Length)));
        }

        token.CopyTo(_arena.AsSpan(_arenaUsed));
        _tokens[id] = new TokenEntry { Offset = _arenaUsed, Length = token.Length, Bucket = bucket };
        _arenaUsed += token.Length;
        _tokenSlots[slot] = ((ulong)hash << 32) | (uint)(id + 1);
        if (_tokenCount * 2 > _tokenSlots.Length)
        {
            GrowTokens();
        }

        return id;
    }

    /// <summary>The bucket of the bigram of tokens <paramref name="first"/> and <paramref name="second"/> whose UTF-8 text is <paramref name="bigram"/>.</summary>
    public int Bigram(int first, int second, ReadOnlySpan<byte> bigram)
    {
        if ((first | second) < 0)
        {
            return Hash(bigram);
        }

        ulong key = ((ulong)(uint)first << 32) | (uint)second;
        var pairs = _pairs;
        int mask = pairs.Length - 1;
        int slot = PairSlot(key, mask);
        while (true)
        {
            ref readonly var p = ref pairs[slot];
            if (p.Key == key)
            {
                return p.Bucket;
            }

            if (p.Key == EmptyPair)
            {
                break;
            }

            slot = (slot + 1) & mask;
        }

        int bucket = Hash(bigram);
        if (_pairCount < Capacity)
        {
            pairs[slot] = new PairEntry { Key = key, Bucket = bucket };
            if (++_pairCount * 2 > pairs.Length)
            {
                GrowPairs();
            }
        }

        return bucket;
    }

    /// <summary>The bucket of an n-gram the cache does not key (trigrams and longer).</summary>
    public int Hash(ReadOnlySpan<byte> ngram)
    {
        Hashes++;
        return NgramBucketHasher.Bucket(ngram, _numBuckets);
    }

    private void GrowTokens()
    {
        var slots = new ulong[_tokenSlots.Length * 2];
        int mask = slots.Length - 1;
        foreach (ulong value in _tokenSlots)
        {
            if (value == 0)
            {
                continue;
            }

            int slot = (int)((uint)(value >> 32) & (uint)mask);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = value;
        }

        _tokenSlots = slots;
    }

    private void GrowPairs()
    {
        var pairs = NewPairs(_pairs.Length * 2);
        int mask = pairs.Length - 1;
        foreach (var p in _pairs)
        {
            if (p.Key == EmptyPair)
            {
                continue;
            }

            int slot = PairSlot(p.Key, mask);
            while (pairs[slot].Key != EmptyPair)
            {
                slot = (slot + 1) & mask;
            }

            pairs[slot] = p;
        }

        _pairs = pairs;
    }

    private static PairEntry[] NewPairs(int size)
    {
        var pairs = new PairEntry[size];
        pairs.AsSpan().Fill(new PairEntry { Key = EmptyPair });
        return pairs;
    }

    private struct TokenEntry
    {
        public int Offset;
        public int Length;
        public int Bucket;
    }

    private struct PairEntry
    {
        public ulong Key;
        public int Bucket;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PairSlot(ulong key, int mask) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    /// <summary>A fast non-cryptographic hash of a short byte string (8 bytes per step).</summary>
    private static uint HashBytes(ReadOnlySpan<byte> bytes)
    {
        ulong h = ((ulong)bytes.Length + 1) * 0x9E3779B97F4A7C15UL;
        int i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 32;
        }

        if (i < bytes.Length)
        {
            ulong tail = 0;
            for (int k = 0; i + k < bytes.Length; k++)
            {
                tail |= (ulong)bytes[i + k] << (8 * k);
            }

            h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        }

        h ^= h >> 29;
        h *= 0x9E3779B97F4A7C15UL;
        return (uint)(h >> 32);
    }
}
