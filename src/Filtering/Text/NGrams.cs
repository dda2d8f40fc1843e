using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Text;

/// <summary>
/// The n-gram statistics of Gopher repetition without building a string per n-gram: an n-gram is
/// the index of its first word. Upstream joins with " " for the top n-gram (find_top_duplicate
/// over get_n_grams) and with "" for repeated n-grams (find_all_duplicate); with "" two different
/// word sequences can spell the same string, so equality there is on the joined characters, not
/// on the words. Each n-gram's hash is the polynomial hash of its joined string, combined from
/// the words' hashes (<see cref="WordList.WordHashes"/>), so equal strings always hash equal;
/// equal hashes are then confirmed on the characters.
/// </summary>
public static class NGrams
{
    /// <summary>The polynomial hash base (odd).</summary>
    internal const ulong Base = 0x9E3779B97F4A7C15UL;

    [ThreadStatic]
    private static HashIndex? t_index;

    /// <summary>Counter(" ".join n-grams).most_common(1): len(gram) * count, ties to the first seen; 0 if none.</summary>
    public static long TopDuplicateChars(WordList words, int n)
    {
        int count = words.Count - n + 1;
        if (count <= 0)
        {
            return 0;
        }
        var (hashes, powers) = words.WordHashes();
        var index = t_index ??= new HashIndex();
        index.Reset(count);
        var equality = new SpacedEquality(words, n);
        for (int i = 0; i < count; i++)
        {
            ulong h = hashes[i];
            for (int k = 1; k < n; k++)
            {
                h = ((h * Base) + ' ') * powers[i + k] + hashes[i + k];
            }
            int entry = index.FindOrAdd(h, i, ref equality, out _);
            index.ValueAt(entry)++;
        }
        // Entries are numbered by first occurrence: the first with the highest count wins ties.
        int best = 0;
        for (int e = 1; e < index.Count; e++)
        {
            if (index.ValueAt(e) > index.ValueAt(best))
            {
                best = e;
            }
        }
        return (long)JoinedLength(words, index.KeyAt(best), n, spaced: true) * index.ValueAt(best);
    }

    /// <summary>find_all_duplicate: code points of repeated "".join n-grams, skipping past each repeat.</summary>
    public static long AllDuplicateChars(WordList words, int n)
    {
        int count = words.Count - n + 1;
        if (count <= 0)
        {
            return 0;
        }
        var (hashes, powers) = words.WordHashes();
        var index = t_index ??= new HashIndex();
        index.Reset(count);
        var equality = new JoinedEquality(words, n);
        long repeated = 0;
        int idx = 0;
        while (idx < count)
        {
            ulong h = hashes[idx];
            for (int k = 1; k < n; k++)
            {
                h = h * powers[idx + k] + hashes[idx + k];
            }
            index.FindOrAdd(h, idx, ref equality, out bool added);
            if (added)
            {
                idx++;
            }
            else
            {
                repeated += JoinedLength(words, idx, n, spaced: false);
                idx += n;
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

    /// <summary>" ".join equality: words hold no whitespace, so the strings are equal exactly when the words are.</summary>
    private readonly struct SpacedEquality(WordList words, int n) : IKeyEquality
    {
        public bool Equals(int a, int b)
        {
            for (int k = 0; k < n; k++)
            {
                if (!words[a + k].SequenceEqual(words[b + k]))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>"".join equality, on the characters.</summary>
    private readonly struct JoinedEquality(WordList words, int n) : IKeyEquality
    {
        public bool Equals(int a, int b)
        {
            bool aligned = true;
            for (int k = 0; k < n && aligned; k++)
            {
                aligned = words[a + k].Length == words[b + k].Length;
            }
            if (aligned)
            {
                // same word boundaries: the joined strings are equal exactly when the words are
                for (int k = 0; k < n; k++)
                {
                    if (!words[a + k].SequenceEqual(words[b + k]))
                    {
                        return false;
                    }
                }
                return true;
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
