using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// The featurizer's memory of n-gram buckets: every distinct token (its lowered UTF-8 bytes) is interned to a
/// small id that carries its unigram bucket, and every distinct bigram is remembered by its pair of token ids,
/// so while an n-gram stays in the cache it is not SHA-256-hashed again, and a repeated bigram costs one
/// integer-keyed probe instead of hashing its bytes.
/// </summary>
/// <remarks>
/// <para>A bucket is a pure function of the n-gram's bytes, so the cache never changes a result, only how often
/// SHA-256 runs. Bounded: at most <see cref="Capacity"/> tokens and <see cref="Capacity"/> bigrams (and
/// <see cref="MaxArenaBytes"/> bytes of token text) are held. When a document would start with either table
/// full, both are emptied (tokens and the bigrams keyed by their ids go together) and refill from the
/// following documents: a clear, deterministic eviction that keeps memory bounded whatever the corpus.
/// While a table is full inside one document, new tokens or bigrams are hashed and not remembered.</para>
/// <para>Misses are not hashed one by one: they queue (with the table entry their bucket belongs in) and are hashed
/// <see cref="Sha256Lanes.MaxLanes"/> at a time by <see cref="Sha256Lanes"/>; a hit on an entry whose hash is still
/// queued is counted once the queue is flushed. Counts do not depend on the order of increments, so this changes
/// nothing but speed. A document is counted between <see cref="Begin"/> and <see cref="Finish"/>.</para>
/// <para>Tables grow by doubling from a small start, so a small task never pays for the bound. Not thread-safe.</para>
/// </remarks>
internal sealed class NgramIdCache
{
    /// <summary>Most bytes of token text held (a document of huge tokens cannot make the cache huge).</summary>
    public const int MaxArenaBytes = 1 << 25;

    private const int InitialSlots = 1 << 12;
    private const ulong EmptyPair = ulong.MaxValue;

    private const int PendingBucket = -1;

    private readonly int _numBuckets;
    private readonly BucketModulus _modulus;

    // The document being counted.
    private byte[] _text = [];
    private DocumentFeatures? _features;

    // Misses waiting for one SIMD hash: the n-gram's place in _text and the table entry to fill with its bucket.
    private readonly int[] _queuedStart = new int[Sha256Lanes.MaxLanes];
    private readonly int[] _queuedLength = new int[Sha256Lanes.MaxLanes];
    private readonly PatchKind[] _queuedKind = new PatchKind[Sha256Lanes.MaxLanes];
    private readonly int[] _queuedIndex = new int[Sha256Lanes.MaxLanes];
    private int _queued;

    // Hits on entries whose hash is still queued (a new n-gram repeated soon after): counted after the flush.
    private readonly PatchKind[] _deferredKind = new PatchKind[256];
    private readonly int[] _deferredIndex = new int[256];
    private int _deferredCount;

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
        _modulus = new BucketModulus(numBuckets);
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

    /// <summary>Starts counting one document whose joined token bytes are <paramref name="text"/> into <paramref name="features"/>.</summary>
    public void Begin(byte[] text, DocumentFeatures features)
    {
        _text = text;
        _features = features;
    }

    /// <summary>Counts the unigram <c>text[start..end]</c>; returns its token id (interning it), or -1 if the cache is full.</summary>
    public int CountToken(int start, int end)
    {
        var token = _text.AsSpan(start, end - start);
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
                    CountKnown(t.Bucket, PatchKind.Token, entry);
                    return entry;
                }
            }

            slot = (slot + 1) & mask;
        }

        if (_tokenCount >= Capacity || _arenaUsed + token.Length > MaxArenaBytes)
        {
            CountMiss(start, end - start, PatchKind.None, 0);
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
        _tokens[id] = new TokenEntry { Offset = _arenaUsed, Length = token.Length, Bucket = PendingBucket };
        _arenaUsed += token.Length;
        _tokenSlots[slot] = ((ulong)hash << 32) | (uint)(id + 1);
        if (_tokenCount * 2 > _tokenSlots.Length)
        {
            // Token ids do not move when the slots rehash, so a queued patch by id stays valid.
            GrowTokens();
        }

        CountMiss(start, end - start, PatchKind.Token, id);
        return id;
    }

    /// <summary>Counts the bigram <c>text[start..end]</c> of tokens <paramref name="first"/> and <paramref name="second"/>.</summary>
    public void CountBigram(int first, int second, int start, int end)
    {
        if ((first | second) < 0)
        {
            CountMiss(start, end - start, PatchKind.None, 0);
            return;
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
                CountKnown(p.Bucket, PatchKind.Pair, slot);
                return;
            }

            if (p.Key == EmptyPair)
            {
                break;
            }

            slot = (slot + 1) & mask;
        }

        if (_pairCount >= Capacity)
        {
            CountMiss(start, end - start, PatchKind.None, 0);
            return;
        }

        pairs[slot] = new PairEntry { Key = key, Bucket = PendingBucket };
        CountMiss(start, end - start, PatchKind.Pair, slot);
        if (++_pairCount * 2 > pairs.Length)
        {
            // Rehashing moves pairs: settle every queued patch by slot first.
            Flush();
            GrowPairs();
        }
    }

    /// <summary>Counts an n-gram the cache does not key (trigrams and longer).</summary>
    public void CountNgram(int start, int end) => CountMiss(start, end - start, PatchKind.None, 0);

    /// <summary>Hashes whatever is still queued and counts it; call at the end of each document.</summary>
    public void Finish()
    {
        Flush();
        _features = null;
    }

    /// <summary>Counts a bucket found in a table, or defers it if the entry's hash is still queued.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountKnown(int bucket, PatchKind kind, int index)
    {
        if (bucket >= 0)
        {
            _features!.Increment(bucket);
            return;
        }

        if (_deferredCount == _deferredKind.Length)
        {
            Flush();
            _features!.Increment(kind == PatchKind.Token ? _tokens[index].Bucket : _pairs[index].Bucket);
            return;
        }

        _deferredKind[_deferredCount] = kind;
        _deferredIndex[_deferredCount++] = index;
    }

    /// <summary>Queues the n-gram <c>text[start..start+length]</c> for hashing (or hashes a long one now), then counts it and fills its table entry.</summary>
    private void CountMiss(int start, int length, PatchKind kind, int index)
    {
        Hashes++;
        if (length > Sha256Short.MaxSingleBlock)
        {
            // Multi-block messages take the general path, one at a time (rare: n-grams longer than 55 bytes).
            int bucket = NgramBucketHasher.Bucket(_text.AsSpan(start, length), _numBuckets);
            Patch(kind, index, bucket);
            _features!.Increment(bucket);
            return;
        }

        int q = _queued++;
        _queuedStart[q] = start;
        _queuedLength[q] = length;
        _queuedKind[q] = kind;
        _queuedIndex[q] = index;
        if (_queued == Sha256Lanes.MaxLanes)
        {
            Flush();
        }
    }

    /// <summary>Hashes the queued n-grams in one SIMD batch, counts them, fills their entries, then counts the deferred hits.</summary>
    private void Flush()
    {
        var features = _features!;
        int n = _queued;
        if (n > 0)
        {
            Span<uint> digests = stackalloc uint[Sha256Lanes.MaxLanes * 8];
            Sha256Lanes.Hash(_text, _queuedStart.AsSpan(0, n), _queuedLength.AsSpan(0, n), digests);
            for (int m = 0; m < n; m++)
            {
                int bucket = _modulus.Of(digests.Slice(m * 8, 8));
                Patch(_queuedKind[m], _queuedIndex[m], bucket);
                features.Increment(bucket);
            }

            _queued = 0;
        }

        for (int i = 0; i < _deferredCount; i++)
        {
            features.Increment(_deferredKind[i] == PatchKind.Token ? _tokens[_deferredIndex[i]].Bucket : _pairs[_deferredIndex[i]].Bucket);
        }

        _deferredCount = 0;
    }

    private void Patch(PatchKind kind, int index, int bucket)
    {
        if (kind == PatchKind.Token)
        {
            _tokens[index].Bucket = bucket;
        }
        else if (kind == PatchKind.Pair)
        {
            _pairs[index].Bucket = bucket;
        }
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

    private enum PatchKind : byte
    {
        None,
        Token,
        Pair,
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
