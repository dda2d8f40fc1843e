using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Tests;

/// <summary>Behaviours of spaCy's English tokenizer that the port must keep (cases from spaCy's own tests).</summary>
public sealed class TokenizerTests
{
    private static string[] Words(string text) => WordList.Split(text).ToStrings().ToArray();

    [Theory]
    [InlineData("don't", new[] { "do", "n't" })]
    [InlineData("Don’t stop", new[] { "Do", "n’t", "stop" })]
    [InlineData("I'm here.", new[] { "I", "'m", "here", "." })]
    [InlineData("(Mr. Smith's)", new[] { "(", "Mr.", "Smith", "'s", ")" })]
    [InlineData("e.g., this", new[] { "e.g.", ",", "this" })]
    [InlineData("well-known 1995-03-10", new[] { "well", "-", "known", "1995", "-", "03", "-", "10" })]
    [InlineData("Visit https://example.com/a?b=c.", new[] { "Visit", "https://example.com/a?b=c", "." })]
    [InlineData("Hello...world", new[] { "Hello", "...", "world" })]
    [InlineData("\"voodoo economics\")", new[] { "\"", "voodoo", "economics", "\"", ")" })]
    [InlineData("Mr.Smith", new[] { "Mr.", "Smith" })]
    [InlineData("5km 10$", new[] { "5", "km", "10", "$" })]
    [InlineData("a  b\n\nc", new[] { "a", "b", "c" })]
    [InlineData("ok 😀!", new[] { "ok", "😀", "!" })]
    public void Splits_like_spacy(string text, string[] expected) => Assert.Equal(expected, Words(text));

    [Fact]
    public void Whitespace_other_than_one_space_becomes_a_token()
    {
        var tokens = EnglishTokenizer.Shared.Tokenize("a  b\nc");
        Assert.Equal(["a", " ", "b", "\n", "c"], tokens.Select(t => "a  b\nc".Substring(t.Start, t.Length)).ToArray());
        Assert.Equal([false, true, false, true, false], tokens.Select(t => t.IsSpace).ToArray());
    }

    [Theory]
    [InlineData("One. Two! Three? Four", 4)]
    [InlineData("Wait... what", 1)]
    [InlineData("He said \"stop.\" Then left.", 2)]
    [InlineData("e.g. this is one", 1)]
    [InlineData("", 0)]
    public void Sentencizer_counts_like_spacy(string text, int expected) =>
        Assert.Equal(expected, Sentencizer.CountSentences(text, EnglishTokenizer.Shared.Tokenize(text)));
}
