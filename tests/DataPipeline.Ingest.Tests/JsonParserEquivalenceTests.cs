using System.Text;
using System.Text.Json;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Ingest.Tests;

/// <summary>The vectorised record parser must read exactly what a reference JSON parser reads.</summary>
public class JsonParserEquivalenceTests
{
    private static readonly string[] Pieces =
    [
        "plain words ", "\n", "\t", "\"quoted\"", "back\\slash", "/", "é", "世界", "😀", "\u0001", "\u001f", "\u2028", "ﬁ", " ",
    ];

    private static readonly JsonSerializerOptions Escaping = new();
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string RandomText(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 30)).Select(_ => Pieces[random.Next(Pieces.Length)]));

    [Fact]
    public void Random_records_parse_like_system_text_json()
    {
        var random = new Random(11);
        var parser = new JsonRecordParser("text", "id");
        for (int i = 0; i < 3000; i++)
        {
            var text = RandomText(random);
            var meta = RandomText(random);
            // Alternate System.Text.Json's escaping (\u00e9 for non-ASCII) and raw UTF-8.
            var options = i % 2 == 0 ? Escaping : Relaxed;
            var line = JsonSerializer.Serialize(new Dictionary<string, object> { ["m"] = meta, ["text"] = text, ["n"] = new object[] { 1, "x", new { y = 2.5 } }, ["id"] = "d" + i }, options);
            var doc = parser.Parse(Encoding.UTF8.GetBytes(line), "fallback", default, out var reason, out var message);
            Assert.True(doc is not null, $"{reason}: {message} in {line}");
            Assert.Equal(text, doc!.Text);
            Assert.Equal("d" + i, doc.Id);
            Assert.Equal(meta, doc.Metadata.GetString("m"));
            Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(line).RootElement.GetProperty("n"), JsonDocument.Parse(doc.Metadata.Fields.Single(f => f.Name == "n").Json).RootElement));
        }
    }

    [Theory]
    [InlineData("{\"text\":\"\\ud83d\\ude00!\"}", "😀!")]
    [InlineData("{ \"text\" : \"spaced\" , \"x\" : [ 1 , 2 ] }", "spaced")]
    public void Escapes_and_whitespace(string line, string expected)
    {
        var doc = new JsonRecordParser("text", "id").Parse(Encoding.UTF8.GetBytes(line), "f", default, out var reason, out _);
        Assert.True(doc is not null, reason);
        Assert.Equal(expected, doc!.Text);
    }

    [Fact]
    public void Unpaired_surrogate_escapes_are_kept_as_python_keeps_them()
    {
        // (Built in code: test-case attributes cannot carry lone surrogates intact.)
        var parser = new JsonRecordParser("text", "id");
        var a = parser.Parse("{\"text\":\"a\\ud800b\"}"u8, "f", default, out _, out _);
        Assert.Equal("a" + (char)0xD800 + "b", a!.Text);
        var b = parser.Parse("{\"text\":\"\\udc00\"}"u8, "f", default, out _, out _);
        Assert.Equal(((char)0xDC00).ToString(), b!.Text);
    }

    [Theory]
    [InlineData("{\"text\":\"a\"", "malformed_json")]
    [InlineData("{\"text\":\"a\",}", "malformed_json")]
    [InlineData("{\"text\":\"bad \\x escape\"}", "malformed_json")]
    [InlineData("{\"text\":\"raw\ttab\"}", "malformed_json")]
    [InlineData("{\"text\":\"a\",\"n\":01}", "malformed_json")]
    [InlineData("{\"text\":\"a\",\"n\":[1,}", "malformed_json")]
    [InlineData("{\"text\":\"a\"} x", "malformed_json")]
    [InlineData("{'text':'a'}", "malformed_json")]
    [InlineData("{\"text\":[\"a\"]}", "text_not_string")]
    public void Invalid_records_are_refused_with_a_reason(string line, string expectedReason)
    {
        var doc = new JsonRecordParser("text", "id").Parse(Encoding.UTF8.GetBytes(line), "f", default, out var reason, out var message);
        Assert.Null(doc);
        Assert.Equal(expectedReason, reason);
        Assert.False(string.IsNullOrEmpty(message));
    }
}
