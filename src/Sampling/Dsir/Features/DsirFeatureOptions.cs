namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>Parameters of DSIR's hashed n-gram features (<c>HashedNgramDSIR(ngrams, num_buckets)</c>).</summary>
public sealed record DsirFeatureOptions
{
    /// <summary>Upstream default bucket count.</summary>
    public const int DefaultNumBuckets = 10_000;

    /// <summary>Number of hash buckets (upstream <c>num_buckets</c>, default 10,000).</summary>
    public int NumBuckets { get; init; } = DefaultNumBuckets;

    /// <summary>Largest n-gram order (upstream <c>ngrams</c>, default 2 = unigrams and bigrams).</summary>
    public int Ngrams { get; init; } = 2;

    /// <summary>Throws if the options cannot be used.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NumBuckets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Ngrams);
    }
}
