using DataPipeline.Core.Documents;
using DataPipeline.Filtering.Steps;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tests;

public class LengthFilterTests
{
    private static Document Doc(string text) => new("d", text, default);

    [Theory]
    [InlineData("abcd", null)]
    [InlineData("abc", "too_short")]
    [InlineData("abcdefgh", null)]
    [InlineData("abcdefghi", "too_long")]
    [InlineData("😀😀😀😀", null)]      // 4 code points, 8 UTF-16 units: Python's len() is 4
    [InlineData("😀😀😀", "too_short")]
    public void Bounds_are_in_code_points(string text, string? reason) =>
        Assert.Equal(reason, new LengthFilter(4, 8).Check(Doc(text)));

    [Fact]
    public void Code_points_count_surrogate_pairs_once() =>
        Assert.Equal(3, PyText.Length("a😀b"));
}
