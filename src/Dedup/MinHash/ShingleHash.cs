using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// xxh64 with seed 0 (datatrove's <c>xxhash.xxh64_intdigest</c>), the same values as
/// <see cref="XxHash64.HashToUInt64(ReadOnlySpan{byte}, long)"/>, written out for the short inputs a
/// shingle is (five words, ~30 bytes): inlined into the shingle loop it costs a third of the library
/// call, which sets up a general streaming state for every input. Big-endian machines use the library.
/// </summary>
internal static class ShingleHash
{
    // xxh64's primes, shared with ShingleHashLanes.
    internal const ulong P1 = 11400714785074694791UL;
    internal const ulong P2 = 14029467366897019727UL;
    internal const ulong P3 = 1609587929392839161UL;
    internal const ulong P4 = 9650029242287828579UL;
    internal const ulong P5 = 2870177450012600261UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) return XxHash64.HashToUInt64(data);
        ref byte p = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        ulong h;
        if (length >= 32)
        {
            // All arithmetic wraps modulo 2^64 (constant expressions must say so).
            ulong v1 = unchecked(P1 + P2), v2 = P2, v3 = 0, v4 = unchecked(0 - P1);
            for (; i <= length - 32; i += 32)
            {
                v1 = Round(v1, Read64(ref p, i));
                v2 = Round(v2, Read64(ref p, i + 8));
                v3 = Round(v3, Read64(ref p, i + 16));
                v4 = Round(v4, Read64(ref p, i + 24));
            }
            h = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            h = Merge(h, v1);
            h = Merge(h, v2);
            h = Merge(h, v3);
            h = Merge(h, v4);
        }
        else
        {
            h = P5;
        }
        h += (ulong)length;
        for (; i <= length - 8; i += 8)
        {
            h ^= Round(0, Read64(ref p, i));
            h = BitOperations.RotateLeft(h, 27) * P1 + P4;
        }
        if (i <= length - 4)
        {
            h ^= Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, i)) * P1;
            h = BitOperations.RotateLeft(h, 23) * P2 + P3;
            i += 4;
        }
        for (; i < length; i++)
        {
            h ^= Unsafe.Add(ref p, i) * P5;
            h = BitOperations.RotateLeft(h, 11) * P1;
        }
        h ^= h >> 33;
        h *= P2;
        h ^= h >> 29;
        h *= P3;
        h ^= h >> 32;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read64(ref byte p, int offset) => Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong acc, ulong input) => BitOperations.RotateLeft(acc + input * P2, 31) * P1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Merge(ulong acc, ulong value) => (acc ^ Round(0, value)) * P1 + P4;
}
