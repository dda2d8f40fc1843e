namespace DataPipeline.Sampling.Dsir.Fitting;

/// <summary>
/// DSIR's <c>num_tokens_to_fit</c> for the raw distribution: a shard adds documents in order and stops
/// right after the document that makes its running total exceed <c>num_tokens_to_fit // num_shards</c>.
/// </summary>
/// <remarks>
/// Upstream checks after adding each document, so the document that crosses the limit is counted.
/// With several shards, where the cut falls depends on the shard count (upstream uses one virtual shard
/// per process); <see cref="ForShards"/> reproduces that rule for a given count.
/// </remarks>
public readonly record struct RawFitBudget
{
    private RawFitBudget(long? limit) => Limit = limit;

    /// <summary>The per-shard limit on summed n-gram counts; null = no limit (upstream "all").</summary>
    public long? Limit { get; }

    /// <summary>Upstream <c>"all"</c>: fit on every raw document.</summary>
    public static RawFitBudget All => new(null);

    /// <summary>Upstream <c>"auto"</c>: 100,000 × bucket count n-grams, for one shard.</summary>
    public static RawFitBudget Auto(int numBuckets) => new(100_000L * numBuckets);

    /// <summary>An explicit number of n-grams, for one shard.</summary>
    public static RawFitBudget Tokens(long numTokensToFit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numTokensToFit);
        return new(numTokensToFit);
    }

    /// <summary>The per-shard budget when the raw data is split into <paramref name="numShards"/> virtual shards (floor division, as upstream).</summary>
    public RawFitBudget ForShards(int numShards)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numShards);
        return new(Limit / numShards);
    }

    /// <summary>True once <paramref name="counts"/> has passed the limit: stop adding documents.</summary>
    public bool IsExhaustedBy(FeatureCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return Limit is { } limit && counts.Total > limit;
    }
}
