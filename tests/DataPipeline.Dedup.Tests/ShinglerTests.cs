using System.IO.Hashing;
using System.Text;
using DataPipeline.Dedup.MinHash;

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
    public void Character_shingles_are_code_point_windows()
    {
        var shingler = new Shingler(new MinHashOptions { Shingles = ShingleKind.Characters, NGram = 3, Normalize = false });
        Assert.Equal([H("a😀b"), H("😀bc")], shingler.Shingles("a😀bc"));
        Assert.Empty(shingler.Shingles("ab"));
    }
}
