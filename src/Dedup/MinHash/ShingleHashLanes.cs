using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// xxh64 (seed 0) of four shingles at once, one per 64-bit lane, for shingles shorter than 64 bytes
/// (nearly all five-word windows). The scalar hash runs loops whose trip counts follow each window's
/// length, which varies at random, so it pays a branch miss or two per shingle; here every step is
/// computed for every lane and kept or discarded by a per-lane mask, with no branch on the length.
/// Needs AVX-512 (VL, DQ) for 64-bit multiplies and rotates; <see cref="ShingleHash"/> elsewhere.
/// </summary>
internal static class ShingleHashLanes
{
    private const ulong P1 = ShingleHash.P1, P2 = ShingleHash.P2, P3 = ShingleHash.P3, P4 = ShingleHash.P4, P5 = ShingleHash.P5;

    public static readonly bool IsSupported = Avx512F.VL.IsSupported && Avx512DQ.VL.IsSupported && Avx2.IsSupported && BitConverter.IsLittleEndian;

    /// <summary>Bytes read from each shingle's start, whatever its length.</summary>
    public const int Window = 64;

    /// <summary>
    /// Hashes of the four shingles <c>text[start_j .. start_j + length_j)</c>; every
    /// <c>start_j + <see cref="Window"/></c> must lie within <paramref name="text"/> and every length be below 64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Hash4(ReadOnlySpan<byte> text, int s0, int s1, int s2, int s3, Vector256<ulong> length)
    {
        ref byte p = ref MemoryMarshal.GetReference(text);
        // Words 0..3 (bytes 0..31) and 4..7 (bytes 32..63) of each lane, transposed from the four windows.
        Transpose(Load(ref p, s0), Load(ref p, s1), Load(ref p, s2), Load(ref p, s3), out var w0, out var w1, out var w2, out var w3);
        Transpose(Load(ref p, s0 + 32), Load(ref p, s1 + 32), Load(ref p, s2 + 32), Load(ref p, s3 + 32), out var w4, out var w5, out var w6, out var w7);

        // 32 bytes or more: one stripe of four accumulators, then the tail from byte 32. Fewer: no stripe.
        var v1 = Round(Vector256.Create(unchecked(P1 + P2)), w0);
        var v2 = Round(Vector256.Create(P2), w1);
        var v3 = Round(Vector256<ulong>.Zero, w2);
        var v4 = Round(Vector256.Create(unchecked(0 - P1)), w3);
        var striped = Avx512F.VL.RotateLeft(v1, 1) + Avx512F.VL.RotateLeft(v2, 7) + Avx512F.VL.RotateLeft(v3, 12) + Avx512F.VL.RotateLeft(v4, 18);
        striped = Merge(Merge(Merge(Merge(striped, v1), v2), v3), v4);
        var big = Vector256.GreaterThanOrEqual(length, Vector256.Create(32UL));
        var h = Vector256.ConditionalSelect(big, striped, Vector256.Create(P5)) + length;
        var t0 = Vector256.ConditionalSelect(big, w4, w0);
        var t1 = Vector256.ConditionalSelect(big, w5, w1);
        var t2 = Vector256.ConditionalSelect(big, w6, w2);
        var t3 = Vector256.ConditionalSelect(big, w7, w3);
        var rest = length - (big & Vector256.Create(32UL)); // bytes after the stripe: 0..31

        // Up to three 8-byte steps.
        h = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(rest, Vector256.Create(8UL)), Step8(h, t0), h);
        h = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(rest, Vector256.Create(16UL)), Step8(h, t1), h);
        h = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(rest, Vector256.Create(24UL)), Step8(h, t2), h);
        // What is left (under 8 bytes) lies in word rest / 8 of the tail: a 4-byte step, then up to three bytes.
        var q = rest >>> 3;
        var last = Vector256.ConditionalSelect(Vector256.Equals(q, Vector256.Create(1UL)), t1,
            Vector256.ConditionalSelect(Vector256.Equals(q, Vector256.Create(2UL)), t2,
            Vector256.ConditionalSelect(Vector256.Equals(q, Vector256.Create(3UL)), t3, t0)));
        var four = rest & Vector256.Create(4UL);
        var step4 = Avx512F.VL.RotateLeft(h ^ ((last & Vector256.Create(0xFFFF_FFFFUL)) * Vector256.Create(P1)), 23) * Vector256.Create(P2) + Vector256.Create(P3);
        h = Vector256.ConditionalSelect(Vector256.Equals(four, Vector256.Create(4UL)), step4, h);
        var remaining = rest & Vector256.Create(7UL); // bytes of the last word not yet taken, from byte 'four'
        for (ulong k = 0; k < 3; k++)
        {
            var at = four + Vector256.Create(k);
            var b = Avx2.ShiftRightLogicalVariable(last, at << 3) & Vector256.Create(0xFFUL);
            var stepped = Avx512F.VL.RotateLeft(h ^ (b * Vector256.Create(P5)), 11) * Vector256.Create(P1);
            h = Vector256.ConditionalSelect(Vector256.LessThan(at, remaining), stepped, h);
        }

        h ^= h >>> 33;
        h *= Vector256.Create(P2);
        h ^= h >>> 29;
        h *= Vector256.Create(P3);
        h ^= h >>> 32;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Load(ref byte p, int offset) => Vector256.LoadUnsafe(ref p, (nuint)offset).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(Vector256<ulong> r0, Vector256<ulong> r1, Vector256<ulong> r2, Vector256<ulong> r3,
        out Vector256<ulong> c0, out Vector256<ulong> c1, out Vector256<ulong> c2, out Vector256<ulong> c3)
    {
        var a = Avx2.UnpackLow(r0, r1);  // r0[0] r1[0] r0[2] r1[2]
        var b = Avx2.UnpackHigh(r0, r1); // r0[1] r1[1] r0[3] r1[3]
        var c = Avx2.UnpackLow(r2, r3);
        var d = Avx2.UnpackHigh(r2, r3);
        c0 = Avx2.Permute2x128(a, c, 0x20);
        c1 = Avx2.Permute2x128(b, d, 0x20);
        c2 = Avx2.Permute2x128(a, c, 0x31);
        c3 = Avx2.Permute2x128(b, d, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Round(Vector256<ulong> acc, Vector256<ulong> input) =>
        Avx512F.VL.RotateLeft(acc + input * Vector256.Create(P2), 31) * Vector256.Create(P1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Merge(Vector256<ulong> acc, Vector256<ulong> value) =>
        (acc ^ Round(Vector256<ulong>.Zero, value)) * Vector256.Create(P1) + Vector256.Create(P4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Step8(Vector256<ulong> h, Vector256<ulong> word) =>
        Avx512F.VL.RotateLeft(h ^ Round(Vector256<ulong>.Zero, word), 27) * Vector256.Create(P1) + Vector256.Create(P4);
}
