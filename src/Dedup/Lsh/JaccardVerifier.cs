namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Optional check of LSH candidates: keep a pair only if the exact Jaccard similarity of the two
/// documents' shingle sets reaches the threshold (text-dedup's check_false_positives; NeMo's
/// anchor check). Because stage 2 emits star pairs to the run's first document, each edge compares a
/// document with its would-be keeper. Like text-dedup, an empty union counts as similarity 1.
/// </summary>
public static class JaccardVerifier
{
    public static double Jaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var setA = new HashSet<ulong>(a.ToArray());
        var setB = new HashSet<ulong>(b.ToArray());
        if (setA.Count == 0 && setB.Count == 0) return 1.0;
        int intersection = setA.Count < setB.Count ? setA.Count(setB.Contains) : setB.Count(setA.Contains);
        return (double)intersection / (setA.Count + setB.Count - intersection);
    }

    /// <summary>Pairs whose documents' shingles (looked up by (rank, doc)) have Jaccard ≥ <paramref name="threshold"/>.</summary>
    public static IEnumerable<DuplicatePair> Verify(IEnumerable<DuplicatePair> pairs, Func<uint, uint, ulong[]> shingles, double threshold)
    {
        foreach (var p in pairs)
        {
            if (Jaccard(shingles(p.RankA, p.DocA), shingles(p.RankB, p.DocB)) >= threshold) yield return p;
        }
    }
}
