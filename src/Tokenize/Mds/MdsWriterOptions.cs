namespace DataPipeline.Tokenize.Mds;

/// <summary>The settings of upstream's <c>MDSWriter</c> that change bytes on disk.</summary>
public sealed record MdsWriterOptions
{
    /// <summary>Null for none, else e.g. <c>"zstd"</c> or <c>"zstd:7"</c>; stored in index.json as given.</summary>
    public string? Compression { get; init; }

    /// <summary>Digest names recorded per file, in sorted order as upstream requires.</summary>
    public IReadOnlyList<string> Hashes { get; init; } = [];

    /// <summary>Raw shard size limit in bytes; null or 0 means one unlimited shard. <see cref="MdsSizeLimit.Parse"/> reads "64mb".</summary>
    public long? SizeLimit { get; init; } = MdsSizeLimit.Default;
}
