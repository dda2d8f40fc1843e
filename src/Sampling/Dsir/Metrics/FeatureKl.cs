using DataPipeline.Sampling.Dsir.Fitting;

namespace DataPipeline.Sampling.Dsir.Metrics;

/// <summary>
/// KL divergence between hashed n-gram distributions, and the paper's "KL reduction": how much closer a
/// selection's feature distribution is to the target than a baseline's (e.g. random selection's).
/// </summary>
/// <remarks>
/// The paper (Xie et al. 2023, §5) reports KL reduction = KL(target ‖ baseline) − KL(target ‖ selected) on
/// hashed n-gram features; the released package has no function for it, so the smoothing here is a choice:
/// like <c>log_diff</c>, an optional <paramref name="epsilon"/> is added to every probability inside the logs
/// (pass <see cref="DsirImportanceModel.LogEpsilon"/> to mirror upstream's constant). Buckets with p = 0
/// contribute 0 (the limit of p log p); with epsilon 0, q = 0 where p &gt; 0 gives +∞.
/// </remarks>
public static class FeatureKl
{
    /// <summary>Normalises counts into a distribution (<c>counts / counts.sum()</c>, as upstream).</summary>
    public static double[] Distribution(FeatureCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Total <= 0)
        {
            throw new ArgumentException("No n-grams counted.", nameof(counts));
        }

        double total = counts.Total;
        var p = new double[counts.NumBuckets];
        for (int b = 0; b < p.Length; b++)
        {
            p[b] = counts.Counts[b] / total;
        }

        return p;
    }

    /// <summary>KL(p ‖ q) = Σ p_b (log(p_b + ε) − log(q_b + ε)) in nats, summed in bucket order.</summary>
    public static double Divergence(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double epsilon = 0.0)
    {
        if (p.Length != q.Length)
        {
            throw new ArgumentException("Distributions differ in length.", nameof(q));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        double sum = 0.0;
        for (int b = 0; b < p.Length; b++)
        {
            if (p[b] > 0)
            {
                sum += p[b] * (Math.Log(p[b] + epsilon) - Math.Log(q[b] + epsilon));
            }
        }

        return sum;
    }

    /// <summary>KL(target ‖ baseline) − KL(target ‖ selected): positive when the selection is closer to the target.</summary>
    public static double Reduction(ReadOnlySpan<double> target, ReadOnlySpan<double> baseline, ReadOnlySpan<double> selected, double epsilon = 0.0) =>
        Divergence(target, baseline, epsilon) - Divergence(target, selected, epsilon);
}
