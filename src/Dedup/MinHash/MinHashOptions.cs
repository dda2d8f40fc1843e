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

    /// <summary>
    /// Rows per LSH band when searching for candidates; 0 (the default) = half a band, rounded up. Each
    /// band of <see cref="Rows"/> signature values is searched as ⌈Rows / CandidateRows⌉ sub-bands (the last
    /// one shorter when it does not divide), so two documents that share a whole band always share every
    /// sub-band of it: the candidates are a superset of datatrove's. <c>CandidateRows = Rows</c> searches
    /// datatrove's bands themselves.
    /// </summary>
    public int CandidateRows { get; init; }

    public int SignatureLength => Bands * Rows;

    /// <summary>Rows per candidate sub-band after the default is applied.</summary>
    public int EffectiveCandidateRows => CandidateRows > 0 ? Math.Min(CandidateRows, Rows) : (Rows + 1) / 2;

    /// <summary>Sub-bands each band is searched as.</summary>
    public int SubBandsPerBand => (Rows + EffectiveCandidateRows - 1) / EffectiveCandidateRows;

    /// <summary>The number of LSH bands the candidate search runs over (one bucket file set each).</summary>
    public int LshBands => Bands * SubBandsPerBand;

    /// <summary>Where LSH band <paramref name="lshBand"/> lies in the signature: first value and length.</summary>
    public (int Offset, int Length) LshBandRange(int lshBand)
    {
        int perBand = SubBandsPerBand, rows = EffectiveCandidateRows;
        int band = lshBand / perBand, sub = lshBand % perBand;
        int offset = band * Rows + sub * rows;
        return (offset, Math.Min(rows, Rows - sub * rows));
    }

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
        if (CandidateRows < 0) throw new ArgumentException($"candidate rows must be at least 1 (or 0 for half a band), got {CandidateRows}");
    }
}
