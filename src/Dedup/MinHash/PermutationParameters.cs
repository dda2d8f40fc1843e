using System.Numerics;

namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// The <c>a</c>, <c>b</c> of datatrove's MinHash permutations <c>h_i(x) = (x·a_i + b_i mod 2^64) mod (2^61−1)</c>,
/// drawn exactly as <c>np.random.RandomState(seed).randint(1, p, uint64, P)</c> then <c>randint(0, p, uint64, P)</c>.
/// </summary>
/// <remarks>
/// numpy's legacy bounded draw for a 64-bit range is "masked rejection": take a 64-bit output, AND it with
/// the smallest all-ones mask covering the range, retry while it exceeds the range. The multiply
/// wrapping mod 2^64 is datatrove's behaviour (huggingface/datatrove#198), kept for identical signatures.
/// </remarks>
public sealed class PermutationParameters
{
    /// <summary>The Mersenne prime 2^61 − 1.</summary>
    public const ulong MersennePrime = (1UL << 61) - 1;

    private PermutationParameters(ulong[] a, ulong[] b)
    {
        A = a;
        B = b;
    }

    public ulong[] A { get; }

    public ulong[] B { get; }

    public int Count => A.Length;

    public static PermutationParameters Create(uint seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var rng = new Mt19937(seed);
        var a = new ulong[count];
        var b = new ulong[count];
        for (int i = 0; i < count; i++) a[i] = BoundedMasked(rng, 1, MersennePrime);
        for (int i = 0; i < count; i++) b[i] = BoundedMasked(rng, 0, MersennePrime);
        return new PermutationParameters(a, b);
    }

    /// <summary>numpy legacy <c>randint(low, high)</c> for uint64 with 32-bit-exceeding ranges.</summary>
    private static ulong BoundedMasked(Mt19937 rng, ulong low, ulong highExclusive)
    {
        ulong range = highExclusive - 1 - low;
        ulong mask = range == 0 ? 0 : ulong.MaxValue >> BitOperations.LeadingZeroCount(range);
        ulong value;
        do
        {
            value = rng.NextUInt64() & mask;
        }
        while (value > range);
        return low + value;
    }
}
