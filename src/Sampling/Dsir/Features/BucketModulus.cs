namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// A 256-bit digest, given as eight big-endian 32-bit words, modulo a fixed bucket count: the same answer as
/// <see cref="NgramBucketHasher.BucketOfDigest"/> (Python's <c>int(hexdigest, 16) % num_buckets</c>) without a
/// hardware division per word, for digests of exactly eight words.
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
    private readonly ulong[] _powers; // 2^(32 (7 - j)) mod m for digest word j

    /// <summary>Prepares reduction modulo <paramref name="numBuckets"/>.</summary>
    public BucketModulus(int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBuckets);
        _m = (uint)numBuckets;
        _inverse = ulong.MaxValue / _m;
        _powers = new ulong[8];
        ulong power = 1 % _m;
        for (int j = 7; j >= 0; j--)
        {
            _powers[j] = power;
            power = (power << 32) % _m;
        }
    }

    /// <summary>The eight digest words (most significant first) modulo the bucket count.</summary>
    public int Of(ReadOnlySpan<uint> words)
    {
        // sum_j words[j] * (2^(32 (7 - j)) mod m), in four independent pairs: each product is below 2^32 * 2^31 = 2^63,
        // so a pair's sum fits 64 bits, and the four reductions do not wait on each other as Horner's steps do.
        var c = _powers;
        ulong s0 = Reduce((words[0] * c[0]) + (words[1] * c[1]));
        ulong s1 = Reduce((words[2] * c[2]) + (words[3] * c[3]));
        ulong s2 = Reduce((words[4] * c[4]) + (words[5] * c[5]));
        ulong s3 = Reduce((words[6] * c[6]) + (words[7] * c[7]));
        return (int)Reduce(s0 + s1 + s2 + s3);
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
