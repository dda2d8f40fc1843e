namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// The writer config that every shard embeds between its offset table and its samples, and that its
/// index.json entry repeats (<c>MDSWriter.get_config</c>).
/// </summary>
public sealed record MdsShardConfig(
    IReadOnlyList<string> ColumnEncodings,
    IReadOnlyList<string> ColumnNames,
    IReadOnlyList<int?> ColumnSizes,
    string? Compression,
    IReadOnlyList<string> Hashes,
    long? SizeLimit)
{
    public const string Format = "mds";

    public const int Version = 2;
}

/// <summary>A file of a shard (<c>FileInfo</c>): its name relative to the dataset folder, length and digests.</summary>
public sealed record MdsFileInfo(string Basename, long Bytes, IReadOnlyDictionary<string, string> Hashes);

/// <summary>One index.json shard entry: exactly upstream's 11 keys, because its reader passes them as kwargs.</summary>
public sealed record MdsShardInfo(MdsShardConfig Config, MdsFileInfo RawData, MdsFileInfo? ZipData, long Samples);
