using DataPipeline.Core.Compression;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Stats;

namespace DataPipeline.Ingest.Reading;

/// <summary>Opens input files for streaming, checking that the bytes match what the name promises.</summary>
internal static class FileOpener
{
    /// <summary>Opens the file; on a codec whose magic number is missing, reports a fault and returns null.</summary>
    public static Stream? Open(InputFile file, Codec codec, ReadErrorPolicy errors, FileStats stats)
    {
        var fs = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (codec == Codec.None)
        {
            return fs;
        }
        Span<byte> head = stackalloc byte[4];
        int n = fs.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        fs.Position = 0;
        if (n == 0)
        {
            // An empty file holds no documents; it is not an error.
            fs.Dispose();
            return null;
        }
        if (!Codecs.HasMagic(codec, head[..n]))
        {
            fs.Dispose();
            var what = codec == Codec.Gzip ? "gzip" : "zstd";
            errors.FileFault(new InputException(file.DisplayPath, null, ErrorReasons.WrongFileType,
                $"not a {what} file (the name ends in {Codecs.Extension(codec)} but it starts with bytes {Convert.ToHexString(head[..n])})"), stats);
            return null;
        }
        return fs;
    }

    /// <summary>
    /// Positions a seekable stream at the first line that starts at or after <paramref name="offset"/>
    /// and counts the lines before it, so line numbers (and stable ids) do not depend on how a file was split.
    /// </summary>
    public static (long FirstLineNumber, long LineStart) SeekToLineStart(Stream stream, long offset)
    {
        if (offset == 0)
        {
            return (1, 0);
        }
        var buffer = new byte[1 << 20];
        long newlines = 0;
        long position = 0;
        // Count the lines that end before offset - 1 (the byte before the slice decides whether a line starts at offset).
        long limit = offset - 1;
        while (position < limit)
        {
            int want = (int)Math.Min(buffer.Length, limit - position);
            int n = stream.Read(buffer, 0, want);
            if (n == 0)
            {
                break;
            }
            newlines += buffer.AsSpan(0, n).Count((byte)'\n');
            position += n;
        }
        // Find the end of the line that holds byte offset - 1.
        while (true)
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            if (n == 0)
            {
                return (newlines + 1, position);
            }
            int nl = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                long lineStart = position + nl + 1;
                stream.Position = lineStart;
                return (newlines + 2, lineStart);
            }
            position += n;
        }
    }
}
