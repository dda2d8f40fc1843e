using System.Text;
using System.Text.Unicode;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;

namespace DataPipeline.Ingest.Reading;

/// <summary>One document per file: the id is the file's path relative to the input folder.</summary>
public sealed class TextFileReader(ReaderOptions options) : IDocumentReader
{
    public IEnumerable<Document> Read(InputSlice slice, InputFile file, FileStats stats, ReadErrorPolicy errors, Action<long>? progress)
    {
        byte[] bytes;
        try
        {
            if (file.Size > options.MaxRecordBytes)
            {
                errors.BadRecord(new InputException(file.DisplayPath, null, ErrorReasons.DocumentTooLarge,
                    $"file of {file.Size} bytes exceeds the limit of {options.MaxRecordBytes}"), [], stats);
                yield break;
            }
            bytes = File.ReadAllBytes(file.FullPath);
        }
        finally
        {
            progress?.Invoke(file.Size);
        }
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith("\uFEFF"u8))
        {
            span = span[3..];
        }
        if (span.IndexOf((byte)0) >= 0)
        {
            errors.BadRecord(new InputException(file.DisplayPath, null, ErrorReasons.BinaryData, "file contains NUL bytes (binary, not text)"), span[..Math.Min(span.Length, 256)], stats);
            yield break;
        }
        if (!Utf8.IsValid(span))
        {
            errors.BadRecord(new InputException(file.DisplayPath, null, ErrorReasons.InvalidUtf8,
                $"invalid UTF-8 at byte {JsonRecordParser.FirstInvalidUtf8(span)}"), span[..Math.Min(span.Length, 256)], stats);
            yield break;
        }
        stats.Records++;
        stats.Documents++;
        yield return new Document(file.IdName, Encoding.UTF8.GetString(span), new DocumentOrigin(file.DisplayPath, 0, OriginKind.File));
    }
}
