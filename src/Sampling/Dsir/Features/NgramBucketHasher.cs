using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// DSIR's <c>hash_buckets</c>: <c>int(sha256(ngram.encode("utf-8")).hexdigest(), 16) % num_buckets</c>.
/// </summary>
/// <remarks>
/// The 256-bit digest is read big-endian and reduced modulo the bucket count exactly (Horner's
/// rule on 32-bit words), so any bucket count up to <see cref="int.MaxValue"/> gives Python's answer.
/// </remarks>
public static class NgramBucketHasher
{
    /// <summary>The bucket of the UTF-8 bytes of one n-gram.</summary>
    public static int Bucket(ReadOnlySpan<byte> utf8Ngram, int numBuckets)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Sha256Short.HashData(utf8Ngram, digest);
        return BucketOfDigest(digest, numBuckets);
    }

    /// <summary>As <see cref="Bucket"/>, through the platform's SHA-256 (for tests and profiling).</summary>
    public static int BucketPlatform(ReadOnlySpan<byte> utf8Ngram, int numBuckets)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8Ngram, digest);
        return BucketOfDigest(digest, numBuckets);
    }

    /// <summary>The 256-bit big-endian <paramref name="digest"/> modulo <paramref name="numBuckets"/>.</summary>
    public static int BucketOfDigest(ReadOnlySpan<byte> digest, int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBuckets);
        ulong m = (uint)numBuckets;
        ulong r = 0;
        for (int i = 0; i < digest.Length; i += 4)
        {
            // r < m < 2^31, so (r << 32) | word < 2^63: no overflow.
            r = ((r << 32) | BinaryPrimitives.ReadUInt32BigEndian(digest[i..])) % m;
        }

        return (int)r;
    }
}
