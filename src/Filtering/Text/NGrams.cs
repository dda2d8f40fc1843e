using System.Numerics;
using System.Runtime.CompilerServices;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Text;

/// <summary>
/// The n-gram statistics of Gopher repetition without building a string per n-gram: an n-gram is
/// the index of its first word. Upstream joins with " " for the top n-gram (find_top_duplicate
/// over get_n_grams) and with "" for repeated n-grams (find_all_duplicate); with "" two different
/// word sequences can spell the same string, so equality there is on the joined characters, not
/// on the words. See <see cref="NGramIndex"/> for the hashes; equal hashes are always confirmed
/// (on word ids, or on the characters), so a collision costs time, never a wrong count.
/// </summary>
public static class NGrams
{
    [ThreadStatic]
    private static Slot[]? t_slots;

    [ThreadStatic]
    private static int t_stamp;

    /// <summary>
    /// One slot of the open-addressing n-gram table (16 bytes): 32 bits of the hash (the slot
    /// comes from the others), the first occurrence and its count. A slot is in use when its stamp
    /// is the current table's, so a new table costs no clearing.
    /// </summary>
    private struct Slot
    {
        public uint Check;
        public int Key;
        public int Stamp;
        public int Count;
    }

    /// <summary>This thread's table, empty, with at least twice <paramref name="count"/> slots, and its stamp.</summary>
    private static Slot[] Table(int count, out int mask, out int shift, out int stamp)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
        var slots = t_slots;
        stamp = ++t_stamp;
        if (slots is null || slots.Length < size || (slots.Length > 1 << 20 && slots.Length > size * 4) || stamp == int.MaxValue)
        {
            t_slots = slots = new Slot[size];
            t_stamp = stamp = 1;
        }
        mask = size - 1;
        shift = 64 - BitOperations.Log2((uint)size);
        return slots;
    }

    [ThreadStatic]
    private static ulong[]? t_hashes;

    [ThreadStatic]
    private static byte[]? t_sketch;

    /// <summary>
    /// The hash of every n-gram, and a sketch counting (up to 2) the n-grams that fall in each of
    /// about 8 buckets per n-gram. An n-gram alone in its bucket occurs once in the document: it is
    /// new where it stands and nothing else equals it, so it needs no table work at all.
    /// </summary>
    private static (ulong[] Hashes, byte[] Sketch, int Shift) Sketch(NGramIndex index, int count, int n, bool spaced)
    {
        var hashes = t_hashes;
        if (hashes is null || hashes.Length < count || (hashes.Length > 1 << 20 && hashes.Length > count * 4))
        {
            t_hashes = hashes = new ulong[Math.Max(count, 64)];
        }
        // A smaller sketch only lets more n-grams through to the table; at most 256 MB.
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Min(1L << 28, Math.Max(64L, count * 8L)));
        var sketch = t_sketch;
        if (sketch is null || sketch.Length < size || (sketch.Length > 1 << 22 && sketch.Length > size * 4))
        {
            t_sketch = sketch = new byte[size];
        }
        else
        {
            Array.Clear(sketch, 0, size);
        }
        int shift = 64 - BitOperations.Log2((uint)size);
        for (int i = 0; i < count; i++)
        {
            ulong h = spaced ? index.SpacedHash(i, n) : index.JoinedHash(i, n);
            hashes[i] = h;
            ref byte b = ref sketch[(int)((h * 0xD6E8FEB86659FD93UL) >> shift)];
            if (b < 2)
            {
                b++;
            }
        }
        return (hashes, sketch, shift);
    }

    /// <summary>Counter(" ".join n-grams).most_common(1): len(gram) * count, ties to the first seen; 0 if none.</summary>
    public static long TopDuplicateChars(WordList words, int n)
    {
        int count = words.Count - n + 1;
        if (count <= 0)
        {
            return 0;
        }
        var index = words.NGramIndex();
        var ids = index.Ids;
        var (hashes, sketch, sketchShift) = Sketch(index, count, n, spaced: true);
        var slots = Table(count, out int mask, out int shift, out int stamp);
        // Counter order is first occurrence, so the most common n-gram is the one with the highest
        // count and, among equals, the earliest first occurrence (the smallest key). When every
        // n-gram occurs once, that is the first one.
        int bestKey = 0;
        int bestCount = 1;
        for (int i = 0; i < count; i++)
        {
            ulong h = hashes[i];
            if (sketch[(int)((h * 0xD6E8FEB86659FD93UL) >> sketchShift)] < 2)
            {
                continue;
            }
            uint check = (uint)h;
            int slot = (int)((h * 0x9E3779B97F4A7C15UL) >> shift);
            while (true)
            {
                ref var entry = ref slots[slot];
                if (entry.Stamp != stamp)
                {
                    entry.Check = check;
                    entry.Key = i;
                    entry.Stamp = stamp;
                    entry.Count = 1;
                    break;
                }
                // Words hold no whitespace, so " ".join is equal exactly when the words are.
                if (entry.Check == check && SameIds(ids, entry.Key, i, n))
                {
                    int c = ++entry.Count;
                    if (c > bestCount || (c == bestCount && entry.Key < bestKey))
                    {
                        bestKey = entry.Key;
                        bestCount = c;
                    }
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        return (long)JoinedLength(words, bestKey, n, spaced: true) * bestCount;
    }

    /// <summary>find_all_duplicate: code points of repeated "".join n-grams, skipping past each repeat.</summary>
    public static long AllDuplicateChars(WordList words, int n)
    {
        int count = words.Count - n + 1;
        if (count <= 0)
        {
            return 0;
        }
        var index = words.NGramIndex();
        var (hashes, sketch, sketchShift) = Sketch(index, count, n, spaced: false);
        var slots = Table(count, out int mask, out int shift, out int stamp);
        long repeated = 0;
        int idx = 0;
        while (idx < count)
        {
            ulong h = hashes[idx];
            if (sketch[(int)((h * 0xD6E8FEB86659FD93UL) >> sketchShift)] < 2)
            {
                idx++;
                continue;
            }
            uint check = (uint)h;
            int slot = (int)((h * 0x9E3779B97F4A7C15UL) >> shift);
            bool seen = false;
            while (true)
            {
                ref var entry = ref slots[slot];
                if (entry.Stamp != stamp)
                {
                    entry.Check = check;
                    entry.Key = idx;
                    entry.Stamp = stamp;
                    break;
                }
                if (entry.Check == check && JoinedEqual(words, index.Ids, entry.Key, idx, n))
                {
                    seen = true;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if (seen)
            {
                repeated += JoinedLength(words, idx, n, spaced: false);
                idx += n;
            }
            else
            {
                idx++;
            }
        }
        return repeated;
    }

    private static int JoinedLength(WordList words, int start, int n, bool spaced)
    {
        int len = spaced ? n - 1 : 0;
        for (int k = 0; k < n; k++)
        {
            len += words.LengthOf(start + k);
        }
        return len;
    }

    private static bool SameIds(int[] ids, int a, int b, int n)
    {
        for (int k = 0; k < n; k++)
        {
            if (ids[a + k] != ids[b + k])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>"".join equality, on the characters (the same words are the same string; the same word lengths and other words are not).</summary>
    private static bool JoinedEqual(WordList words, int[] ids, int a, int b, int n)
    {
        if (SameIds(ids, a, b, n))
        {
            return true;
        }
        bool aligned = true;
        for (int k = 0; k < n && aligned; k++)
        {
            aligned = words[a + k].Length == words[b + k].Length;
        }
        if (aligned)
        {
            return false;
        }
        var x = new JoinedCursor(words, a, n);
        var y = new JoinedCursor(words, b, n);
        while (true)
        {
            bool hx = x.TryNext(out char cx);
            bool hy = y.TryNext(out char cy);
            if (hx != hy)
            {
                return false;
            }
            if (!hx)
            {
                return true;
            }
            if (cx != cy)
            {
                return false;
            }
        }
    }

    /// <summary>Walks the characters of n consecutive words as if they were concatenated.</summary>
    private struct JoinedCursor(WordList words, int start, int n)
    {
        private readonly int _end = start + n;
        private int _word = start;
        private int _pos;

        public bool TryNext(out char c)
        {
            while (_word < _end)
            {
                var w = words[_word];
                if (_pos < w.Length)
                {
                    c = w[_pos++];
                    return true;
                }
                _word++;
                _pos = 0;
            }
            c = '\0';
            return false;
        }
    }
}

/// <summary>
/// What the n-gram counts need of one word list, computed once: an id per distinct word (words
/// interned by content), prefix hashes of the id sequence (an n-gram of ids hashes in O(1), for
/// the " "-joined n-grams, which are equal exactly when their words are), and prefix polynomial
/// hashes of the words' concatenated characters with the powers of the base and of its inverse
/// (a ""-joined n-gram's string hashes in O(1): h(s[a..b]) = P[b] - P[a]·B^(b-a), all mod 2^64,
/// where B is odd and so invertible). Buffers are reused from document to document.
/// </summary>
internal sealed class NGramIndex
{
    /// <summary>Base of the character hash (odd) and its inverse mod 2^64.</summary>
    private const ulong B = 0x9E3779B97F4A7C15UL;
    private static readonly ulong BInverse = Inverse(B);

    /// <summary>Base of the id-sequence hash and its powers (n-grams are short).</summary>
    private const ulong K = 0xC2B2AE3D27D4EB4FUL;
    private static readonly ulong[] KPowers = Enumerable.Range(0, 64).Select(n => Power(K, n)).ToArray();

    /// <summary>B^len and B^-len for the usual word lengths.</summary>
    private static readonly ulong[] BPowers = Enumerable.Range(0, 64).Select(n => Power(B, n)).ToArray();
    private static readonly ulong[] BInversePowers = Enumerable.Range(0, 64).Select(n => Power(BInverse, n)).ToArray();

    private int[] _ids = [];
    private ulong[] _idPrefix = [];
    private ulong[] _charPrefix = [];
    private ulong[] _power = [];
    private ulong[] _inversePower = [];
    private int[] _representative = [];
    private Slot[] _slots = [];

    private struct Slot
    {
        public ulong Hash;
        public int Id;
    }

    /// <summary>The id of each word (equal ids: equal words).</summary>
    public int[] Ids => _ids;

    public void Build(WordList words)
    {
        int n = words.Count;
        if (_ids.Length < n)
        {
            int size = Math.Max(n, _ids.Length * 2);
            _ids = new int[size];
            _representative = new int[size];
            _idPrefix = new ulong[size + 1];
            _charPrefix = new ulong[size + 1];
            _power = new ulong[size + 1];
            _inversePower = new ulong[size + 1];
        }
        int tableSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, n * 2));
        if (_slots.Length < tableSize || (_slots.Length > 1 << 20 && _slots.Length > tableSize * 4))
        {
            _slots = new Slot[tableSize];
        }
        else
        {
            Array.Clear(_slots, 0, tableSize);
        }
        int mask = tableSize - 1;
        int shift = 64 - BitOperations.Log2((uint)tableSize);
        int distinct = 0;
        _idPrefix[0] = 0;
        _charPrefix[0] = 0;
        _power[0] = 1;
        _inversePower[0] = 1;
        for (int i = 0; i < n; i++)
        {
            var word = words[i];
            ulong h = 0;
            foreach (char c in word)
            {
                h = h * B + c;
            }
            ulong p = word.Length < BPowers.Length ? BPowers[word.Length] : Power(B, word.Length);
            ulong q = word.Length < BInversePowers.Length ? BInversePowers[word.Length] : Power(BInverse, word.Length);
            _charPrefix[i + 1] = _charPrefix[i] * p + h;
            _power[i + 1] = _power[i] * p;
            _inversePower[i + 1] = _inversePower[i] * q;
            // Intern the word: slot Id is id + 1 (0: empty).
            int slot = (int)((h * 0x9E3779B97F4A7C15UL) >> shift);
            int id;
            while (true)
            {
                ref var entry = ref _slots[slot];
                if (entry.Id == 0)
                {
                    id = distinct++;
                    _representative[id] = i;
                    entry.Hash = h;
                    entry.Id = id + 1;
                    break;
                }
                if (entry.Hash == h && words[_representative[entry.Id - 1]].SequenceEqual(word))
                {
                    id = entry.Id - 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            _ids[i] = id;
            _idPrefix[i + 1] = _idPrefix[i] * K + (ulong)id + 1;
        }
    }

    /// <summary>Hash of the ids of words [i, i+n): equal sequences of words hash equal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong SpacedHash(int i, int n) => _idPrefix[i + n] - _idPrefix[i] * (n < KPowers.Length ? KPowers[n] : Power(K, n));

    /// <summary>Polynomial hash of the concatenated characters of words [i, i+n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong JoinedHash(int i, int n) => _charPrefix[i + n] - _charPrefix[i] * (_power[i + n] * _inversePower[i]);

    private static ulong Inverse(ulong odd)
    {
        // Newton's iteration for the inverse mod 2^64: each step doubles the correct low bits.
        ulong x = odd;
        for (int i = 0; i < 6; i++)
        {
            x *= 2 - odd * x;
        }
        return x;
    }

    private static ulong Power(ulong b, int n)
    {
        ulong r = 1;
        for (int i = 0; i < n; i++)
        {
            r *= b;
        }
        return r;
    }
}
