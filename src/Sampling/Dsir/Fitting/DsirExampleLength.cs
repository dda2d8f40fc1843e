namespace DataPipeline.Sampling.Dsir.Fitting;

/// <summary>
/// DSIR's per-example metadata and filter (<c>get_perexample_metadata</c>, <c>perexample_metadata_filter</c>):
/// <c>length = (counts.sum() + n(n-1)/2) // n</c>, eligible iff <c>length &gt;= min_example_length</c>.
/// </summary>
/// <remarks>For n = 2 this is the token count. Upstream computes it in float64; for any realistic count
/// (below 2^53) the value is the same integer, returned here as a long.</remarks>
public static class DsirExampleLength
{
    /// <summary>Upstream default <c>min_example_length</c>.</summary>
    public const long DefaultMinExampleLength = 100;

    /// <summary>The length of a document with <paramref name="totalNgrams"/> n-grams for order <paramref name="ngrams"/>.</summary>
    public static long Of(long totalNgrams, int ngrams)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ngrams);
        double remainder = ngrams * (ngrams - 1) / 2.0;
        return (long)Math.Floor((totalNgrams + remainder) / ngrams);
    }

    /// <summary>Upstream's filter: only documents at least this long can be selected.</summary>
    public static bool IsEligible(long length, long minExampleLength = DefaultMinExampleLength) => length >= minExampleLength;
}
