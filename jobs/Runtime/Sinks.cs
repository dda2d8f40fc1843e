using System.Text;
using DataPipeline.Core.Compression;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Json;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Reading;
using DataPipeline.Ingest.Writing;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// A JSONL side file (quarantine, removed documents) created on its first record, so a clean task
/// leaves no empty files behind.
/// </summary>
internal sealed class LazyJsonlFile(string tempPath) : IDisposable
{
    private JsonlWriter? _writer;

    public long Records { get; private set; }

    public JsonlWriter Writer
    {
        get
        {
            Records++;
            if (_writer is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(tempPath)!);
                _writer = new JsonlWriter(tempPath, Codec.None);
            }
            return _writer;
        }
    }

    public void Complete() => _writer?.Complete();

    public void Dispose() => _writer?.Dispose();
}

/// <summary>Quarantine records: <c>{"file", "line"|"row", "reason", "message", "raw", "raw_truncated"}</c>.</summary>
internal sealed class QuarantineSink(LazyJsonlFile file) : IQuarantineSink
{
    private const int MaxRawBytes = 64 * 1024;

    public void Write(InputException error, ReadOnlySpan<byte> raw)
    {
        var w = file.Writer;
        var buffer = w.Buffer;
        JsonText.Write(buffer, "{\"file\":"u8);
        JsonText.WriteString(buffer, error.File);
        if (error.Position is { } position)
        {
            var parts = position.Split(' ', 2);
            if (parts.Length == 2 && long.TryParse(parts[1], out long n) && parts[0] is "line" or "row")
            {
                DocumentJson.WriteField(buffer, parts[0], n);
            }
            else
            {
                DocumentJson.WriteField(buffer, "position", position);
            }
        }
        DocumentJson.WriteField(buffer, "reason", error.Reason);
        DocumentJson.WriteField(buffer, "message", error.Detail);
        if (!raw.IsEmpty)
        {
            bool truncated = raw.Length > MaxRawBytes;
            // Raw bytes may be invalid UTF-8: keep them readable, with U+FFFD where a byte was not text.
            DocumentJson.WriteField(buffer, "raw", Encoding.UTF8.GetString(truncated ? raw[..MaxRawBytes] : raw));
            if (truncated)
            {
                JsonText.Write(buffer, ",\"raw_truncated\":true"u8);
            }
        }
        JsonText.Write(buffer, "}\n"u8);
        w.FlushIfLarge();
    }
}

/// <summary>
/// Removed documents, whole, with <c>removed_by</c> and <c>reason</c> added, and <c>filter</c> (the
/// same step name: the field datatrove-style tooling and the filter verb's users look for).
/// </summary>
internal sealed class RemovedSink(LazyJsonlFile file, string idField, string textField) : IRemovedSink
{
    public void Write(Document document, string step, string reason)
    {
        var w = file.Writer;
        DocumentJson.Write(w.Buffer, document, idField, textField, b =>
        {
            DocumentJson.WriteField(b, "removed_by", step);
            if (!document.Metadata.TryGetRaw("filter", out _))
            {
                DocumentJson.WriteField(b, "filter", step);
            }
            DocumentJson.WriteField(b, "reason", reason);
        });
        w.FlushIfLarge();
    }
}
