using System.IO.Compression;
using System.Reflection;
using DataPipeline.Core.Errors;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

public sealed class TiktokenTokenizerTests
{
    private static readonly Lazy<List<string>> Documents = new(() => SampleCorpus.Documents(part: 2, count: 200));

    [Theory]
    // Reference ids from OpenAI's tiktoken.
    [InlineData("cl100k_base", "hello world", new[] { 15339, 1917 })]
    [InlineData("o200k_base", "hello world", new[] { 24912, 2375 })]
    [InlineData("r50k_base", "hello world", new[] { 31373, 995 })]
    [InlineData("gpt2", "hello world", new[] { 31373, 995 })]
    [InlineData("cl100k_base", "Hello, world! 12345", new[] { 9906, 11, 1917, 0, 220, 4513, 1774 })]
    public void Named_encodings_give_tiktoken_ids(string encoding, string text, int[] expected)
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named(encoding) with { AddEos = false });
        Assert.Equal(expected, tokenizer.Encode(text));
    }

    [Theory]
    [InlineData("cl100k_base", 100257)]
    [InlineData("o200k_base", 199999)]
    [InlineData("r50k_base", 50256)]
    [InlineData("gpt2", 50256)]
    public void Eos_defaults_to_endoftext_and_ends_each_document(string encoding, int eos)
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named(encoding));
        Assert.Equal(eos, tokenizer.EosId);
        Assert.Null(tokenizer.BosId);
        var ids = tokenizer.Encode("hello world");
        Assert.Equal(eos, ids[^1]);
        var buffer = new List<int> { 7 };
        tokenizer.Encode("hello world".AsSpan(), buffer);
        Assert.Equal([7, .. ids], buffer);
    }

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    [InlineData("gpt2")]
    public void Corpus_documents_round_trip(string encoding)
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named(encoding) with { AddEos = false });
        foreach (var text in Documents.Value)
        {
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Fact]
    public void P50k_base_is_refused_with_a_way_out()
    {
        var e = Assert.Throws<DataPipelineException>(() => TokenizerFactory.Create(TokenizerSpec.Named("p50k_base")));
        Assert.Contains("not bundled", e.Message);
        Assert.Contains(".tiktoken file", e.Message);
    }

    [Fact]
    public void Bos_required_but_missing_is_a_config_error()
    {
        var e = Assert.Throws<DataPipelineException>(() => TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base") with { AddBos = true }));
        Assert.Contains("BOS", e.Message);
    }

    [Fact]
    public void Special_tokens_by_text_or_id()
    {
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base") with
        {
            Bos = SpecialTokenRef.Parse("<|endofprompt|>"),
            Eos = SpecialTokenRef.Parse("100257"),
            AddBos = true,
        });
        Assert.Equal(100276, tokenizer.BosId);
        Assert.Equal([100276, 15339, 1917, 100257], tokenizer.Encode("hello world"));
        var unknown = Assert.Throws<DataPipelineException>(() => TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base") with { Eos = SpecialTokenRef.Parse("<|nope|>") }));
        Assert.Contains("<|nope|>", unknown.Message);
    }

    /// <summary>
    /// A hand-made vocabulary whose BPE result can be worked out on paper: bytes are ranks 0-255,
    /// then he=256, ll=257, hell=258, hello=259. "hello": he (256) first, then ll (257), then
    /// he+ll (258), then hell+o (259).
    /// </summary>
    [Fact]
    public void Tiktoken_file_with_a_hand_made_vocabulary()
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(0, 256).Select(b => Convert.ToBase64String([(byte)b]) + " " + b).ToList();
        string[] merged = ["he", "ll", "hell", "hello"];
        for (int i = 0; i < merged.Length; i++)
        {
            lines.Add(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(merged[i])) + " " + (256 + i));
        }
        string path = dir.File("tiny.tiktoken");
        File.WriteAllLines(path, lines);
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.Tiktoken(path, "gpt2", new Dictionary<string, int> { ["<|end_of_text|>"] = 260, ["<|begin_of_text|>"] = 261 }) with { AddBos = true });
        Assert.Equal(261, tokenizer.BosId);
        Assert.Equal(260, tokenizer.EosId);
        // "hello" → 259; " hel" is one gpt2-pattern piece: ' '=32, he=256, l=108.
        Assert.Equal([261, 259, 32, 256, 108, 260], tokenizer.Encode("hello hel"));
        // Special-token text inside a document is recognised as the token, as in the named encodings.
        Assert.Equal([261, 259, 260, 260], tokenizer.Encode("hello<|end_of_text|>"));
    }

    /// <summary>
    /// The cl100k_base ranks written out as a tiktoken file and read back with the cl100k pattern
    /// (Llama 3's too) must tokenize exactly as the bundled encoding: the path a Llama 3
    /// tokenizer.model takes.
    /// </summary>
    [Fact]
    public void Tiktoken_file_reproduces_the_bundled_cl100k_base()
    {
        using var dir = new TempDir();
        string path = dir.File("cl100k_base.tiktoken");
        File.WriteAllBytes(path, BundledRanks("Cl100kBase", "cl100k_base.tiktoken"));
        var specials = new Dictionary<string, int> { ["<|endoftext|>"] = 100257, ["<|fim_prefix|>"] = 100258, ["<|fim_middle|>"] = 100259, ["<|fim_suffix|>"] = 100260, ["<|endofprompt|>"] = 100276 };
        var fromFile = TokenizerFactory.Create(TokenizerSpec.Tiktoken(path, "llama3", specials));
        var named = TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base"));
        Assert.Equal(100257, fromFile.EosId);
        foreach (var text in Documents.Value)
        {
            Assert.Equal(named.Encode(text), fromFile.Encode(text));
        }
    }

    /// <summary>The vocabulary file a Microsoft.ML.Tokenizers.Data.* assembly embeds (deflate-compressed).</summary>
    internal static byte[] BundledRanks(string package, string file)
    {
        var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data." + package);
        string name = assembly.GetManifestResourceNames().Single(n => n.Contains(file, StringComparison.Ordinal));
        using var resource = assembly.GetManifestResourceStream(name)!;
        using var inflate = new DeflateStream(resource, CompressionMode.Decompress);
        using var copy = new MemoryStream();
        inflate.CopyTo(copy);
        return copy.ToArray();
    }
}
