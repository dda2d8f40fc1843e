using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// The featurizer's memory of n-gram buckets: short tokens (their lowered UTF-8 bytes) get an id and keep their
/// unigram bucket, and bigrams of two such tokens keep theirs under the pair of ids, so a frequent n-gram is not
/// SHA-256-hashed again while it stays in the cache, and a repeated bigram costs one integer-keyed probe.
/// </summary>
/// <remarks>
/// <para>A bucket is a pure function of the n-gram's bytes, so the cache never changes a result, only how often
/// SHA-256 runs. Both tables are direct-mapped, <see cref="Capacity"/> slots each (rounded up to a power of two):
/// a new n-gram takes its slot from whatever held it, so memory is fixed, frequent n-grams win their slots back at
/// once, and there is no eviction cliff where everything is hashed again. A token is stored inline (at most
/// <see cref="MaxCachedTokenBytes"/> bytes, with its length, in 16 bytes), so a lookup is one slot read with no
/// second array or byte comparison; longer tokens, and bigrams with one, are hashed every time. Ids are never
/// reused (a counter), so a bigram keyed by a token id that lost its slot can never be matched by another token.</para>
/// <para>Misses are not hashed one by one: they queue (with the slot their bucket belongs in) and are hashed
/// <see cref="Sha256Lanes.MaxLanes"/> at a time by <see cref="Sha256Lanes"/>. A slot waiting for its hash holds
/// the queue position instead of a bucket; a hit on it is counted once the queue is flushed, and a flush fills a
/// slot only if the n-gram that queued is still the one there. Counts do not depend on the order of increments,
/// so this changes nothing but speed. A document is counted between <see cref="Begin"/> and <see cref="Finish"/>.
/// Not thread-safe.</para>
/// </remarks>
internal sealed class NgramIdCache
{
    /// <summary>Longest token kept in the cache (its length goes in the top byte of the 16 inline bytes).</summary>
    public const int MaxCachedTokenBytes = 15;

    // Ids restart (and both tables empty) before the counter could overflow; checked between documents.
    private const int MaxId = 1 << 30;
    private const ulong EmptyPair = ulong.MaxValue;

    private readonly int _numBuckets;
    private readonly BucketModulus _modulus;
    private readonly TokenSlot[] _tokens;
    private readonly PairSlot[] _pairs;
    private int _nextId;

    // The document being counted.
    private byte[] _text = [];
    private DocumentFeatures? _features;

    // Misses waiting for one SIMD hash: the n-gram's place in _text, and the slot (with what must still be in it) to fill.
    private readonly int[] _queuedStart = new int[Sha256Lanes.MaxLanes];
    private readonly int[] _queuedLength = new int[Sha256Lanes.MaxLanes];
    private readonly SlotKind[] _queuedKind = new SlotKind[Sha256Lanes.MaxLanes];
    private readonly int[] _queuedSlot = new int[Sha256Lanes.MaxLanes];
    private readonly ulong[] _queuedOwner = new ulong[Sha256Lanes.MaxLanes];
    private readonly int[] _flushed = new int[Sha256Lanes.MaxLanes]; // the last flush's buckets, by queue position
    private int _queued;

    // Hits on slots still waiting for their hash (a new n-gram repeated soon after): queue positions, counted at the flush.
    private readonly int[] _deferred = new int[256];
    private int _deferredCount;

    public NgramIdCache(int capacity, int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity == 0 ? 0 : (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)capacity), 1u << 30);
        _numBuckets = numBuckets;
        _modulus = new BucketModulus(numBuckets);
        _tokens = new TokenSlot[Capacity];
        _pairs = new PairSlot[Capacity];
        Clear();
    }

    /// <summary>Slots per table, tokens and bigrams (0 = hash every n-gram).</summary>
    public int Capacity { get; }

    /// <summary>SHA-256 evaluations so far (cache misses), for profiling.</summary>
    public long Hashes { get; private set; }

    /// <summary>Times both tables were emptied because token ids ran out.</summary>
    public long Evictions { get; private set; }

    /// <summary>Between documents only: restarts ids (emptying both tables) when the counter nears its limit.</summary>
    public void EvictIfFull()
    {
        if (_nextId >= MaxId)
        {
            Clear();
            Evictions++;
        }
    }

    /// <summary>Starts counting one document whose joined token bytes are <paramref name="text"/> into <paramref name="features"/>.</summary>
    public void Begin(byte[] text, DocumentFeatures features)
    {
        _text = text;
        _features = features;
    }

    /// <summary>Counts the unigram <c>text[start..end]</c>; returns its token id, or -1 if it is not cached.</summary>
    public int CountToken(int start, int end)
    {
        int length = end - start;
        if (Capacity == 0 || length > MaxCachedTokenBytes)
        {
            CountMiss(start, length, SlotKind.None, 0, 0);
            return -1;
        }

        var token = _text.AsSpan(start, length);
        ulong lo, hi;
        if (length > 8)
        {
            lo = BinaryPrimitives.ReadUInt64LittleEndian(token);
            hi = ReadUpTo8(token[8..]);
        }
        else
        {
            lo = ReadUpTo8(token);
            hi = 0;
        }

        hi |= (ulong)length << 56;
        int slot = (int)(Mix(lo, hi) >> 32) & (Capacity - 1);
        ref var t = ref _tokens[slot];
        if (t.Lo == lo && t.Hi == hi)
        {
            CountKnown(t.Bucket);
            return t.Id;
        }

        int id = _nextId++;
        t.Lo = lo;
        t.Hi = hi;
        t.Id = id;
        t.Bucket = CountMiss(start, length, SlotKind.Token, slot, (ulong)id);
        return id;
    }

    /// <summary>Counts the bigram <c>text[start..end]</c> of tokens <paramref name="first"/> and <paramref name="second"/>.</summary>
    public void CountBigram(int first, int second, int start, int end)
    {
        if ((first | second) < 0)
        {
            CountMiss(start, end - start, SlotKind.None, 0, 0);
            return;
        }

        ulong key = ((ulong)(uint)first << 32) | (uint)second;
        int slot = (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & (Capacity - 1);
        ref var p = ref _pairs[slot];
        if (p.Key == key)
        {
            CountKnown(p.Bucket);
            return;
        }

        p.Key = key;
        p.Bucket = CountMiss(start, end - start, SlotKind.Pair, slot, key);
    }

    /// <summary>Counts an n-gram the cache does not key (trigrams and longer).</summary>
    public void CountNgram(int start, int end) => CountMiss(start, end - start, SlotKind.None, 0, 0);

    /// <summary>Hashes whatever is still queued and counts it; call at the end of each document.</summary>
    public void Finish()
    {
        Flush();
        _features = null;
    }

    private void Clear()
    {
        _tokens.AsSpan().Fill(new TokenSlot { Lo = ulong.MaxValue, Hi = ulong.MaxValue }); // no token has length 255
        _pairs.AsSpan().Fill(new PairSlot { Key = EmptyPair });
        _nextId = 0;
    }

    /// <summary>Counts the bucket read from a slot: a bucket, or (negative) the queue position of the hash it waits for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CountKnown(int bucket)
    {
        if (bucket >= 0)
        {
            _features!.Increment(bucket);
            return;
        }

        int q = -bucket - 1;
        if (_deferredCount == _deferred.Length)
        {
            Flush();
            _features!.Increment(_flushed[q]);
            return;
        }

        _deferred[_deferredCount++] = q;
    }

    /// <summary>
    /// Queues the n-gram <c>text[start..start+length]</c> for hashing (or hashes a long one now) and counts it once hashed;
    /// returns what its slot should hold until then: the bucket if known now, else the queue position as <c>-(q + 1)</c>.
    /// </summary>
    private int CountMiss(int start, int length, SlotKind kind, int slot, ulong owner)
    {
        Hashes++;
        if (length > Sha256Short.MaxSingleBlock)
        {
            // Multi-block messages take the general path, one at a time (rare: n-grams longer than 55 bytes).
            int bucket = NgramBucketHasher.Bucket(_text.AsSpan(start, length), _numBuckets);
            _features!.Increment(bucket);
            return bucket;
        }

        if (_queued == Sha256Lanes.MaxLanes)
        {
            // Flush before queueing, not after, so the position returned is the one this n-gram really has.
            Flush();
        }

        int q = _queued++;
        _queuedStart[q] = start;
        _queuedLength[q] = length;
        _queuedKind[q] = kind;
        _queuedSlot[q] = slot;
        _queuedOwner[q] = owner;
        return -q - 1;
    }

    /// <summary>Hashes the queued n-grams in one SIMD batch, counts them, fills the slots they still own, then counts the deferred hits.</summary>
    private void Flush()
    {
        var features = _features!;
        int n = _queued;
        if (n > 0)
        {
            Span<uint> digests = stackalloc uint[Sha256Lanes.MaxLanes * 8];
            Sha256Lanes.Hash(_text, _queuedStart.AsSpan(0, n), _queuedLength.AsSpan(0, n), digests);
            for (int q = 0; q < n; q++)
            {
                int bucket = _modulus.Of(digests.Slice(q * 8, 8));
                _flushed[q] = bucket;
                features.Increment(bucket);
                int pending = -q - 1;
                int slot = _queuedSlot[q];
                if (_queuedKind[q] == SlotKind.Token)
                {
                    ref var t = ref _tokens[slot];
                    if (t.Id == (int)_queuedOwner[q] && t.Bucket == pending)
                    {
                        t.Bucket = bucket;
                    }
                }
                else if (_queuedKind[q] == SlotKind.Pair)
                {
                    ref var p = ref _pairs[slot];
                    if (p.Key == _queuedOwner[q] && p.Bucket == pending)
                    {
                        p.Bucket = bucket;
                    }
                }
            }

            _queued = 0;
        }

        for (int i = 0; i < _deferredCount; i++)
        {
            features.Increment(_flushed[_deferred[i]]);
        }

        _deferredCount = 0;
    }

    /// <summary>Up to 8 bytes as a little-endian integer, zero-padded, with at most two reads of overlapping halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadUpTo8(ReadOnlySpan<byte> bytes)
    {
        int n = bytes.Length;
        if (n >= 4)
        {
            // Bytes [0, 4) and [n - 4, n); where they overlap both reads hold the same bytes.
            ulong a = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            ulong b = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(n - 4)..]);
            return a | (b << ((n - 4) * 8));
        }

        if (n >= 2)
        {
            ulong a = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
            ulong b = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(n - 2)..]);
            return a | (b << ((n - 2) * 8));
        }

        return n == 1 ? bytes[0] : 0UL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong lo, ulong hi)
    {
        ulong h = (lo ^ BitOperations.RotateLeft(hi, 29)) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 31;
        return h * 0xFF51AFD7ED558CCDUL;
    }

    private enum SlotKind : byte
    {
        None,
        Token,
        Pair,
    }

    private struct TokenSlot
    {
        public ulong Lo;
        public ulong Hi;
        public int Id;
        public int Bucket;
    }

    private struct PairSlot
    {
        public ulong Key;
        public int Bucket;
    }
}
