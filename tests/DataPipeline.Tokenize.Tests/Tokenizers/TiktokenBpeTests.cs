using System.Text;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

/// <summary>
/// Our tiktoken merge against Microsoft.ML.Tokenizers' on whole strings taken as one piece (its
/// pre-tokenization off): real words and random strings over a mixed alphabet, where merges of
/// equal rank, multi-byte characters and bytes that only merge late are common.
/// </summary>
public sealed class TiktokenBpeTests
{
    private static readonly string Alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n\t.,;:'\"!?-_/\\()[]{}<>@#$%^&*+=~`|" +
        "éèêëàâäôöûüçñßøåæœÉÀÖÜ" + "абвгдежзийклмнопрстуфхцчшщыьэюяАБВ" + "αβγδεζηθικλμνξοπρστυφχψω" + "日本語中文字한국어テキスト" + "ـبتثجحخدذرزسشصضطظعغفقكلمنهوي";

    [Theory]
    [InlineData("cl100k_base")]
    [InlineData("o200k_base")]
    [InlineData("r50k_base")]
    public void Merges_equal_the_tokenizers_own(string encoding)
    {
        var inner = TokenizerFactory.Create(TokenizerSpec.Named(encoding)).Inner!;
        var bpe = new TiktokenBpe(TiktokenRanks.ForBundledEncoding(encoding));
        var random = new Random(20261204);
        var pieces = new List<string>();
        foreach (var text in SampleCorpus.Documents(part: 0, count: 100))
        {
            pieces.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => " " + w));
        }
        string[] emoji = ["😀", "👍🏽", "🇫🇷", "𝔘", "\U0001F9D1\u200D\U0001F4BB"];
        for (int i = 0; i < 20_000; i++)
        {
            var sb = new StringBuilder();
            int length = 1 + random.Next(i % 10 == 0 ? 120 : 24);
            for (int k = 0; k < length; k++)
            {
                sb.Append(random.Next(30) == 0 ? emoji[random.Next(emoji.Length)] : Alphabet[random.Next(Alphabet.Length)].ToString());
            }
            pieces.Add(sb.ToString());
        }
        var ids = new List<int>();
        foreach (var piece in pieces)
        {
            ids.Clear();
            Assert.True(bpe.TryEncode(Encoding.UTF8.GetBytes(piece), ids));
            var expected = inner.EncodeToIds(piece.AsSpan(), considerPreTokenization: false, considerNormalization: false);
            if (!expected.SequenceEqual(ids))
            {
                Assert.Fail($"'{piece}': expected [{string.Join(",", expected)}], got [{string.Join(",", ids)}]");
            }
        }
    }

    [Fact]
    public void A_vocabulary_that_cannot_spell_the_piece_says_so_and_appends_nothing()
    {
        // Ranks for "a", "b" and "ab" only: "ac" has no token for "c".
        var lines = new[] { "YQ== 0", "Yg== 1", "YWI= 2" };
        var ranks = TiktokenRanks.Read(new MemoryStream(Encoding.ASCII.GetBytes(string.Join("\n", lines))), "tiny");
        var bpe = new TiktokenBpe(ranks);
        var ids = new List<int> { 9 };
        Assert.True(bpe.TryEncode("abab"u8, ids));
        Assert.Equal([9, 2, 2], ids);
        Assert.False(bpe.TryEncode("abc"u8, ids));
        Assert.Equal([9, 2, 2], ids);
    }

    [Fact]
    public void A_malformed_vocabulary_line_is_named()
    {
        var e = Assert.Throws<DataPipeline.Core.Errors.DataPipelineException>(() =>
            TiktokenRanks.Read(new MemoryStream(Encoding.ASCII.GetBytes("YQ== 0\nYg== x\n")), "bad.tiktoken"));
        Assert.Contains("bad.tiktoken", e.Message);
        Assert.Contains("line 2", e.Message);
    }
}
