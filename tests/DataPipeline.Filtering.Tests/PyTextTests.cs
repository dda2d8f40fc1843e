using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tests;

public sealed class PyTextTests
{
    [Theory]
    [InlineData("abc", 3)]
    [InlineData("😀a", 2)]
    [InlineData("", 0)]
    public void Length_counts_code_points(string s, int expected) => Assert.Equal(expected, PyText.Length(s));

    [Fact]
    public void SplitLines_breaks_where_python_does()
    {
        const string text = "a\r\nb\rc\vd\fe\u001cf\u0085g\u2028h\u2029i\n";
        var lines = LineSplitter.SplitLines(text).Select(r => text[r]).ToArray();
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i"], lines);
        Assert.Empty(LineSplitter.SplitLines(""));
        Assert.Equal(["", "x"], LineSplitter.SplitLines("\nx").Select(r => "\nx"[r]).ToArray());
    }

    [Fact]
    public void Newline_run_split_matches_re_split()
    {
        const string text = "\na\n\n\nb\nc\n";
        Assert.Equal(["", "a", "b", "c", ""], LineSplitter.SplitOnNewlineRuns(text, 1).Select(r => text[r]).ToArray());
        Assert.Equal(["\na", "b\nc\n"], LineSplitter.SplitOnNewlineRuns(text, 2).Select(r => text[r]).ToArray());
    }

    [Fact]
    public void Whitespace_includes_python_separators_that_dotnet_lacks()
    {
        Assert.True(PyText.IsSpace('\x1c'));
        Assert.True(PyText.IsSpace('\x1f'));
        Assert.True(PyText.IsSpace('\u3000'));
        Assert.False(PyText.IsSpace('\u200b'));
        Assert.Equal("x", PyText.Strip("\x1e x\u00a0\n").ToString());
        const string s = " a\u001db  c ";
        Assert.Equal(["a", "b", "c"], PyText.SplitWhitespace(s).Select(r => s[r]).ToArray());
    }

    [Fact]
    public void Count_is_non_overlapping() => Assert.Equal(2, PyText.Count(".....", ".."));

    [Fact]
    public void Lower_uses_full_mapping_for_dotted_capital_i() => Assert.Equal("i\u0307stanbul", PyText.Lower("İSTANBUL"));

    [Fact]
    public void Punctuation_tables_have_upstream_sizes()
    {
        Assert.Equal(66, Punctuation.VisiblePunctuation.Length);
        Assert.Equal(159, Punctuation.Terminal.Count);
        Assert.True(Punctuation.IsPunctuation(0x1F));
        Assert.False(Punctuation.IsPunctuation('\t'));
        Assert.True(Punctuation.InPunctuationSet(0x1DA88));
        Assert.False(Punctuation.HasNonPunctuation("...!?"));
        Assert.True(Punctuation.HasNonPunctuation("a."));
    }

    [Theory]
    [InlineData("Hello, World!", "hello world")]
    [InlineData("Don't  stop\tme", "don t stop me")]
    [InlineData("Café 3.14 and 12,5 x", "cafe 0 and 0 x")]
    [InlineData("  ÀÉÎ—ok  ", "aei ok")]
    public void Simplify_follows_datatrove_order(string input, string expected) => Assert.Equal(expected, TextNormalizer.Simplify(input));
}
