using System.IO.Hashing;
using System.Text;
using DataPipeline.Dedup.MinHash;
using DataPipeline.Dedup.Text;

namespace DataPipeline.Dedup.Tests;

public class ShinglerTests
{
    private static ulong H(string s) => XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Word_shingles_are_xxh64_of_space_joined_normalised_5_grams()
    {
        var shingler = new Shingler(new MinHashOptions());
        Assert.Equal([H("one two three four five"), H("two three four five six")], shingler.Shingles("One, two;  THREE four—five six."));
        Assert.Empty(shingler.Shingles("only four words here")); // fewer than n words: no signature, as upstream
    }

    [Fact]
    public void Inlined_shingle_hash_is_xxh64_for_every_length_and_alignment()
    {
        var rng = new Random(5);
        var data = new byte[400];
        rng.NextBytes(data);
        for (int length = 0; length <= 300; length++)
        {
            for (int offset = 0; offset < 9; offset++)
            {
                var slice = data.AsSpan(offset, length);
                Assert.Equal(XxHash64.HashToUInt64(slice), ShingleHash.Hash(slice));
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Word_shingle_hashes_are_xxh64_of_each_window_for_any_word_lengths(bool lanes)
    {
        // Word lengths 1..30 give windows from 9 to ~150 bytes: both sides of 32 and 64, and texts that
        // end less than a 64-byte window after a shingle's start.
        var rng = new Random(13);
        var shingler = new Shingler(new MinHashOptions()) { UseLanes = lanes };
        var list = new List<ulong>();
        for (int t = 0; t < 500; t++)
        {
            int words = rng.Next(1, 80);
            int longest = rng.Next(3) == 0 ? 30 : 9;
            var text = string.Join(' ', Enumerable.Range(0, words).Select(_ => new string((char)('a' + rng.Next(26)), rng.Next(1, longest + 1))));
            var utf8 = Encoding.UTF8.GetBytes(text);
            list.Clear();
            shingler.AppendWordShingles(utf8, list);
            var split = text.Split(' ');
            var expected = Enumerable.Range(0, Math.Max(0, split.Length - 4)).Select(i => H(string.Join(' ', split[i..(i + 5)]))).ToList();
            Assert.Equal(expected, list);
        }
    }

    [Fact]
    public void Character_shingles_are_code_point_windows()
    {
        var shingler = new Shingler(new MinHashOptions { Shingles = ShingleKind.Characters, NGram = 3, Normalize = false });
        Assert.Equal([H("a😀b"), H("😀bc")], shingler.Shingles("a😀bc"));
        Assert.Empty(shingler.Shingles("ab"));
    }

    /// <summary>Texts that exercise every branch of the UTF-8 fast path and its hand-off to the general path.</summary>
    private static IEnumerable<string> EdgeTexts()
    {
        string[] pieces = ["", " ", "A", "1", "1.5", "1,5,7", "1.", ".5", "x.5", "3.14159", "١٢", "1١", "1.١", "’", "“quoted”", "a—b", "\u00a0", "\u00e9",
            "e\u0301", " \u0301 ", "ΣΑΣ", "İ", "\u0085", "\u2028", "\u001f", "\u007f", "tab\there", "\r\n", "😀", "ß", "ﬁ", "Ⅻ", "²", "don't", "U.S.A.", "x\u0000y",
            "한국어", "Tiếng Việt", "ἀρχή", "हिन्दी", "العربية", "Ça", "Ǆemal", "ΟΔΟΣ", "1،5", "2٫5", "Ⅷ", "Ⓐ", "ǅ", "ﬃ"];
        var rng = new Random(3);
        foreach (var p in pieces) yield return System.Text.RegularExpressions.Regex.Unescape(p);
        for (int i = 0; i < 3000; i++)
        {
            int n = rng.Next(1, 12);
            yield return string.Concat(Enumerable.Range(0, n).Select(_ => System.Text.RegularExpressions.Regex.Unescape(pieces[rng.Next(pieces.Length)]) + (rng.Next(3) == 0 ? " " : "")));
        }
    }

    private static byte[] Reference(string text)
    {
        // The general normaliser, words then joined by single spaces as datatrove's split/join does.
        var words = DedupTextNormalizer.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Encoding.UTF8.GetBytes(string.Join(' ', words));
    }

    [Fact]
    public void Utf8_normaliser_gives_the_general_normalisers_bytes_on_the_corpus_and_edge_cases()
    {
        var normalizer = new Utf8Normalizer();
        foreach (var text in TestData.Corpus.Select(c => c.Text).Concat(EdgeTexts()).Concat(TestData.RandomTexts(2000, 11)))
        {
            normalizer.Normalize(text);
            Assert.True(Reference(text).AsSpan().SequenceEqual(normalizer.Result), $"differs for {System.Text.Json.JsonSerializer.Serialize(text[..Math.Min(text.Length, 200)])}");
        }
        // The fast path must actually carry most of the real corpus, or it is not worth having.
        var corpus = new Utf8Normalizer();
        foreach (var (_, text) in TestData.Corpus) corpus.Normalize(text);
        Assert.True(corpus.SlowPathDocuments < TestData.Corpus.Count / 2, $"general path took {corpus.SlowPathDocuments} of {TestData.Corpus.Count} corpus texts");
    }

    /// <summary>
    /// Long random texts drawn from pieces that hit every case of the 32-byte ASCII blocks at every
    /// alignment (runs of punctuation and whitespace across block edges, digit runs and decimal parts
    /// inside, before and across block edges (every other text is digit-heavy),
    /// capitals, multi-byte letters, marks, context-dependent code points, emoji and other astral ones).
    /// </summary>
    public static IEnumerable<string> MixedTexts(int count, int seed)
    {
        string[] pieces = ["a", "Z", "word", "Word", "WORD", " ", "  ", ", ", ". ", "...", "1", "23", ".", ",", "\t", "\n", "\r\n", "\u000b", "\u001f", "\u007f", "'", "\"", "-", "_", "@",
            "[", "`", "{", "~", "0", "7", "1984", "3.14", "1,000", "1.", ".5", "é", "É", "e\u0301", " \u0301 ", "ß", "İ", "σ",
            "—", "“", "”", "’", "\u00a0", "\u2028", "\u3000", "一", "數據", "한국어", "ﬁ", "Ⅻ", "²", "😀", "👍🏽", "𝐀", "𐐀", "𐐨", "\U0001D167"];
        // Code points that depend on their neighbours (the general path's cases), in every fourth text.
        string[] contextual = ["١٢", "1١", "2.٣", "1,٣", "Σ", "ΟΔΟΣ ", "𝟎", "\ud800"];
        var rng = new Random(seed);
        for (int t = 0; t < count; t++)
        {
            var sb = new StringBuilder();
            int n = rng.Next(0, 400);
            // Mostly ASCII, as real text is, so that long ASCII stretches (full blocks) occur.
            for (int k = 0; k < n; k++)
            {
                var piece = t % 4 == 3 && rng.Next(40) == 0 ? contextual[rng.Next(contextual.Length)]
                    : rng.Next(4) == 0 ? pieces[rng.Next(pieces.Length)] : pieces[rng.Next(t % 2 == 0 ? 10 : 14)];
                sb.Append(System.Text.RegularExpressions.Regex.Unescape(piece));
            }
            yield return sb.ToString();
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Utf8_normaliser_equals_the_general_normaliser_on_long_random_mixed_texts(bool vectors, bool compress)
    {
        // Each code path the hardware offers (vpcompressb, the portable gap closing, scalar only) on its own.
        var normalizer = new Utf8Normalizer(vectors, compress);
        long fast = 0;
        foreach (var text in MixedTexts(4000, 17))
        {
            long before = normalizer.SlowPathDocuments;
            normalizer.Normalize(text);
            if (normalizer.SlowPathDocuments == before) fast++;
            Assert.True(Reference(text).AsSpan().SequenceEqual(normalizer.Result), $"differs for {System.Text.Json.JsonSerializer.Serialize(text)}");
        }
        // Without this the test would pass with a fast path that gives every text up.
        Assert.True(fast > 1000, $"only {fast} of 4000 texts stayed on the fast path");
    }

    [Fact]
    public void Utf8_normaliser_handles_astral_code_points_on_the_fast_path()
    {
        var normalizer = new Utf8Normalizer();
        foreach (var text in (string[])["smile 😀 please", "𝐀𝐁𝐂 bold", "𐐀𐐁 Deseret capitals", "a \U0001D167 b"])
        {
            var t = System.Text.RegularExpressions.Regex.Unescape(text);
            normalizer.Normalize(t);
            Assert.Equal(Reference(t), normalizer.Result.ToArray());
        }
        Assert.Equal(0, normalizer.SlowPathDocuments);
        normalizer.Normalize("𝟎𝟏 mathematical digits"); // astral digits join numbers: the general path
        Assert.Equal(1, normalizer.SlowPathDocuments);
    }

    [Fact]
    public void Utf8_word_shingles_equal_the_string_path()
    {
        var shingler = new Shingler(new MinHashOptions());
        var normalizer = new Utf8Normalizer();
        var list = new List<ulong>();
        foreach (var text in TestData.Corpus.Select(c => c.Text).Concat(EdgeTexts()))
        {
            normalizer.Normalize(text);
            list.Clear();
            shingler.AppendWordShingles(normalizer.Result, list);
            Assert.Equal(shingler.Shingles(text), list);
        }
    }
}
