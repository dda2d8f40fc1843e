using System.Globalization;
using DataPipeline.Core.Compression;
using DataPipeline.Core.IO;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;

namespace DataPipeline.Ingest.Reading;

/// <summary>
/// JSON Lines, plain, gzip or zstd. One object per line; blank lines are skipped. A bad line is
/// reported and skipped without disturbing its neighbours; a compressed stream that breaks off
/// ends the file with a fault, keeping the complete lines read before it.
/// </summary>
public sealed class JsonlReader(ReaderOptions options) : IDocumentReader
{
    private readonly JsonRecordParser _parser = new(options.TextField, options.IdField);

    public IEnumerable<Document> Read(InputSlice slice, InputFile file, FileStats stats, ReadErrorPolicy errors, Action<long>? progress)
    {
        var codec = Codecs.FromFileName(file.FullPath);
        Stream? raw = null;
        Stream? stream = null;
        LineReader? lines = null;
        long endOffset = long.MaxValue;
        try
        {
            raw = FileOpener.Open(file, codec, errors, stats);
            if (raw is null)
            {
                yield break;
            }
            long firstLine = 1;
            long startOffset = 0;
            if (slice.Kind == SliceKind.ByteRange && codec == Codec.None)
            {
                (firstLine, startOffset) = FileOpener.SeekToLineStart(raw, slice.Start);
                endOffset = slice.End;
            }
            var counting = new CountingStream(raw, progress);
            stream = Codecs.OpenRead(counting, codec);
            if (codec != Codec.None)
            {
                // Decompression runs on its own thread, a few MB ahead of parsing.
                stream = ReadAheadStream.Wrap(stream);
            }
            lines = new LineReader(stream, firstLine, startOffset);
        }
        catch (IOException e)
        {
            raw?.Dispose();
            errors.FileFault(new InputException(file.DisplayPath, null, ErrorReasons.UnreadableFile, e.Message, e), stats);
            yield break;
        }

        using (stream)
        {
            while (true)
            {
                Document? document = null;
                bool more;
                string? faultReason = null;
                string? faultMessage = null;
                try
                {
                    more = ReadOne(lines, file, stats, errors, endOffset, out document);
                }
                catch (CompressedStreamException e)
                {
                    more = false;
                    faultReason = e.Truncated ? ErrorReasons.TruncatedCompressedStream : ErrorReasons.CorruptCompressedStream;
                    faultMessage = $"{e.Message}; {stats.Documents} documents before it were kept";
                }
                catch (IOException e) when (e is not EndOfStreamException)
                {
                    more = false;
                    faultReason = ErrorReasons.UnreadableFile;
                    faultMessage = e.Message;
                }
                if (faultReason is not null)
                {
                    errors.FileFault(new InputException(file.DisplayPath, $"after line {lines.LineNumber}", faultReason, faultMessage!), stats);
                    yield break;
                }
                if (document is not null)
                {
                    yield return document;
                }
                if (!more)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Reads lines until one yields a document (true) or the slice ends (false).</summary>
    private bool ReadOne(LineReader lines, InputFile file, FileStats stats, ReadErrorPolicy errors, long endOffset, out Document? document)
    {
        document = null;
        while (true)
        {
            if (lines.NextLineOffset >= endOffset || !lines.TryReadLine(out var line))
            {
                return false;
            }
            if (line.IsWhiteSpaceLine())
            {
                continue;
            }
            long number = lines.LineNumber;
            if (lines.LineNumber == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
            if (line.Length > options.MaxRecordBytes)
            {
                errors.BadRecord(new InputException(file.DisplayPath, Position(number), ErrorReasons.DocumentTooLarge,
                    $"record of {line.Length} bytes exceeds the limit of {options.MaxRecordBytes}"), line[..4096], stats);
                continue;
            }
            var doc = _parser.Parse(line, file.IdName + "/" + number.ToString(CultureInfo.InvariantCulture),
                new DocumentOrigin(file.DisplayPath, number, OriginKind.Line), out var reason, out var message);
            if (doc is null)
            {
                errors.BadRecord(new InputException(file.DisplayPath, Position(number), reason!, message!), line, stats);
                continue;
            }
            stats.Records++;
            stats.Documents++;
            document = doc;
            return true;
        }
    }

    private static string Position(long line) => "line " + line.ToString(CultureInfo.InvariantCulture);
}

internal static class SpanExtensions
{
    public static bool IsWhiteSpaceLine(this ReadOnlySpan<byte> line) =>
        line.IndexOfAnyExcept((byte)' ', (byte)'\t', (byte)'\r') < 0;
}
