using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// Pre-token text → its BPE ids, for one thread. Natural text repeats a small set of words, so
/// almost every pre-token is a hit after the first few thousand documents, and a hit costs one
/// xxh3 of a few characters, one probe and a copy of the ids: no lock, no allocation. Keys and ids
/// live in two growing arenas beside an open-addressing table of fixed-size entries, so the cache
/// is a handful of arrays the GC never has to trace. Bounded: past its maximum number of pieces
/// (or arenas that large) it starts again empty, which keeps memory flat on any corpus.
/// </summary>
internal sealed class PieceIdCache
{
    /// <summary>Longer pieces (long runs of letters or spaces) are rare and not worth a slot.</summary>
    public const int MaxKeyLength = 64;

    private struct Entry
    {
        public ulong Hash; // 0 = empty slot
        public int KeyStart;
        public int IdStart; // the id itself when IdCount is 1 (most pieces are one token): no second array to read
        public ushort KeyLength;
        public ushort IdCount;
    }

    private readonly int _maxEntries;
    private Entry[] _entries;
    private int _mask;
    private int _count;
    private char[] _keys;
    private int _keysUsed;
    private int[] _ids;
    private int _idsUsed;

    /// <param name="maxEntries">Pieces held before the cache starts again empty (a power of two is not required).</param>
    public PieceIdCache(int maxEntries = 1 << 19)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        _maxEntries = maxEntries;
        int slots = Math.Min(1 << 14, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)maxEntries * 2));
        _entries = new Entry[slots];
        _mask = slots - 1;
        _keys = new char[Math.Min(slots * 8, 1 << 20)];
        _ids = new int[Math.Min(slots * 2, 1 << 18)];
    }

    /// <summary>Pieces held now.</summary>
    public int Count => _count;

    /// <summary>Times the cache filled up and started again (for tests and profiling).</summary>
    public int Resets { get; private set; }

    /// <summary>Appends the cached ids of <paramref name="piece"/> to <paramref name="destination"/>; false when it is not cached.</summary>
    public bool TryAppend(ReadOnlySpan<char> piece, List<int> destination)
    {
        if (piece.Length > MaxKeyLength)
        {
            return false;
        }
        ulong hash = Hash(piece);
        var entries = _entries;
        int i = (int)hash & _mask;
        while (true)
        {
            ref readonly Entry e = ref entries[i];
            if (e.Hash == 0)
            {
                return false;
            }
            if (e.Hash == hash && e.KeyLength == piece.Length && _keys.AsSpan(e.KeyStart, e.KeyLength).SequenceEqual(piece))
            {
                if (e.IdCount == 1)
                {
                    destination.Add(e.IdStart);
                }
                else
                {
                    destination.AddRange(_ids.AsSpan(e.IdStart, e.IdCount));
                }
                return true;
            }
            i = (i + 1) & _mask;
        }
    }

    /// <summary>Remembers <paramref name="piece"/>'s ids (a piece longer than <see cref="MaxKeyLength"/> is not kept).</summary>
    public void Add(ReadOnlySpan<char> piece, ReadOnlySpan<int> ids)
    {
        if (piece.Length > MaxKeyLength || ids.Length > ushort.MaxValue)
        {
            return;
        }
        if (_count >= _maxEntries)
        {
            Clear();
        }
        if ((_count + 1) * 2 > _entries.Length)
        {
            Grow();
        }
        EnsureArena(ref _keys, _keysUsed + piece.Length);
        ulong hash = Hash(piece);
        int i = (int)hash & _mask;
        while (_entries[i].Hash != 0)
        {
            i = (i + 1) & _mask;
        }
        piece.CopyTo(_keys.AsSpan(_keysUsed));
        int idStart;
        if (ids.Length == 1)
        {
            idStart = ids[0];
        }
        else
        {
            EnsureArena(ref _ids, _idsUsed + ids.Length);
            ids.CopyTo(_ids.AsSpan(_idsUsed));
            idStart = _idsUsed;
            _idsUsed += ids.Length;
        }
        _entries[i] = new Entry { Hash = hash, KeyStart = _keysUsed, KeyLength = (ushort)piece.Length, IdStart = idStart, IdCount = (ushort)ids.Length };
        _keysUsed += piece.Length;
        _count++;
    }

    public void Clear()
    {
        Array.Clear(_entries);
        _count = 0;
        _keysUsed = 0;
        _idsUsed = 0;
        Resets++;
    }

    private static ulong Hash(ReadOnlySpan<char> piece)
    {
        ulong h = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(piece));
        return h == 0 ? 1 : h;
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        _mask = _entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Hash == 0)
            {
                continue;
            }
            int i = (int)e.Hash & _mask;
            while (_entries[i].Hash != 0)
            {
                i = (i + 1) & _mask;
            }
            _entries[i] = e;
        }
    }

    private static void EnsureArena<T>(ref T[] arena, int needed)
    {
        if (needed > arena.Length)
        {
            Array.Resize(ref arena, Math.Max(needed, arena.Length * 2));
        }
    }
}
