namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>
/// Sampling without replacement as DSIR's <c>resample</c> does it (Gumbel top-k over the eligible documents),
/// split so that each task scores its own slice of the raw data into a <see cref="TopK"/> and one
/// <see cref="TopK.Merge"/> gives the global selection.
/// </summary>
/// <remarks>
/// Upstream semantics reproduced are those of <c>num_proc=1</c>: documents in raw file order, the i-th
/// eligible document gets the i-th Gumbel draw. With several processes upstream interleaves lines into
/// virtual shards and the draw a document meets depends on the core count; that is deliberately not reproduced.
/// </remarks>
public static class DsirResampler
{
    /// <summary>
    /// Scores one task's contiguous slice of the raw data.
    /// </summary>
    /// <param name="logWeights">Log importance weights of the slice's documents, in raw order.</param>
    /// <param name="eligible">Whether each document passes the length filter (same length as <paramref name="logWeights"/>).</param>
    /// <param name="firstIndex">Raw-order index of the slice's first document.</param>
    /// <param name="eligibleBefore">Number of eligible documents in all earlier slices (used by <see cref="GumbelNoise.NumpyLegacy"/> only).</param>
    /// <param name="options">Sample size, seed and noise.</param>
    public static TopK ScoreSlice(
        ReadOnlySpan<double> logWeights,
        ReadOnlySpan<bool> eligible,
        long firstIndex,
        long eligibleBefore,
        DsirResampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (logWeights.Length != eligible.Length)
        {
            throw new ArgumentException("logWeights and eligible differ in length.", nameof(eligible));
        }

        var top = new TopK(options.NumToSample);
        NumpyLegacyGumbel? stream = null;
        if (options.Noise == GumbelNoise.NumpyLegacy)
        {
            stream = new NumpyLegacyGumbel((uint)options.Seed);
            stream.Skip(eligibleBefore);
        }

        for (int i = 0; i < logWeights.Length; i++)
        {
            if (!eligible[i])
            {
                continue;
            }

            long index = firstIndex + i;
            double noise = options.Noise switch
            {
                GumbelNoise.NumpyLegacy => stream!.Next(),
                GumbelNoise.CounterBased => CounterGumbel.Draw(options.Seed, index),
                _ => 0.0,
            };

            // Upstream adds the noise array to the weights array: one IEEE addition per document.
            top.Offer(options.Noise == GumbelNoise.None ? logWeights[i] : logWeights[i] + noise, index);
        }

        return top;
    }

    /// <summary>Single-task convenience: the selected raw indices, in raw order.</summary>
    public static long[] Select(ReadOnlySpan<double> logWeights, ReadOnlySpan<bool> eligible, DsirResampleOptions options) =>
        ScoreSlice(logWeights, eligible, 0, 0, options).IndicesInRawOrder();
}
