using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// SHA-256 (FIPS 180-4) of short messages, in managed code, for the n-gram bucket cache's misses.
/// </summary>
/// <remarks>
/// A message of at most 55 bytes fits one padded 64-byte block, which this compresses directly on the stack
/// with no allocation and no call into the platform library; <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>
/// has a fixed per-call cost (context set-up, interop) several times the cost of one block for such
/// messages. Longer messages go to <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>.
/// Tests check it against the platform implementation on every length around the block boundary.
/// </remarks>
public static class Sha256Short
{
    /// <summary>Longest message hashed here as a single block.</summary>
    public const int MaxSingleBlock = 55;

    /// <summary>The 64 round constants (FIPS 180-4 §4.2.2), shared with <see cref="Sha256Lanes"/>.</summary>
    internal static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    /// <summary>The initial hash value H(0) (FIPS 180-4 §5.3.3), shared with <see cref="Sha256Lanes"/>.</summary>
    internal static ReadOnlySpan<uint> H0 => [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    /// <summary>
    /// Writes <paramref name="message"/> (at most <see cref="MaxSingleBlock"/> bytes) as its one padded block into
    /// <paramref name="block"/> (64 bytes): the message, the 0x80 end marker, zeros, and its length in bits.
    /// </summary>
    internal static void PadSingleBlock(ReadOnlySpan<byte> message, Span<byte> block)
    {
        block[..64].Clear();
        message.CopyTo(block);
        block[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(block[56..], (ulong)message.Length * 8);
    }

    /// <summary>Writes the 32-byte SHA-256 of <paramref name="message"/> into <paramref name="digest"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        if (message.Length > MaxSingleBlock)
        {
            SHA256.HashData(message, digest);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, SHA256.HashSizeInBytes);
        Span<byte> block = stackalloc byte[64];
        PadSingleBlock(message, block);

        Span<uint> w = stackalloc uint[64];
        for (int i = 0; i < 16; i++)
        {
            w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        }

        for (int i = 16; i < 64; i++)
        {
            uint w15 = w[i - 15], w2 = w[i - 2];
            uint s0 = BitOperations.RotateRight(w15, 7) ^ BitOperations.RotateRight(w15, 18) ^ (w15 >> 3);
            uint s1 = BitOperations.RotateRight(w2, 17) ^ BitOperations.RotateRight(w2, 19) ^ (w2 >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }

        var h0 = H0;
        uint a = h0[0], b = h0[1], c = h0[2], d = h0[3];
        uint e = h0[4], f = h0[5], g = h0[6], h = h0[7];
        var k = K;
        for (int i = 0; i < 64; i++)
        {
            uint t1 = h + Sigma1(e) + ((e & f) ^ (~e & g)) + k[i] + w[i];
            uint t2 = Sigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        BinaryPrimitives.WriteUInt32BigEndian(digest, a + h0[0]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[4..], b + h0[1]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[8..], c + h0[2]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[12..], d + h0[3]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[16..], e + h0[4]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[20..], f + h0[5]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[24..], g + h0[6]);
        BinaryPrimitives.WriteUInt32BigEndian(digest[28..], h + h0[7]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Sigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);
}
