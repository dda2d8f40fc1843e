namespace DataPipeline.Dedup.MinHash;

/// <summary>How documents are cut into shingles before hashing.</summary>
public enum ShingleKind
{
    /// <summary>datatrove: n consecutive words of the normalised text, joined by one space.</summary>
    Words,

    /// <summary>NeMo Curator style: every substring of n Unicode code points.</summary>
    Characters,
}

/// <summary>
/// MinHash settings. Defaults are datatrove's <c>MinhashConfig</c>: word 5-grams of normalised text,
/// xxh64 shingle hash, 14 bands × 8 rows, seed 1.
/// </summary>
public sealed record MinHashOptions
{
    public ShingleKind Shingles { get; init; } = ShingleKind.Words;

    /// <summary>Words per shingle (Words) or code points per shingle (Characters).</summary>
    public int NGram { get; init; } = 5;

    public int Bands { get; init; } = 14;

    public int Rows { get; init; } = 8;

    public uint Seed { get; init; } = 1;

    /// <summary>Apply datatrove's simplify_text first. NeMo Curator hashes raw text; turn off to match that.</summary>
    public bool Normalize { get; init; } = true;

    public int SignatureLength => Bands * Rows;

    /// <summary>Options for a Jaccard threshold: bands and rows chosen by <see cref="LshParameterOptimizer"/>.</summary>
    public static MinHashOptions ForThreshold(double threshold, int numPermutations)
    {
        var (bands, rows) = LshParameterOptimizer.Optimal(threshold, numPermutations);
        return new MinHashOptions { Bands = bands, Rows = rows };
    }

    public void Validate()
    {
        if (NGram < 1) throw new ArgumentException($"n-gram size must be at least 1, got {NGram}");
        if (Bands < 1 || Rows < 1) throw new ArgumentException($"bands and rows must be at least 1, got {Bands}×{Rows}");
    }
}
