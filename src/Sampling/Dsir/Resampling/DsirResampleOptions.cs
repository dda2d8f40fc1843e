namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>Parameters of DSIR's <c>resample</c>.</summary>
public sealed record DsirResampleOptions
{
    /// <summary>Number of documents to select (upstream <c>num_to_sample</c>).</summary>
    public required int NumToSample { get; init; }

    /// <summary>Seed: for <see cref="GumbelNoise.NumpyLegacy"/> the value given to <c>np.random.seed</c> (0..2^32-1).</summary>
    public ulong Seed { get; init; }

    /// <summary>The noise; upstream default is Gumbel top-k with numpy's generator.</summary>
    public GumbelNoise Noise { get; init; } = GumbelNoise.NumpyLegacy;

    /// <summary>Throws if the options cannot be used.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(NumToSample);
        if (Noise == GumbelNoise.NumpyLegacy && Seed > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(Seed), "np.random.seed accepts 0..2^32-1.");
        }
    }
}
