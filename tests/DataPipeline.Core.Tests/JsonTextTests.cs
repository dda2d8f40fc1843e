using System.Buffers;
using System.Text;
using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Json;

namespace DataPipeline.Core.Tests;

public class JsonTextTests
{
    private static string Encode(string s)
    {
        var buffer = new ArrayBufferWriter<byte>();
        JsonText.WriteString(buffer, s);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nnext\ttab\r", "\"line\\nnext\\ttab\\r\"")]
    [InlineData("\u0001\u001f", "\"\\u0001\\u001f\"")]
    [InlineData("héllo 世界 😀", "\"héllo 世界 😀\"")]
    public void Minimal_escaping_like_python_ensure_ascii_false(string value, string expected) => Assert.Equal(expected, Encode(value));

    [Theory]
    [InlineData("\ud800")]
    [InlineData("a\udc00b")]
    [InlineData("x\ud83d")]
    public void Lone_surrogates_survive_as_escapes(string value)
    {
        var json = Encode(value);
        Assert.Equal(value, JsonSerializer.Deserialize<string>(json));
    }

    [Fact]
    public void Any_string_without_surrogates_round_trips()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0xD800)).ToArray();
            var s = new string(chars);
            Assert.Equal(s, JsonSerializer.Deserialize<string>(Encode(s)));
        }
    }

    [Fact]
    public void Document_line_keeps_metadata_raw_and_in_order()
    {
        var metadata = new DocumentMetadata();
        metadata.SetRaw("b", "{\"x\": [1, 2.50]}"u8.ToArray());
        metadata.SetRaw("a", "1e3"u8.ToArray());
        var buffer = new ArrayBufferWriter<byte>();
        DocumentJson.Write(buffer, new Document("id1", "t", default, metadata));
        Assert.Equal("{\"id\":\"id1\",\"text\":\"t\",\"b\":{\"x\": [1, 2.50]},\"a\":1e3}\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
