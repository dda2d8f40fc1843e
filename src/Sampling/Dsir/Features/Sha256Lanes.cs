using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// SHA-256 of up to <see cref="MaxLanes"/> short messages at once, one message per SIMD lane: 16 lanes of
/// <see cref="Vector512{T}"/> where AVX-512 is there, 8 of <see cref="Vector256{T}"/> otherwise, and
/// <see cref="Sha256Short"/> one message at a time where neither is accelerated.
/// </summary>
/// <remarks>
/// <para>Why: the n-gram cache's misses are short (a word or two) and numerous, and one scalar block costs
/// ~350 ns of dependent 32-bit operations; the same 64 rounds on 16 independent messages in one vector cost
/// little more than on one. Each message must fit one padded block (at most <see cref="Sha256Short.MaxSingleBlock"/>
/// bytes); callers send longer ones to <see cref="Sha256Short.HashData"/>.</para>
/// <para>Digests come back as their eight big-endian 32-bit words (<c>digest[message * 8 + word]</c>), which is
/// what the bucket reduction reads. Tests check every path against <see cref="System.Security.Cryptography.SHA256"/>.</para>
/// </remarks>
public static class Sha256Lanes
{
    /// <summary>Most messages one call hashes.</summary>
    public const int MaxLanes = 16;

    /// <summary>Whether the 16-lane AVX-512 path runs on this machine.</summary>
    public static bool Is512Supported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512BW.IsSupported && Avx2.IsSupported;

    /// <summary>Whether the 8-lane path runs on this machine.</summary>
    public static bool Is256Supported => Vector256.IsHardwareAccelerated;

    private static ReadOnlySpan<uint> K => Sha256Short.K;

    private static ReadOnlySpan<uint> H0 => Sha256Short.H0;

    /// <summary>
    /// Hashes the messages <c>source[starts[i] .. starts[i] + lengths[i]]</c> (at most <see cref="MaxLanes"/>, each at
    /// most <see cref="Sha256Short.MaxSingleBlock"/> bytes) into <paramref name="digestWords"/>, by the widest path this machine has.
    /// </summary>
    public static void Hash(ReadOnlySpan<byte> source, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> digestWords)
    {
        if (Is512Supported)
        {
            Hash512(source, starts, lengths, digestWords);
        }
        else if (Is256Supported)
        {
            Hash256(source, starts, lengths, digestWords);
        }
        else
        {
            HashScalar(source, starts, lengths, digestWords);
        }
    }

    /// <summary>The 16-lane path (requires <see cref="Is512Supported"/>).</summary>
    [SkipLocalsInit]
    public static unsafe void Hash512(ReadOnlySpan<byte> source, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> digestWords)
    {
        if (!Is512Supported)
        {
            throw new PlatformNotSupportedException("AVX-512 is not available.");
        }

        int count = Validate(starts, lengths, digestWords);
        if (count == 0)
        {
            return;
        }

        // One padded 64-byte block per lane, side by side; word i of every lane is then one gather (stride 16 words)
        // and one byte swap, instead of 16 scalar big-endian reads and scattered stores per lane.
        byte* blocks = stackalloc byte[16 * 64];
        for (int lane = 0; lane < 16; lane++)
        {
            var message = lane < count ? source.Slice(starts[lane], lengths[lane]) : default;
            Sha256Short.PadSingleBlock(message, new Span<byte>(blocks + (lane * 64), 64));
        }

        Span<Vector512<uint>> w = stackalloc Vector512<uint>[16];
        var index = Vector256.Create(0, 16, 32, 48, 64, 80, 96, 112); // .NET exposes the 8-lane AVX2 gather only
        var swap = Vector512.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
        for (int i = 0; i < 16; i++)
        {
            var gathered = Vector512.Create(Avx2.GatherVector256((uint*)blocks + i, index, 4), Avx2.GatherVector256((uint*)blocks + (8 * 16) + i, index, 4));
            w[i] = Avx512BW.Shuffle(gathered.AsByte(), swap).AsUInt32();
        }

        Compress512(w, digestWords, count);
    }

    /// <summary>The 8-lane path (requires <see cref="Is256Supported"/>).</summary>
    public static void Hash256(ReadOnlySpan<byte> source, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> digestWords)
    {
        if (!Is256Supported)
        {
            throw new PlatformNotSupportedException("256-bit vectors are not accelerated.");
        }

        int count = Validate(starts, lengths, digestWords);
        Span<uint> words = stackalloc uint[16 * 8];
        for (int done = 0; done < count; done += 8)
        {
            int n = Math.Min(8, count - done);
            Transpose(source, starts.Slice(done, n), lengths.Slice(done, n), words, 8);
            Compress256(words, digestWords.Slice(done * 8, n * 8), n);
        }
    }

    /// <summary>The scalar fallback: <see cref="Sha256Short"/> once per message.</summary>
    public static void HashScalar(ReadOnlySpan<byte> source, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> digestWords)
    {
        int count = Validate(starts, lengths, digestWords);
        Span<byte> digest = stackalloc byte[32];
        for (int m = 0; m < count; m++)
        {
            Sha256Short.HashData(source.Slice(starts[m], lengths[m]), digest);
            for (int j = 0; j < 8; j++)
            {
                digestWords[(m * 8) + j] = BinaryPrimitives.ReadUInt32BigEndian(digest[(j * 4)..]);
            }
        }
    }

    private static int Validate(ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> digestWords)
    {
        int count = starts.Length;
        if (lengths.Length != count || count > MaxLanes || digestWords.Length < count * 8)
        {
            throw new ArgumentException($"at most {MaxLanes} messages, one start and one length each, and 8 digest words per message");
        }

        foreach (int length in lengths)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Sha256Short.MaxSingleBlock);
        }

        return count;
    }

    /// <summary>
    /// Pads each message into its one block and writes the block's 16 big-endian words column-wise:
    /// <c>words[word * lanes + lane]</c>, so word i of every lane loads as one vector. Unused lanes hash an empty block.
    /// </summary>
    private static void Transpose(ReadOnlySpan<byte> source, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> words, int lanes)
    {
        Span<byte> block = stackalloc byte[64];
        for (int lane = 0; lane < lanes; lane++)
        {
            var message = lane < starts.Length ? source.Slice(starts[lane], lengths[lane]) : default;
            Sha256Short.PadSingleBlock(message, block);
            for (int i = 0; i < 16; i++)
            {
                words[(i * lanes) + lane] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
            }
        }
    }

    [SkipLocalsInit]
    private static void Compress512(Span<Vector512<uint>> w, Span<uint> digestWords, int n)
    {

        var h0 = H0;
        Vector512<uint> a = Vector512.Create(h0[0]), b = Vector512.Create(h0[1]), c = Vector512.Create(h0[2]), d = Vector512.Create(h0[3]);
        Vector512<uint> e = Vector512.Create(h0[4]), f = Vector512.Create(h0[5]), g = Vector512.Create(h0[6]), h = Vector512.Create(h0[7]);
        var k = K;
        for (int i = 0; i < 64; i++)
        {
            Vector512<uint> wi;
            if (i < 16)
            {
                wi = w[i];
            }
            else
            {
                // Rolling 16-word schedule: w[i] = w[i-16] + s0(w[i-15]) + w[i-7] + s1(w[i-2]).
                var w15 = w[(i + 1) & 15];
                var w2 = w[(i + 14) & 15];
                var s0 = Avx512F.TernaryLogic(Avx512F.RotateRight(w15, 7), Avx512F.RotateRight(w15, 18), Vector512.ShiftRightLogical(w15, 3), 0x96);
                var s1 = Avx512F.TernaryLogic(Avx512F.RotateRight(w2, 17), Avx512F.RotateRight(w2, 19), Vector512.ShiftRightLogical(w2, 10), 0x96);
                wi = w[i & 15] + s0 + w[(i + 9) & 15] + s1;
                w[i & 15] = wi;
            }

            // 0x96 = a ^ b ^ c, 0xCA = a ? b : c (Ch), 0xE8 = majority (Maj), as vpternlogd truth tables.
            var sigma1 = Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), 0x96);
            var t1 = h + sigma1 + Avx512F.TernaryLogic(e, f, g, 0xCA) + Vector512.Create(k[i]) + wi;
            var sigma0 = Avx512F.TernaryLogic(Avx512F.RotateRight(a, 2), Avx512F.RotateRight(a, 13), Avx512F.RotateRight(a, 22), 0x96);
            var t2 = sigma0 + Avx512F.TernaryLogic(a, b, c, 0xE8);
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        Span<uint> state = stackalloc uint[8 * 16];
        (a + Vector512.Create(h0[0])).CopyTo(state);
        (b + Vector512.Create(h0[1])).CopyTo(state[16..]);
        (c + Vector512.Create(h0[2])).CopyTo(state[32..]);
        (d + Vector512.Create(h0[3])).CopyTo(state[48..]);
        (e + Vector512.Create(h0[4])).CopyTo(state[64..]);
        (f + Vector512.Create(h0[5])).CopyTo(state[80..]);
        (g + Vector512.Create(h0[6])).CopyTo(state[96..]);
        (h + Vector512.Create(h0[7])).CopyTo(state[112..]);
        Untranspose(state, digestWords, 16, n);
    }

    private static void Compress256(ReadOnlySpan<uint> words, Span<uint> digestWords, int n)
    {
        Span<Vector256<uint>> w = stackalloc Vector256<uint>[16];
        for (int i = 0; i < 16; i++)
        {
            w[i] = Vector256.Create(words.Slice(i * 8, 8));
        }

        var h0 = H0;
        Vector256<uint> a = Vector256.Create(h0[0]), b = Vector256.Create(h0[1]), c = Vector256.Create(h0[2]), d = Vector256.Create(h0[3]);
        Vector256<uint> e = Vector256.Create(h0[4]), f = Vector256.Create(h0[5]), g = Vector256.Create(h0[6]), h = Vector256.Create(h0[7]);
        var k = K;
        for (int i = 0; i < 64; i++)
        {
            Vector256<uint> wi;
            if (i < 16)
            {
                wi = w[i];
            }
            else
            {
                var w15 = w[(i + 1) & 15];
                var w2 = w[(i + 14) & 15];
                var s0 = Rotr(w15, 7) ^ Rotr(w15, 18) ^ Vector256.ShiftRightLogical(w15, 3);
                var s1 = Rotr(w2, 17) ^ Rotr(w2, 19) ^ Vector256.ShiftRightLogical(w2, 10);
                wi = w[i & 15] + s0 + w[(i + 9) & 15] + s1;
                w[i & 15] = wi;
            }

            var t1 = h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + (g ^ (e & (f ^ g))) + Vector256.Create(k[i]) + wi;
            var t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) | (c & (a | b)));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        Span<uint> state = stackalloc uint[8 * 8];
        (a + Vector256.Create(h0[0])).CopyTo(state);
        (b + Vector256.Create(h0[1])).CopyTo(state[8..]);
        (c + Vector256.Create(h0[2])).CopyTo(state[16..]);
        (d + Vector256.Create(h0[3])).CopyTo(state[24..]);
        (e + Vector256.Create(h0[4])).CopyTo(state[32..]);
        (f + Vector256.Create(h0[5])).CopyTo(state[40..]);
        (g + Vector256.Create(h0[6])).CopyTo(state[48..]);
        (h + Vector256.Create(h0[7])).CopyTo(state[56..]);
        Untranspose(state, digestWords, 8, n);
    }

    // Portable rotate: shifts and an or (AVX2 has no 32-bit rotate; the JIT may fuse it where it can).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr(Vector256<uint> x, int n) => Vector256.ShiftRightLogical(x, n) | Vector256.ShiftLeft(x, 32 - n);

    private static void Untranspose(ReadOnlySpan<uint> state, Span<uint> digestWords, int lanes, int n)
    {
        for (int lane = 0; lane < n; lane++)
        {
            for (int j = 0; j < 8; j++)
            {
                digestWords[(lane * 8) + j] = state[(j * lanes) + lane];
            }
        }
    }
}
