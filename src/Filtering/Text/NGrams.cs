using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Text;

/// <summary>
/// The n-gram statistics of Gopher repetition without building a string per n-gram: an n-gram is
/// the index of its first word, compared and hashed through the words' characters. Upstream joins
/// with " " for the top n-gram (find_top_duplicate over get_n_grams) and with "" for repeated
/// n-grams (find_all_duplicate); with "" two different word sequences can spell the same string,
/// so equality here is on the joined characters, not on the words.
/// </summary>
public static class NGrams
{
    /// <summary>Counter(" ".join n-grams).most_common(1): len(gram) * count, ties to the first seen; 0 if none.</summary>
    public static long TopDuplicateChars(WordList words, int n)
    {
        int count = words.Count - n + 1;
        if (count <= 0)
        {
            return 0;
        }
        var counts = new Dictionary<int, int>(new NGramComparer(words, n, spaced: true));
        for (int i = 0; i < count; i++)
        {
            counts[i] = counts.TryGetValue(i, out int c) ? c + 1 : 1;
        }
        // Keys keep the first index of each n-gram; the highest count wins, ties to the earliest.
        int bestIndex = -1;
        int bestCount = 0;
        foreach (var (index, c) in counts)
        {
            if (c > bestCount || (c == bestCount && index < bestIndex))
            {
                bestIndex = index;
                bestCount = c;
            }
        }
        return (long)JoinedLength(words, bestIndex, n, spaced: true) * bestCount;
    }

    /// <summary>find_all_duplicate: code points of repeated "".join n-grams, skipping past each repeat.</summary>
    public static long AllDuplicateChars(WordList words, int n)
    {
        var seen = new HashSet<int>(new NGramComparer(words, n, spaced: false));
        long repeated = 0;
        int idx = 0;
        while (idx < words.Count - n + 1)
        {
            if (seen.Add(idx))
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

    private sealed class NGramComparer(WordList words, int n, bool spaced) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b)
        {
            if (a == b)
            {
                return true;
            }
            if (spaced)
            {
                // Words hold no whitespace, so " ".join is equal exactly when the words are.
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

        public int GetHashCode(int start)
        {
            var h = new HashCode();
            for (int k = 0; k < n; k++)
            {
                if (spaced && k > 0)
                {
                    h.Add(' ');
                }
                foreach (char c in words[start + k])
                {
                    h.Add(c);
                }
            }
            return h.ToHashCode();
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
