namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// Picks bands b and rows r for a Jaccard threshold t and a budget of P permutations, as text-dedup's
/// <c>optimal_param</c> (from datasketch) does: minimise <c>w_fp·∫_0^t P(s) ds + w_fn·∫_t^1 (1 − P(s)) ds</c>
/// with <c>P(s) = 1 − (1 − s^r)^b</c>, over b in 1..P and r in 1..P/b, ties keeping the first (b, then r, ascending).
/// </summary>
/// <remarks>
/// Upstream integrates with scipy's adaptive quad; this uses composite Simpson with 2,000 panels,
/// far below the gaps between neighbouring (b, r) objectives at the thresholds used in practice.
/// </remarks>
public static class LshParameterOptimizer
{
    private const int Panels = 2000;

    public static (int Bands, int Rows) Optimal(double threshold, int numPermutations, double falsePositiveWeight = 0.5, double falseNegativeWeight = 0.5)
    {
        if (threshold is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be in (0, 1)");
        ArgumentOutOfRangeException.ThrowIfLessThan(numPermutations, 1);
        double best = double.MaxValue;
        (int, int) result = (1, 1);
        for (int b = 1; b <= numPermutations; b++)
        {
            for (int r = 1; r <= numPermutations / b; r++)
            {
                double fp = Integrate(s => 1 - Math.Pow(1 - Math.Pow(s, r), b), 0, threshold);
                double fn = Integrate(s => Math.Pow(1 - Math.Pow(s, r), b), threshold, 1);
                double error = falsePositiveWeight * fp + falseNegativeWeight * fn;
                if (error < best)
                {
                    best = error;
                    result = (b, r);
                }
            }
        }
        return result;
    }

    /// <summary>The probability that two documents at Jaccard s share at least one band: 1 − (1 − s^r)^b.</summary>
    public static double CandidateProbability(double s, int bands, int rows) => 1 - Math.Pow(1 - Math.Pow(s, rows), bands);

    private static double Integrate(Func<double, double> f, double from, double to)
    {
        double h = (to - from) / Panels;
        double sum = f(from) + f(to);
        for (int i = 1; i < Panels; i++)
        {
            sum += f(from + i * h) * (i % 2 == 0 ? 2 : 4);
        }
        return sum * h / 3;
    }
}
