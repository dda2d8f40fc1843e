namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>
/// The stream of standard Gumbel draws <c>np.random.gumbel(size=n)</c> gives after <c>np.random.seed(seed)</c>
/// (numpy's legacy <c>random_gumbel</c>: <c>U = 1 - next_double</c>, redraw if <c>U == 1</c>,
/// <c>loc - scale * log(-log(U))</c> with loc 0, scale 1).
/// </summary>
/// <remarks>
/// <see cref="Math.Log(double)"/> is the C library's <c>log</c> on Linux, as numpy's scalar <c>npy_log</c> is,
/// so the draws match numpy bit for bit there. <see cref="Skip"/> lets a task that owns a later slice of the
/// eligible documents start at its draw without computing the logs before it.
/// </remarks>
public sealed class NumpyLegacyGumbel
{
    private readonly Mt19937 _mt;

    /// <summary>Seeds as <c>np.random.seed(seed)</c>.</summary>
    public NumpyLegacyGumbel(uint seed) => _mt = new Mt19937(seed);

    /// <summary>The next draw.</summary>
    public double Next()
    {
        double u = NextUniform();
        return 0.0 - (1.0 * Math.Log(-Math.Log(u)));
    }

    /// <summary>Advances past <paramref name="draws"/> draws (same generator calls, no logs).</summary>
    public void Skip(long draws)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(draws);
        for (long i = 0; i < draws; i++)
        {
            NextUniform();
        }
    }

    private double NextUniform()
    {
        while (true)
        {
            double u = 1.0 - _mt.NextDouble();
            if (u < 1.0)
            {
                return u;
            }
        }
    }
}
