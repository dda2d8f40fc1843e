namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>A document's global raw-order index and its resampling key (log weight plus noise).</summary>
/// <param name="Key">The key; larger is better.</param>
/// <param name="Index">The document's position in the raw data (must be unique across tasks).</param>
public readonly record struct ScoredDocument(double Key, long Index)
{
    /// <summary>
    /// The one total order every <see cref="TopK"/> uses: larger key first, then smaller index. Upstream's
    /// <c>np.argpartition</c> leaves ties at the k-th key in an unspecified order; a fixed tie-break is what
    /// makes the merged result independent of how documents were split into tasks.
    /// </summary>
    public bool IsBetterThan(ScoredDocument other) => Key > other.Key || (Key == other.Key && Index < other.Index);
}
