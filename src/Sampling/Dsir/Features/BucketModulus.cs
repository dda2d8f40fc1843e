namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// A 256-bit digest, given as eight big-endian 32-bit words, modulo a fixed bucket count: the same answer as
/// <see cref="NgramBucketHasher.BucketOfDigest"/> (Python's <c>int(hexdigest, 16) % num_buckets</c>) without a
/// hardware division per word.
/// </summary>
/// <remarks>
/// Why: with the SIMD hash a miss costs a few nanoseconds, and eight dependent 64-bit <c>%</c> (tens of cycles each)
/// would cost more than the hash. Barrett reduction with <c>floor((2^64 - 1) / m)</c>: for x &lt; 2^64 the estimated
/// quotient is the true one or one less, so one conditional subtraction finishes it. Tests compare it with
/// <see cref="NgramBucketHasher.BucketOfDigest"/> on random digests and bucket counts up to <see cref="int.MaxValue"/>.
/// </remarks>
public readonly struct BucketModulus
{
    private readonly ulong _m;
    private readonly ulong _inverse;

    /// <summary>Prepares reduction modulo <paramref name="numBuckets"/>.</summary>
    public BucketModulus(int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBuckets);
        _m = (uint)numBuckets;
        _inverse = ulong.MaxValue / _m;
    }

    /// <summary>The digest words (most significant first) modulo the bucket count.</summary>
    public int Of(ReadOnlySpan<uint> words)
    {
        ulong r = 0;
        foreach (uint word in words)
        {
            r = Reduce((r << 32) | word);
        }

        return (int)r;
    }

    private ulong Reduce(ulong x)
    {
        // With I = floor((2^64 - 1) / m) >= 2^64 / m - 1 and x < 2^64: x * I / 2^64 > x / m - 1, so
        // q = floor(x * I / 2^64) is floor(x / m) or one less, and r < 2m.
        ulong q = Math.BigMul(x, _inverse, out _);
        ulong r = x - (q * _m);
        return r >= _m ? r - _m : r;
    }
}
