using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Sampling.Dsir.Fitting;

/// <summary>
/// DSIR's fitted importance estimator (<c>fit_importance_estimator</c>, <c>importance_estimator</c>):
/// the raw and target bucket distributions, <c>log_diff</c>, and the log importance weight of a document.
/// </summary>
/// <remarks>
/// <para>Numerics follow upstream's numpy code so results match bit for bit where the platform allows:</para>
/// <list type="bullet">
/// <item><c>raw_probs = counts / counts.sum()</c>: one IEEE division per bucket (exact match).</item>
/// <item><c>target_probs = (counts + s) / (counts + s).sum()</c>, the sum in numpy's order (<see cref="NumpySum"/>).</item>
/// <item><c>log_diff = log(target + 1e-8) - log(raw + 1e-8)</c> with <see cref="Math.Log(double)"/>, which on Linux
/// is the C library's <c>log</c>. numpy 1.24 uses an AVX-512 <c>log</c> where the CPU has one, which differs in the last
/// bit for about 30% of buckets; this port matches numpy running without AVX-512 (golden <c>no_avx512/</c>).</item>
/// <item>weight = <c>np.dot(log_diff, counts)</c>: with the reference BLAS a plain left-to-right sum over buckets
/// 0..B-1 of <c>count * log_diff</c>, no FMA. The same sum over the non-zero buckets in ascending order is the same
/// double (adding ±0 changes nothing once the running sum, which starts at +0, is non-zero or +0).</item>
/// </list>
/// <para>Deliberate difference: upstream divides 0/0 into NaN when a side has no n-grams; this throws.</para>
/// </remarks>
public sealed class DsirImportanceModel
{
    /// <summary>Upstream's constant inside the logs.</summary>
    public const double LogEpsilon = 1e-8;

    private readonly double[] _rawProbs;
    private readonly double[] _targetProbs;
    private readonly double[] _logDiff;

    private DsirImportanceModel(double[] rawProbs, double[] targetProbs, double[] logDiff)
    {
        _rawProbs = rawProbs;
        _targetProbs = targetProbs;
        _logDiff = logDiff;
    }

    /// <summary>Number of buckets.</summary>
    public int NumBuckets => _logDiff.Length;

    /// <summary>Raw bucket distribution (empty if the model was built from a saved log_diff).</summary>
    public ReadOnlySpan<double> RawProbs => _rawProbs;

    /// <summary>Target bucket distribution (empty if the model was built from a saved log_diff).</summary>
    public ReadOnlySpan<double> TargetProbs => _targetProbs;

    /// <summary><c>log(target + 1e-8) - log(raw + 1e-8)</c> per bucket.</summary>
    public ReadOnlySpan<double> LogDiff => _logDiff;

    /// <summary>Fits from summed raw and target counts (upstream default smoothing 0.0).</summary>
    public static DsirImportanceModel Fit(FeatureCounts raw, FeatureCounts target, double targetLaplaceSmoothing = 0.0)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(target);
        if (raw.NumBuckets != target.NumBuckets)
        {
            throw new ArgumentException($"Raw has {raw.NumBuckets} buckets, target {target.NumBuckets}.");
        }

        if (!double.IsFinite(targetLaplaceSmoothing) || targetLaplaceSmoothing < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetLaplaceSmoothing), "Must be a finite pseudo-count >= 0.");
        }

        var rawProbs = RawDistribution(raw);
        var targetProbs = TargetDistribution(target, targetLaplaceSmoothing);
        var logDiff = new double[raw.NumBuckets];
        for (int b = 0; b < logDiff.Length; b++)
        {
            logDiff[b] = Math.Log(targetProbs[b] + LogEpsilon) - Math.Log(rawProbs[b] + LogEpsilon);
        }

        return new DsirImportanceModel(rawProbs, targetProbs, logDiff);
    }

    /// <summary>A model from a stored <c>log_diff</c> (e.g. upstream's <c>log_diff.npy</c>); only weights can be computed.</summary>
    public static DsirImportanceModel FromLogDiff(ReadOnlySpan<double> logDiff)
    {
        if (logDiff.IsEmpty)
        {
            throw new ArgumentException("log_diff is empty.", nameof(logDiff));
        }

        return new DsirImportanceModel([], [], logDiff.ToArray());
    }

    /// <summary>Upstream <c>np.dot(log_diff, counts)</c> for one document (see remarks on the summation order).</summary>
    public double LogImportanceWeight(DocumentFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.NumBuckets != NumBuckets)
        {
            throw new ArgumentException($"features has {features.NumBuckets} buckets, the model {NumBuckets}.", nameof(features));
        }

        double sum = 0.0;
        foreach (int bucket in features.Buckets)
        {
            sum += features.CountOf(bucket) * _logDiff[bucket];
        }

        return sum;
    }

    private static double[] RawDistribution(FeatureCounts counts)
    {
        if (counts.Total <= 0)
        {
            throw new InvalidOperationException("The raw data has no n-grams: its distribution is undefined.");
        }

        double total = counts.Total;
        var probs = new double[counts.NumBuckets];
        var c = counts.Counts;
        for (int b = 0; b < probs.Length; b++)
        {
            probs[b] = c[b] / total;
        }

        return probs;
    }

    private static double[] TargetDistribution(FeatureCounts counts, double smoothing)
    {
        var smoothed = new double[counts.NumBuckets];
        var c = counts.Counts;
        for (int b = 0; b < smoothed.Length; b++)
        {
            smoothed[b] = c[b] + smoothing;
        }

        double total = NumpySum.Sum(smoothed);
        if (!(total > 0))
        {
            throw new InvalidOperationException("The target data has no n-grams and no smoothing: its distribution is undefined.");
        }

        for (int b = 0; b < smoothed.Length; b++)
        {
            smoothed[b] /= total;
        }

        return smoothed;
    }
}
