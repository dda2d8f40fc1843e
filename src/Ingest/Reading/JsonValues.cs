using System.Globalization;
using System.Text.Json;

namespace DataPipeline.Ingest.Reading;

/// <summary>Typed column values (Parquet, Arrow) as the raw JSON a document's metadata holds.</summary>
internal static class JsonValues
{
    public static byte[] From(object value) => value switch
    {
        string s => JsonSerializer.SerializeToUtf8Bytes(s),
        ReadOnlyMemory<char> m => JsonSerializer.SerializeToUtf8Bytes(m.ToString()),
        bool b => b ? "true"u8.ToArray() : "false"u8.ToArray(),
        long or int or short or sbyte or byte or ushort or uint or ulong =>
            System.Text.Encoding.UTF8.GetBytes(Convert.ToString(value, CultureInfo.InvariantCulture)!),
        double d when double.IsFinite(d) => JsonSerializer.SerializeToUtf8Bytes(d),
        float f when float.IsFinite(f) => JsonSerializer.SerializeToUtf8Bytes((double)f),
        double or float => "null"u8.ToArray(),
        decimal m => JsonSerializer.SerializeToUtf8Bytes(m),
        DateTime t => JsonSerializer.SerializeToUtf8Bytes(t.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonSerializer.SerializeToUtf8Bytes(t.ToString("O", CultureInfo.InvariantCulture)),
        DateOnly d => JsonSerializer.SerializeToUtf8Bytes(d.ToString("O", CultureInfo.InvariantCulture)),
        TimeSpan t => JsonSerializer.SerializeToUtf8Bytes(t.ToString("c", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonSerializer.SerializeToUtf8Bytes(Convert.ToBase64String(bytes)),
        Guid g => JsonSerializer.SerializeToUtf8Bytes(g.ToString()),
        _ => JsonSerializer.SerializeToUtf8Bytes(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
