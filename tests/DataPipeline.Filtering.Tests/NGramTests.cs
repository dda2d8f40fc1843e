using DataPipeline.Filtering.Text;
using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Tests;

public sealed class NGramTests
{
    [Fact]
    public void Top_ngram_is_length_times_count_with_ties_to_the_first()
    {
        var words = WordList.Split("aa b aa b c dddd c dddd");
        // "aa b" ×2 = 8, "c dddd" ×2 = 12: the higher product is not what wins, the first of the top counts is.
        Assert.Equal(8, NGrams.TopDuplicateChars(words, 2));
    }

    [Fact]
    public void Repeated_ngrams_skip_past_each_repeat_and_join_without_spaces()
    {
        var words = WordList.Split("x y x y x y");
        // bigrams "xy","yx","xy"(repeat, skip 2) → idx 4 "xy" repeat → 2 + 2
        Assert.Equal(4, NGrams.AllDuplicateChars(words, 2));
        // "".join makes ("ab","c") equal ("a","bc")
        Assert.Equal(3, NGrams.AllDuplicateChars(WordList.Split("ab c a bc"), 2));
    }

    [Fact]
    public void Duplicates_count_second_and_later_occurrences()
    {
        const string text = "a\nbb\na\nbb\nbb";
        var (elements, chars) = Duplicates.Find(text, LineSplitter.SplitOn(text, '\n'));
        Assert.Equal(3, elements);
        Assert.Equal(5, chars);
    }
}

/// <summary>The hashed n-gram and duplicate counts against direct implementations of upstream's Python, on random texts.</summary>
public sealed class NGramReferenceTests
{
    // A small vocabulary with pieces that concatenate to the same strings ("ab"+"c" = "a"+"bc"),
    // an astral character (code-point lengths) and a word longer than the others.
    private static readonly string[] Vocabulary = ["a", "b", "ab", "c", "bc", "abc", "x😀", "😀", "the", "of", "extraordinarily"];

    private static IEnumerable<string> RandomTexts(int seed)
    {
        var random = new Random(seed);
        for (int t = 0; t < 400; t++)
        {
            int n = random.Next(0, 120);
            var vocabulary = Vocabulary.Take(random.Next(2, Vocabulary.Length + 1)).ToArray();
            yield return string.Join(' ', Enumerable.Range(0, n).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
        }
    }

    private static int Len(string s) => s.EnumerateRunes().Count();

    /// <summary>find_top_duplicate(get_n_grams(words, n)): Counter(...).most_common(1), len * count.</summary>
    private static long TopReference(List<string> words, int n)
    {
        var grams = Enumerable.Range(0, Math.Max(0, words.Count - n + 1)).Select(i => string.Join(" ", words.Skip(i).Take(n))).ToList();
        if (grams.Count == 0)
        {
            return 0;
        }
        var counts = new Dictionary<string, int>();
        var order = new List<string>();
        foreach (var g in grams)
        {
            if (!counts.TryAdd(g, 1))
            {
                counts[g]++;
            }
            else
            {
                order.Add(g);
            }
        }
        var best = order[0];
        foreach (var g in order)
        {
            if (counts[g] > counts[best])
            {
                best = g;
            }
        }
        return (long)Len(best) * counts[best];
    }

    /// <summary>find_all_duplicate(words, n).</summary>
    private static long AllReference(List<string> words, int n)
    {
        var unique = new HashSet<string>();
        long repeated = 0;
        int idx = 0;
        while (idx < words.Count - n + 1)
        {
            var gram = string.Concat(words.Skip(idx).Take(n));
            if (unique.Add(gram))
            {
                idx++;
            }
            else
            {
                repeated += Len(gram);
                idx += n;
            }
        }
        return repeated;
    }

    [Fact]
    public void Hashed_counts_equal_upstreams_on_random_texts()
    {
        foreach (var text in RandomTexts(11))
        {
            var words = WordList.Split(text);
            var strings = words.ToStrings().ToList();
            for (int n = 1; n <= 10; n++)
            {
                Assert.True(TopReference(strings, n) == NGrams.TopDuplicateChars(words, n), $"top {n}-gram of '{text}'");
                Assert.True(AllReference(strings, n) == NGrams.AllDuplicateChars(words, n), $"repeated {n}-grams of '{text}'");
            }
        }
    }

    [Fact]
    public void Duplicate_parts_equal_upstreams_on_random_texts()
    {
        foreach (var text in RandomTexts(12).Select(t => t.Replace(' ', '\n')))
        {
            var parts = LineSplitter.SplitOn(text, '\n');
            var seen = new HashSet<string>();
            int elements = 0;
            long chars = 0;
            foreach (var p in parts.Select(r => text[r]))
            {
                if (!seen.Add(p))
                {
                    elements++;
                    chars += Len(p);
                }
            }
            Assert.Equal((elements, chars), Duplicates.Find(text, parts));
        }
    }
}
