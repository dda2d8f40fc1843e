using DataPipeline.Core.Compression;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Ingest.Inputs;

/// <summary>The input formats, how each is recognised, read, and split across tasks.</summary>
public static class InputFormats
{
    public static readonly string[] Names = ["auto", "jsonl", "parquet", "arrow", "text"];

    /// <summary>The format of a file: the configured one, or else from its name (unknown names are text).</summary>
    public static string Detect(string path, string configured)
    {
        if (configured != "auto")
        {
            if (!Names.Contains(configured))
            {
                throw new DataPipelineException($"unknown input format '{configured}'; use one of {string.Join(", ", Names)}");
            }
            return configured;
        }
        var name = Codecs.StripCompressionSuffix(path).ToLowerInvariant();
        if (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            return "jsonl";
        }
        if (name.EndsWith(".parquet", StringComparison.Ordinal) || name.EndsWith(".pq", StringComparison.Ordinal))
        {
            return "parquet";
        }
        if (name.EndsWith(".arrow", StringComparison.Ordinal) || name.EndsWith(".arrows", StringComparison.Ordinal) || name.EndsWith(".feather", StringComparison.Ordinal) || name.EndsWith(".ipc", StringComparison.Ordinal))
        {
            return "arrow";
        }
        return "text";
    }

    public static IDocumentReader CreateReader(string format, ReaderOptions options) => format switch
    {
        "jsonl" => new JsonlReader(options),
        "parquet" => new ParquetDocumentReader(options),
        "arrow" => new ArrowDocumentReader(options),
        "text" => new TextFileReader(options),
        _ => throw new DataPipelineException($"unknown input format '{format}'"),
    };

    /// <summary>
    /// Splits a file into pieces for the partitioner: Parquet by row groups, uncompressed JSONL by
    /// byte ranges; anything else stays whole (a compressed stream can only be read from its start).
    /// </summary>
    public static IReadOnlyList<InputSlice> Split(string path, long size, int pieces, string configuredFormat)
    {
        var format = Detect(path, configuredFormat);
        if (format == "jsonl" && Codecs.FromFileName(path) == Codec.None)
        {
            return Partitioner.ByteRanges(path, size, pieces);
        }
        if (format == "parquet")
        {
            int groups = ParquetRowGroups(path);
            if (groups > 1)
            {
                pieces = Math.Min(pieces, groups);
                var slices = new List<InputSlice>(pieces);
                for (int i = 0; i < pieces; i++)
                {
                    slices.Add(new InputSlice(path, size, SliceKind.RowGroups, (long)groups * i / pieces, (long)groups * (i + 1) / pieces) { RowGroupCount = groups });
                }
                return slices;
            }
        }
        return [InputSlice.WholeFile(path, size)];
    }

    private static int ParquetRowGroups(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            var reader = Parquet.ParquetReader.CreateAsync(fs).GetAwaiter().GetResult();
            int count = reader.RowGroupCount;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return count;
        }
        catch (Exception e) when (ReadFaults.IsReadFault(e))
        {
            return 1; // read whole; the reader reports the fault
        }
    }
}
