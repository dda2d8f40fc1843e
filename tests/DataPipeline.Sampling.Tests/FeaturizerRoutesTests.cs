using System.Security.Cryptography;
using System.Text;
using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Sampling.Tests;

/// <summary>
/// The UTF-8 route (one pass over bytes, ASCII table, Python tables for the rest) and the general UTF-16 route
/// give the same tokens and counts; the managed short-message SHA-256 equals the platform's; the id cache never
/// changes a result, whatever its bound.
/// </summary>
public sealed class FeaturizerRoutesTests
{
    private static readonly DsirFeatureOptions Options = new();

    // Python-specific corners: \x1c-\x1f are spaces, U+0130 grows, Σ depends on context, non-BMP letters and
    // digits are words, marks (Mn) are words, U+00B2 and Roman numerals are words, NBSP/ideographic spaces split.
    public static TheoryData<string> Tricky() =>
    [
        "",
        "   ",
        "Hello, World!! it's 3.14 -- foo_bar",
        "a\u001cb\u001fc\u0085d\u00a0e\u3000f\u2028g",
        "İstanbul İ",
        "ΟΔΟΣ ΟΔΟΣ. Σ ΑΣ. aΣb ΣΑ",
        "café naïve Ünïcödé ÀÉÎÕÜ ß ẞ",
        "x²³ Ⅻ ⅻ 〇 ①",
        "𝐀𝐁𝐂 𐐀𐐁 😀😀 a😀b",
        "Ⱥ Ⱦ ǅ ǈ ᾈ",
        "e\u0301 \u0301x \u200d\u200c",
        "日本語のテキスト、句読点。",
        "tab\tnew\nline\r\nvt\u000bff\u000c",
        "!!!???...,,,;;; ---___",
        // ASCII word runs around the 32-byte vector of the word-run fast path, ended by each kind of byte and by the text's end.
        "x" + new string('Q', 30) + "9_ " + new string('a', 31) + "Z" + new string('b', 32) + "é" + new string('C', 33) + "!" + new string('d', 63) + "\u0085" + new string('E', 64) + "[\u007f]" + new string('f', 65),
        "Ab_9" + string.Concat(Enumerable.Repeat("HeLLo_World09", 10)) + "ÀÉ" + string.Concat(Enumerable.Repeat("aZ@[`{", 12)) + new string('z', 40),
    ];

    [Theory]
    [MemberData(nameof(Tricky))]
    public void Utf8_route_equals_the_general_route_on_python_corner_cases(string text) => AssertRoutesAgree(text);

    [Fact]
    public void Utf8_route_equals_the_general_route_on_every_golden_document()
    {
        foreach (string file in new[] { "dev_raw.jsonl", "dev_target.jsonl" })
        {
            foreach (var (_, text) in GoldenFiles.ReadDocuments(file))
            {
                AssertRoutesAgree(text);
            }
        }
    }

    [Fact]
    public void Utf8_route_tokenizes_ascii_and_defers_only_on_context_dependent_lowering()
    {
        var featurizer = new DsirFeaturizer(Options);
        Assert.Equal(["hello", ",", "wörld", "!!", "it", "'", "s"], featurizer.TokensOfUtf8Route("Hello, WÖrld!! it's"u8)!);
        Assert.Null(featurizer.TokensOfUtf8Route("İ"u8));
        Assert.Null(featurizer.TokensOfUtf8Route("ΟΔΟΣ"u8));
        Assert.Null(featurizer.TokensOfUtf8Route([0x61, 0xFF, 0x62]));
    }

    [Fact]
    public void Invalid_utf8_is_featurized_as_its_replacement_decoding()
    {
        byte[] bytes = [0x61, 0x62, 0xFF, 0x63, 0x20, 0xED, 0xA0, 0x80, 0x64];
        var featurizer = new DsirFeaturizer(Options);
        var fromBytes = new DocumentFeatures(Options.NumBuckets);
        var fromText = new DocumentFeatures(Options.NumBuckets);
        featurizer.Featurize(bytes, fromBytes);
        featurizer.Featurize(Encoding.UTF8.GetString(bytes), fromText);
        AssertSame(fromText, fromBytes);
    }

    [Fact]
    public void Managed_sha256_equals_the_platform_on_every_length_around_one_block()
    {
        var random = new Random(7);
        Span<byte> ours = stackalloc byte[32];
        Span<byte> platform = stackalloc byte[32];
        for (int length = 0; length <= 130; length++)
        {
            for (int trial = 0; trial < 20; trial++)
            {
                byte[] message = new byte[length];
                random.NextBytes(message);
                Sha256Short.HashData(message, ours);
                SHA256.HashData(message, platform);
                Assert.True(ours.SequenceEqual(platform), $"length {length}");
                Assert.Equal(NgramBucketHasher.BucketPlatform(message, 10_000), NgramBucketHasher.Bucket(message, 10_000));
            }
        }
    }

    [Fact]
    public void Cache_bound_and_eviction_never_change_the_features()
    {
        var docs = GoldenFiles.ReadDocuments("dev_raw.jsonl").Take(300).Select(d => Encoding.UTF8.GetBytes(d.Text)).ToArray();
        var reference = new DsirFeaturizer(Options, cacheCapacity: 0);
        var featurizers = new[] { new DsirFeaturizer(Options, cacheCapacity: 1), new DsirFeaturizer(Options, cacheCapacity: 500), new DsirFeaturizer(Options) };
        var expected = new DocumentFeatures(Options.NumBuckets);
        var actual = new DocumentFeatures(Options.NumBuckets);
        foreach (byte[] doc in docs.Concat(docs))
        {
            reference.Featurize(doc, expected);
            foreach (var featurizer in featurizers)
            {
                featurizer.Featurize(doc, actual);
                AssertSame(expected, actual);
            }
        }

        // The small caches really evicted and the default one really saved hashing.
        Assert.True(featurizers[1].HashCount > featurizers[2].HashCount);
        Assert.True(reference.HashCount > featurizers[1].HashCount);
    }

    private static void AssertRoutesAgree(string text)
    {
        var featurizer = new DsirFeaturizer(Options);
        var trace = featurizer.Trace(text);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        string[]? tokens = featurizer.TokensOfUtf8Route(utf8);
        if (tokens is not null)
        {
            // The general route keeps a lone surrogate as a token character where UTF-8 has U+FFFD.
            Assert.Equal(trace.Tokens.Select(t => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(t))), tokens);
        }

        var fromText = new DocumentFeatures(Options.NumBuckets);
        var fromBytes = new DocumentFeatures(Options.NumBuckets);
        new DsirFeaturizer(Options, cacheCapacity: 0).Featurize(text, fromText);
        featurizer.Featurize(utf8, fromBytes);
        AssertSame(fromText, fromBytes);
    }

    private static void AssertSame(DocumentFeatures expected, DocumentFeatures actual)
    {
        Assert.Equal(expected.TotalNgrams, actual.TotalNgrams);
        Assert.Equal(expected.Buckets.ToArray(), actual.Buckets.ToArray());
        Assert.Equal(expected.Buckets.ToArray().Select(expected.CountOf), actual.Buckets.ToArray().Select(actual.CountOf));
    }
}
