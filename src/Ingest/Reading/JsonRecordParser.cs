using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;

namespace DataPipeline.Ingest.Reading;

/// <summary>
/// Turns one JSON object (a JSONL line) into a document: the text field, the id field, and every
/// other field kept as raw JSON. One parser per task: it caches field names so a corpus with the
/// same ten keys on every line allocates no key strings after the first line.
/// </summary>
public sealed class JsonRecordParser
{
    private readonly byte[] _textField;
    private readonly byte[] _idField;
    private readonly List<(byte[] Utf8, string Name)> _names = [];
    private readonly List<(string Name, int Start, int Length)> _pending = [];

    public JsonRecordParser(string textField, string idField)
    {
        _textField = Encoding.UTF8.GetBytes(textField);
        _idField = Encoding.UTF8.GetBytes(idField);
    }

    /// <summary>Parses a record; on bad input returns the reason and a message, and no document.</summary>
    public Document? Parse(ReadOnlySpan<byte> json, string defaultId, DocumentOrigin origin, out string? reason, out string? message)
    {
        reason = null;
        message = null;
        if (json.IndexOf((byte)0) >= 0)
        {
            reason = ErrorReasons.BinaryData;
            message = "line contains NUL bytes (binary data, not JSON text)";
            return null;
        }
        if (!Utf8.IsValid(json))
        {
            reason = ErrorReasons.InvalidUtf8;
            message = $"invalid UTF-8 at byte {FirstInvalidUtf8(json)} of the line";
            return null;
        }
        var fast = TryParseFast(json, defaultId, origin);
        if (fast is not null)
        {
            return fast;
        }
        _pending.Clear();
        string? text = null;
        string? id = null;
        bool textWrongType = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 512 });
            if (!reader.Read())
            {
                reason = ErrorReasons.MalformedJson;
                message = "no JSON value on the line";
                return null;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                if (reader.Read())
                {
                    reason = ErrorReasons.MalformedJson;
                    message = "more than one JSON value on the line";
                    return null;
                }
                reason = ErrorReasons.NotAnObject;
                message = $"the line is a JSON {Describe(reader.TokenType)}, not an object";
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isText = reader.ValueTextEquals(_textField);
                bool isId = !isText && reader.ValueTextEquals(_idField);
                string? name = isText || isId ? null : InternName(ref reader);
                reader.Read();
                if (isText)
                {
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        text = reader.GetString();
                        textWrongType = false;
                    }
                    else
                    {
                        textWrongType = true;
                        reader.Skip();
                    }
                }
                else if (isId)
                {
                    id = reader.TokenType switch
                    {
                        JsonTokenType.String => reader.GetString(),
                        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                        _ => SkipAndNull(ref reader),
                    };
                }
                else
                {
                    int start = (int)reader.TokenStartIndex;
                    if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }
                    _pending.Add((name!, start, (int)reader.BytesConsumed - start));
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                reason = ErrorReasons.MalformedJson;
                message = "unexpected content after the object";
                return null;
            }
        }
        catch (JsonException e)
        {
            reason = ErrorReasons.MalformedJson;
            message = $"{e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.', ' ')} (at byte {e.BytePositionInLine})";
            return null;
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json refuses some \u escapes of unpaired surrogates that Python's json
            // module accepts; such records are quarantined rather than read (a documented difference).
            reason = ErrorReasons.MalformedJson;
            message = e.Message;
            return null;
        }
        if (text is null)
        {
            reason = textWrongType ? ErrorReasons.TextNotString : ErrorReasons.MissingText;
            message = textWrongType
                ? $"field '{Encoding.UTF8.GetString(_textField)}' is not a string"
                : $"no '{Encoding.UTF8.GetString(_textField)}' field";
            return null;
        }
        return new Document(id ?? defaultId, text, origin, BuildMetadata(json, new byte[PendingBytes()], 0));
    }

    /// <summary>The vectorised path for well-formed records; null sends the record to the System.Text.Json path.</summary>
    private Document? TryParseFast(ReadOnlySpan<byte> json, string defaultId, DocumentOrigin origin)
    {
        _pending.Clear();
        int textStart = -1, textLength = 0;
        bool textEscaped = false;
        string? id = null;
        var scanner = new FastJsonObject(json);
        if (!scanner.Start())
        {
            return null;
        }
        for (bool first = true; ; first = false)
        {
            int next = scanner.NextKey(first, out var key, out bool keyEscaped);
            if (next < 0 || keyEscaped)
            {
                return null;
            }
            if (next == 0)
            {
                break;
            }
            if (key.SequenceEqual(_textField))
            {
                if (scanner.Peek != (byte)'"' || !scanner.ReadStringRaw(out textStart, out textLength, out textEscaped))
                {
                    return null; // text_not_string and friends are worded by the slow path
                }
            }
            else if (key.SequenceEqual(_idField))
            {
                if (scanner.Peek == (byte)'"')
                {
                    if (!scanner.ReadString(out id))
                    {
                        return null;
                    }
                }
                else
                {
                    if (!scanner.SkipValue(out int start, out int length))
                    {
                        return null;
                    }
                    var raw = json.Slice(start, length);
                    id = raw[0] is (byte)'-' or (>= (byte)'0' and <= (byte)'9') ? Encoding.UTF8.GetString(raw) : null;
                }
            }
            else
            {
                var name = InternName(key);
                if (!scanner.SkipValue(out int start, out int length))
                {
                    return null;
                }
                _pending.Add((name, start, length));
            }
        }
        if (textStart < 0)
        {
            return null;
        }
        // One array per document holds its unescaped UTF-8 text and its raw metadata values.
        var owned = GC.AllocateUninitializedArray<byte>(textLength + PendingBytes());
        int textBytes = textLength;
        string? textWithLoneSurrogates = null;
        var rawText = json.Slice(textStart, textLength);
        if (!textEscaped)
        {
            rawText.CopyTo(owned);
        }
        else if (!FastJsonObject.UnescapeUtf8(rawText, owned, out textBytes))
        {
            // A \u escape of an unpaired surrogate: UTF-8 cannot hold it, a .NET string can (as in Python).
            textWithLoneSurrogates = FastJsonObject.Unescape(rawText);
            if (textWithLoneSurrogates is null)
            {
                return null;
            }
        }
        var metadata = BuildMetadata(json, owned, textLength);
        return textWithLoneSurrogates is null
            ? new Document(id ?? defaultId, owned.AsMemory(0, textBytes), origin, metadata)
            : new Document(id ?? defaultId, textWithLoneSurrogates, origin, metadata);
    }

    private int PendingBytes()
    {
        int total = 0;
        foreach (var p in _pending)
        {
            total += p.Length;
        }
        return total;
    }

    /// <summary>
    /// Copies the pending metadata values into <paramref name="owned"/> from <paramref name="at"/> on
    /// (one array per record, shared with its text on the fast path) and points the fields at them.
    /// </summary>
    private DocumentMetadata? BuildMetadata(ReadOnlySpan<byte> json, byte[] owned, int at)
    {
        if (_pending.Count == 0)
        {
            return null;
        }
        var metadata = new DocumentMetadata();
        foreach (var (name, start, length) in _pending)
        {
            json.Slice(start, length).CopyTo(owned.AsSpan(at));
            metadata.SetRaw(name, owned.AsMemory(at, length));
            at += length;
        }
        return metadata;
    }

    private string InternName(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? reader.GetString()! : InternName(reader.ValueSpan);

    private string InternName(ReadOnlySpan<byte> span)
    {
        foreach (var (utf8, name) in _names)
        {
            if (span.SequenceEqual(utf8))
            {
                return name;
            }
        }
        var s = Encoding.UTF8.GetString(span);
        if (_names.Count < 256)
        {
            _names.Add((span.ToArray(), s));
        }
        return s;
    }

    private static string? SkipAndNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartArray or JsonTokenType.EndArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };

    public static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[512];
        int offset = 0;
        while (offset < bytes.Length)
        {
            var status = Utf8.ToUtf16(bytes[offset..], scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                return offset + read;
            }
            offset += read;
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }
        return offset;
    }
}
