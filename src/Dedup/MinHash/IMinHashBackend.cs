namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// Computes MinHash signatures for a batch. Every backend must give bit-identical results:
/// <c>sig[d, i] = min over shingles x of d of ((x·a_i + b_i) mod 2^64) mod (2^61 − 1)</c>.
/// </summary>
public interface IMinHashBackend : IDisposable
{
    /// <summary>What actually runs (e.g. "cpu-vector512", "ilgpu-cuda: NVIDIA H100"), for logs and stats.</summary>
    string Name { get; }

    /// <summary>
    /// Fills <paramref name="signatures"/> (row-major, <c>batch.Count × parameters.Count</c>). A document
    /// with no shingles gets a row of <see cref="ulong.MaxValue"/>, which callers treat as "no signature".
    /// </summary>
    void Compute(ShingleBatch batch, PermutationParameters parameters, Span<ulong> signatures);
}

/// <summary>The permutation step every backend shares, written once for the scalar paths.</summary>
internal static class MinHashMath
{
    public const ulong P = PermutationParameters.MersennePrime;

    /// <summary>datatrove's <c>(x * a + b) % p</c> on numpy uint64: the product and sum wrap mod 2^64.</summary>
    public static ulong Permute(ulong x, ulong a, ulong b) => unchecked(x * a + b) % P;

    /// <summary>
    /// The same value without a division: 2^61 ≡ 1 (mod p), so h ≡ (h &amp; p) + (h >> 61) ≤ p + 7, and
    /// one conditional subtraction finishes it. Written as a min because h − p wraps to a huge value
    /// exactly when h &lt; p, which is also how the vector paths do it.
    /// </summary>
    public static ulong PermuteFast(ulong x, ulong a, ulong b)
    {
        ulong h = unchecked(x * a + b);
        h = (h & P) + (h >> 61);
        return Math.Min(h, unchecked(h - P));
    }
}
