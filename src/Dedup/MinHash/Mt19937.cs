namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// The Mersenne Twister as numpy's legacy <c>RandomState(seed)</c> runs it: <c>init_genrand</c> seeding
/// from a 32-bit integer and the reference tempering. Only here so that MinHash permutation
/// parameters come out exactly as datatrove draws them; not a general-purpose generator.
/// </summary>
internal sealed class Mt19937
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;

    public Mt19937(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++)
        {
            _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        }
        _index = N;
    }

    public uint NextUInt32()
    {
        if (_index >= N)
        {
            Twist();
        }
        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>numpy's 64-bit draw from MT19937: the first 32-bit output is the high word.</summary>
    public ulong NextUInt64()
    {
        ulong upper = NextUInt32();
        ulong lower = NextUInt32();
        return (upper << 32) | lower;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            uint next = _mt[(i + M) % N] ^ (y >> 1);
            _mt[i] = (y & 1) != 0 ? next ^ 0x9908b0dfu : next;
        }
        _index = 0;
    }
}
