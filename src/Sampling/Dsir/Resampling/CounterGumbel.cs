namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>
/// Standard Gumbel noise as a pure function of (seed, stream, document index): every task can draw the
/// noise of its own documents with no knowledge of the others.
/// </summary>
/// <remarks>
/// Not upstream: DSIR draws from one sequential numpy stream (<see cref="NumpyLegacyGumbel"/>), which ties
/// each document's draw to how many eligible documents precede it. This is the scalable alternative when
/// bit-compatibility with DSIR's selection is not needed. The mixer is SplitMix64's finaliser; U uses 53
/// bits and lies strictly inside (0, 1), so the logs are always finite.
/// </remarks>
public static class CounterGumbel
{
    /// <summary>The draw for <paramref name="index"/> in <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static double Draw(ulong seed, long index, ulong stream = 0)
    {
        ulong x = Mix(seed ^ Mix(stream + 0x9E3779B97F4A7C15UL));
        x = Mix(x ^ Mix(unchecked((ulong)index) + 0xD1B54A32D192ED03UL));
        double u = ((x >> 11) + 0.5) * (1.0 / 9007199254740992.0);
        return -Math.Log(-Math.Log(u));
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
