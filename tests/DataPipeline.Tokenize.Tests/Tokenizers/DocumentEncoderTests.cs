using System.Text;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

/// <summary>
/// <see cref="DocumentEncoder"/> must give exactly the ids of the tokenizer it wraps
/// (Microsoft.ML.Tokenizers' EncodeToIds over its own pre-tokenizer): on real documents, on text made
/// to hit every alternative of the split patterns, with special tokens in the text, and with a cache
/// so small that it keeps starting again.
/// </summary>
public sealed class DocumentEncoderTests
{
    private static readonly Lazy<List<string>> Documents = new(() => SampleCorpus.Documents(part: 1, count: 400));

    /// <summary>Texts that exercise the patterns' corners: trailing whitespace ((?>\s+)$), CR/LF runs, digit runs cut in threes, contractions in either case, symbols before letters, non-Latin scripts, combining marks, surrogate pairs, lone surrogates, long runs.</summary>
    private static readonly string[] EdgeTexts =
    [
        "", " ", "   ", "\n", "\r\n", "a  ", "a \n", "a\n\n  b", "  \r\n\r\n x", "x\t\t\ty", "end with spaces   ",
        "1234567 12 1 123456789012", "3.14159, -42 and 1e10", "I'M you'LL we'Ve it's DON'T", "'s 's'", "'''",
        "$$$hello !!!world ...", "\"quoted\" (paren) [bracket] {brace}", "a/b\\c|d", "e-mail: someone@example.com",
        "Ünïcödé naïve café", "日本語のテキストです。", "Привет, мир!", "مرحبا بالعالم", "한국어 텍스트", "e\u0301 a\u0308",
        "emoji 😀👍🏽 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "lone \uD800 surrogate \uDC00 here", "\u00A0nbsp\u2003em space\u3000ideographic",
        new string('a', 300), new string(' ', 200) + "x", string.Concat(Enumerable.Repeat("ab1 ", 100)),
        "mixedCASEWords andCamelCase HTTPServer", "tabs\tand\vvertical\fform", "\u0085next line\u2028ls\u2029ps",
    ];

    private static readonly string[] SpecialTexts =
    [
        "<|endoftext|>", "a<|endoftext|>b", "<|endoftext|><|endoftext|>", "  <|endoftext|>  ", "text\n<|endoftext|>\nmore",
        "<|endofprompt|> then <|fim_prefix|>x<|fim_suffix|>y<|fim_middle|>", "<|endoftext", "|endoftext|>", "<|unknown|>",
    ];

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    [InlineData("r50k_base")]
    [InlineData("gpt2")]
    public void Named_encodings_give_the_tokenizers_own_ids(string encoding)
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named(encoding));
        var encoder = new DocumentEncoder(tokenizer);
        Assert.True(encoder.IsCached);
        AssertSameIds(tokenizer, encoder, Documents.Value.Concat(EdgeTexts).Concat(SpecialTexts).Concat(Documents.Value));
        Assert.True(encoder.Cache.Count > 1000, "the corpus should fill the cache");
    }

    /// <summary>
    /// Microsoft.ML.Tokenizers finds a special token's id in its LRU word cache; after a few hundred
    /// documents it has been evicted and the bare tokenizer would give the bytes of its text. Ours cut
    /// special tokens out first, so the id never depends on what was encoded before.
    /// </summary>
    [Fact]
    public void A_special_token_in_the_text_is_its_id_whatever_was_encoded_before()
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named("o200k_base") with { AddEos = false });
        var encoder = new DocumentEncoder(tokenizer);
        var ids = new List<int>();
        foreach (var text in Documents.Value)
        {
            tokenizer.Encode(text);
            encoder.Encode(text.AsSpan(), ids);
        }
        Assert.Equal([24912, 199999, 2375], tokenizer.Encode("hello<|endoftext|> world"));
        ids.Clear();
        encoder.Encode("hello<|endoftext|> world".AsSpan(), ids);
        Assert.Equal([24912, 199999, 2375], ids);
    }

    [Fact]
    public void A_cache_that_keeps_filling_up_changes_no_id()
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base"));
        var encoder = new DocumentEncoder(tokenizer, maxCachedPieces: 50);
        AssertSameIds(tokenizer, encoder, Documents.Value.Take(100).Concat(EdgeTexts));
        Assert.True(encoder.Cache.Resets > 10);
        Assert.True(encoder.Cache.Count <= 50);
    }

    [Fact]
    public void Utf8_and_utf16_input_give_the_same_ids()
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named("o200k_base"));
        var encoder = new DocumentEncoder(tokenizer);
        var a = new List<int>();
        var b = new List<int>();
        foreach (var text in Documents.Value.Take(50).Concat(EdgeTexts.Where(t => !t.Contains("lone", StringComparison.Ordinal))))
        {
            a.Clear();
            b.Clear();
            encoder.Encode(text.AsSpan(), a);
            encoder.Encode(Encoding.UTF8.GetBytes(text), b);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void Bos_and_eos_frame_each_document_as_the_tokenizer_does()
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base") with { Bos = SpecialTokenRef.Parse("<|endofprompt|>"), AddBos = true });
        var encoder = new DocumentEncoder(tokenizer);
        var ids = new List<int> { 7 };
        encoder.Encode("hello world".AsSpan(), ids);
        Assert.Equal([7, 100276, 15339, 1917, 100257], ids);
    }

    /// <summary>The path a Llama 3 tokenizer.model takes: a tiktoken file with its pattern and special tokens.</summary>
    [Fact]
    public void Tiktoken_file_with_special_tokens_gives_the_tokenizers_own_ids()
    {
        using var dir = new TempDir();
        string path = dir.File("cl100k_base.tiktoken");
        File.WriteAllBytes(path, TiktokenTokenizerTests.BundledRanks("Cl100kBase", "cl100k_base.tiktoken"));
        var specials = new Dictionary<string, int> { ["<|endoftext|>"] = 100257, ["<|begin_of_text|>"] = 100300, ["<|fim_prefix|>"] = 100258 };
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Tiktoken(path, "llama3", specials) with { AddBos = true, Bos = SpecialTokenRef.Parse("<|begin_of_text|>") });
        var encoder = new DocumentEncoder(tokenizer);
        Assert.True(encoder.IsCached);
        AssertSameIds(tokenizer, encoder, Documents.Value.Take(100).Concat(EdgeTexts).Concat(SpecialTexts).Append("<|begin_of_text|>hi"));
    }

    [Fact]
    public void Tokenizers_without_a_regex_split_are_encoded_by_the_tokenizer_itself()
    {
        using var dir = new TempDir();
        // Byte-level symbols: "Ġ" is the space byte.
        File.WriteAllText(dir.File("vocab.json"), "{\"h\":0,\"e\":1,\"l\":2,\"o\":3,\"Ġ\":4,\"w\":5,\"r\":6,\"d\":7,\"he\":8,\"<|endoftext|>\":9}");
        File.WriteAllLines(dir.File("merges.txt"), ["#version: 0.2", "h e"]);
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Bpe(dir.File("vocab.json"), dir.File("merges.txt")));
        var encoder = new DocumentEncoder(tokenizer);
        Assert.False(encoder.IsCached);
        AssertSameIds(tokenizer, encoder, ["hello world", "", "hold old"]);
        var ids = new List<int>();
        encoder.Encode("hello".AsSpan(), ids);
        Assert.Equal([8, 2, 2, 3, 9], ids);
    }

    private static void AssertSameIds(TextTokenizer tokenizer, DocumentEncoder encoder, IEnumerable<string> texts)
    {
        var expected = new List<int>();
        var actual = new List<int>();
        int n = 0;
        foreach (var text in texts)
        {
            expected.Clear();
            actual.Clear();
            tokenizer.Encode(text.AsSpan(), expected);
            encoder.Encode(text.AsSpan(), actual);
            if (!expected.SequenceEqual(actual))
            {
                Assert.Fail($"text {n} ({text.Length} chars, starts '{Escape(text[..Math.Min(60, text.Length)])}'): expected [{string.Join(",", expected.Take(40))}...], got [{string.Join(",", actual.Take(40))}...]");
            }
            n++;
        }
    }

    private static string Escape(string s) => s.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
