namespace DataPipeline.Core.Partitioning;

/// <summary>
/// One unit of input a task reads: a whole file, a range of a Parquet file's row groups, or a byte
/// range of an uncompressed JSONL file (the lines that start inside it).
/// </summary>
public sealed record InputSlice(string Path, long Size, SliceKind Kind, long Start = 0, long End = 0)
{
    public static InputSlice WholeFile(string path, long size) => new(path, size, SliceKind.WholeFile, 0, size);

    /// <summary>The number of bytes this slice is expected to read, for balancing and progress.</summary>
    public long Weight => Kind switch
    {
        SliceKind.ByteRange => End - Start,
        SliceKind.RowGroups => Math.Max(1, Size * (End - Start) / Math.Max(1, RowGroupCount)),
        _ => Size,
    };

    /// <summary>For <see cref="SliceKind.RowGroups"/>: the file's total row group count.</summary>
    public int RowGroupCount { get; init; }

    public override string ToString() => Kind switch
    {
        SliceKind.ByteRange => $"{Path} [bytes {Start}..{End})",
        SliceKind.RowGroups => $"{Path} [row groups {Start}..{End})",
        _ => Path,
    };
}

public enum SliceKind
{
    WholeFile,
    /// <summary>[Start, End) are row group indices.</summary>
    RowGroups,
    /// <summary>[Start, End) are byte offsets; the slice owns every line whose first byte lies inside.</summary>
    ByteRange,
}
