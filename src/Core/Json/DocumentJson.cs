using System.Buffers;
using DataPipeline.Core.Documents;

namespace DataPipeline.Core.Json;

/// <summary>
/// One document as one JSON object: id, text, then the metadata fields in their input order,
/// each written as the raw JSON it was read as.
/// </summary>
public static class DocumentJson
{
    public static void Write(IBufferWriter<byte> output, Document document, string idField = "id", string textField = "text", Action<IBufferWriter<byte>>? extraFields = null)
    {
        JsonText.Write(output, "{"u8);
        JsonText.WriteString(output, idField);
        JsonText.Write(output, ":"u8);
        JsonText.WriteString(output, document.Id);
        JsonText.Write(output, ","u8);
        JsonText.WriteString(output, textField);
        JsonText.Write(output, ":"u8);
        if (document.TryGetUtf8(out var utf8))
        {
            JsonText.Write(output, "\""u8);
            JsonText.WriteEscapedUtf8(output, utf8.Span);
            JsonText.Write(output, "\""u8);
        }
        else
        {
            JsonText.WriteString(output, document.Text);
        }
        foreach (var (name, json) in document.Metadata.Fields)
        {
            if (name == idField || name == textField)
            {
                continue;
            }
            JsonText.Write(output, ","u8);
            JsonText.WriteString(output, name);
            JsonText.Write(output, ":"u8);
            JsonText.Write(output, json.Span);
        }
        extraFields?.Invoke(output);
        JsonText.Write(output, "}\n"u8);
    }

    /// <summary>Appends <c>,"name":"value"</c>.</summary>
    public static void WriteField(IBufferWriter<byte> output, string name, string value)
    {
        JsonText.Write(output, ","u8);
        JsonText.WriteString(output, name);
        JsonText.Write(output, ":"u8);
        JsonText.WriteString(output, value);
    }

    /// <summary>Appends <c>,"name":123</c>.</summary>
    public static void WriteField(IBufferWriter<byte> output, string name, long value)
    {
        JsonText.Write(output, ","u8);
        JsonText.WriteString(output, name);
        JsonText.Write(output, ":"u8);
        Span<byte> digits = stackalloc byte[24];
        System.Buffers.Text.Utf8Formatter.TryFormat(value, digits, out int n);
        JsonText.Write(output, digits[..n]);
    }
}
