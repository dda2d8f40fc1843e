namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>
/// The Mersenne Twister MT19937 behind numpy's legacy <c>np.random</c> (<c>RandomState</c>), seeded the way
/// <c>np.random.seed(int)</c> seeds it (<c>mt19937_seed</c> = Matsumoto–Nishimura <c>init_genrand</c>).
/// </summary>
/// <remarks>DSIR calls <c>np.random.gumbel</c> without its own generator, so its selection is only
/// reproducible through this exact stream. Not thread-safe.</remarks>
public sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DF;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7FFFFFFF;

    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>Seeds as <c>np.random.seed(seed)</c> does for an integer seed in [0, 2^32).</summary>
    public Mt19937(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++)
        {
            _mt[i] = unchecked((1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30))) + (uint)i);
        }

        _index = N;
    }

    /// <summary>The next 32-bit output (<c>genrand_int32</c>).</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Regenerate();
        }

        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) with 53 random bits (<c>genrand_res53</c>, numpy's legacy <c>random_sample</c>).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    private void Regenerate()
    {
        for (int k = 0; k < N; k++)
        {
            uint y = (_mt[k] & UpperMask) | (_mt[(k + 1) % N] & LowerMask);
            _mt[k] = _mt[(k + M) % N] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }

        _index = 0;
    }
}
