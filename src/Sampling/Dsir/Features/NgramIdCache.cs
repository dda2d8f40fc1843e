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

    // Tokens: open addressing over ids + 1 (0 = empty slot).
    private int[] _tokenSlots = new int[InitialSlots];
    private uint[] _tokenHashes = new uint[256];
    private int[] _tokenOffsets = new int[256];
    private int[] _tokenLengths = new int[256];
    private int[] _tokenBuckets = new int[256];
    private byte[] _arena = new byte[4096];
    private int _arenaUsed;
    private int _tokenCount;

    // Bigrams: open addressing keyed by (id1 << 32 | id2).
    private ulong[] _pairKeys = NewPairKeys(InitialSlots);
    private int[] _pairBuckets = new int[InitialSlots];
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
        _pairKeys.AsSpan().Fill(EmptyPair);
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
            int entry = _tokenSlots[slot] - 1;
            if (entry < 0)
            {
                break;
            }

            if (_tokenHashes[entry] == hash && token.SequenceEqual(_arena.AsSpan(_tokenOffsets[entry], _tokenLengths[entry])))
            {
                bucket = _tokenBuckets[entry];
                return entry;
            }

            slot = (slot + 1) & mask;
        }

        bucket = Hash(token);
        if (_tokenCount >= Capacity || _arenaUsed + token.Length > MaxArenaBytes)
        {
            return -1;
        }

        int id = _tokenCount++;
        if (id == _tokenHashes.Length)
        {
            int size = id * 2;
            Array.Resize(ref _tokenHashes, size);
            Array.Resize(ref _tokenOffsets, size);
            Array.Resize(ref _tokenLengths, size);
            Array.Resize(ref _tokenBuckets, size);
        }

        if (_arenaUsed + token.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Min(MaxArenaBytes, Math.Max(_arena.Length * 2, _arenaUsed + token.Length)));
        }

        token.CopyTo(_arena.AsSpan(_arenaUsed));
        _tokenHashes[id] = hash;
        _tokenOffsets[id] = _arenaUsed;
        _tokenLengths[id] = token.Length;
        _tokenBuckets[id] = bucket;
        _arenaUsed += token.Length;
        _tokenSlots[slot] = id + 1;
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
        int mask = _pairKeys.Length - 1;
        int slot = PairSlot(key, mask);
        while (true)
        {
            ulong k = _pairKeys[slot];
            if (k == key)
            {
                return _pairBuckets[slot];
            }

            if (k == EmptyPair)
            {
                break;
            }

            slot = (slot + 1) & mask;
        }

        int bucket = Hash(bigram);
        if (_pairCount < Capacity)
        {
            _pairKeys[slot] = key;
            _pairBuckets[slot] = bucket;
            if (++_pairCount * 2 > _pairKeys.Length)
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
        var slots = new int[_tokenSlots.Length * 2];
        int mask = slots.Length - 1;
        for (int id = 0; id < _tokenCount; id++)
        {
            int slot = (int)(_tokenHashes[id] & (uint)mask);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = id + 1;
        }

        _tokenSlots = slots;
    }

    private void GrowPairs()
    {
        var keys = NewPairKeys(_pairKeys.Length * 2);
        var buckets = new int[keys.Length];
        int mask = keys.Length - 1;
        for (int i = 0; i < _pairKeys.Length; i++)
        {
            ulong key = _pairKeys[i];
            if (key == EmptyPair)
            {
                continue;
            }

            int slot = PairSlot(key, mask);
            while (keys[slot] != EmptyPair)
            {
                slot = (slot + 1) & mask;
            }

            keys[slot] = key;
            buckets[slot] = _pairBuckets[i];
        }

        _pairKeys = keys;
        _pairBuckets = buckets;
    }

    private static ulong[] NewPairKeys(int size)
    {
        var keys = new ulong[size];
        keys.AsSpan().Fill(EmptyPair);
        return keys;
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
