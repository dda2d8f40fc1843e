namespace DataPipeline.Tokenize.Mds;

public sealed record MdsReaderOptions
{
    /// <summary>Hash algorithm to check each shard against index.json when first opened; null skips the check, as upstream's default.</summary>
    public string? ValidateHash { get; init; }

    /// <summary>How many shards to keep open (decompressed shards stay in memory).</summary>
    public int MaxOpenShards { get; init; } = 4;
}
