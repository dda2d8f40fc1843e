using System.Text;
using DataPipeline.Sampling.Dsir.Text;

namespace DataPipeline.Sampling.Tests;

/// <summary>Our Python character semantics against golden/dsir/unicode_tables.json, code point by code point.</summary>
public sealed class PythonUnicodeTests
{
    [Fact]
    public void Word_and_space_classes_match_python_for_every_code_point()
    {
        using var json = GoldenFiles.ReadJson("unicode_tables.json");
        var word = ToSet(json.RootElement.GetProperty("word_ranges"));
        var space = ToSet(json.RootElement.GetProperty("space_ranges"));
        var wrong = new List<int>();
        for (int cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (PythonUnicode.IsWord(cp) != word.Contains(cp) || PythonUnicode.IsSpace(cp) != space.Contains(cp))
            {
                wrong.Add(cp);
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public void Lower_matches_python_for_every_code_point_alone()
    {
        using var json = GoldenFiles.ReadJson("unicode_tables.json");
        var map = new Dictionary<int, string>();
        foreach (var entry in json.RootElement.GetProperty("lower_map").EnumerateObject())
        {
            var sb = new StringBuilder();
            foreach (var cp in entry.Value.EnumerateArray())
            {
                sb.Append(char.ConvertFromUtf32(Convert.ToInt32(cp.GetString(), 16)));
            }

            map[Convert.ToInt32(entry.Name, 16)] = sb.ToString();
        }

        var wrong = new List<int>();
        for (int cp = 0; cp <= 0x10FFFF; cp++)
        {
            // Lone surrogates are valid Python str elements and are left unchanged.
            string alone = cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp);
            string expected = map.TryGetValue(cp, out var m) ? m : alone;
            if (PythonLowercase.Lower(alone) != expected)
            {
                wrong.Add(cp);
            }
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("ΟΔΥΣΣΕΥΣ", "οδυσσευς")]
    [InlineData("Σ", "σ")]
    [InlineData("ΑΣ'", "ας'")] // apostrophe is case-ignorable: still final
    [InlineData("ΑΣ'Α", "ασ'α")] // ... unless a cased letter follows it
    [InlineData("Α.Σ", "α.ς")] // '.' is case-ignorable (MidNumLet) before the sigma
    [InlineData("1Σ", "1σ")]
    [InlineData("İ", "i\u0307")]
    public void Lower_applies_final_sigma_and_dotted_capital_i_in_context(string text, string expected) =>
        Assert.Equal(expected, PythonLowercase.Lower(text));

    private static HashSet<int> ToSet(System.Text.Json.JsonElement ranges)
    {
        var set = new HashSet<int>();
        foreach (var r in ranges.EnumerateArray())
        {
            for (int cp = r[0].GetInt32(); cp <= r[1].GetInt32(); cp++)
            {
                set.Add(cp);
            }
        }

        return set;
    }
}
