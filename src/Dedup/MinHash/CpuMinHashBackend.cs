using System.Runtime.Intrinsics;

namespace DataPipeline.Dedup.MinHash;

/// <summary>Which CPU code path computes signatures.</summary>
public enum CpuVectorPath
{
    /// <summary>The widest path the hardware accelerates.</summary>
    Auto,
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>
/// MinHash on the CPU with System.Runtime.Intrinsics: 8 (Vector512) or 4 (Vector256) permutations per
/// instruction, each lane's running minimum kept in a register while the document's shingles stream
/// past, so a signature block is written once per document rather than once per shingle.
/// </summary>
public sealed class CpuMinHashBackend : IMinHashBackend
{
    public CpuMinHashBackend(CpuVectorPath path = CpuVectorPath.Auto)
    {
        Path = path == CpuVectorPath.Auto ? Best() : path;
        if (!IsAvailable(Path))
        {
            throw new PlatformNotSupportedException($"MinHash CPU path {Path} is not hardware-accelerated on this machine");
        }
    }

    public CpuVectorPath Path { get; }

    public string Name => "cpu-" + Path.ToString().ToLowerInvariant();

    public static bool IsAvailable(CpuVectorPath path) => path switch
    {
        CpuVectorPath.Scalar or CpuVectorPath.Auto => true,
        CpuVectorPath.Vector256 => Vector256.IsHardwareAccelerated,
        CpuVectorPath.Vector512 => Vector512.IsHardwareAccelerated,
        _ => false,
    };

    public static CpuVectorPath Best() =>
        Vector512.IsHardwareAccelerated ? CpuVectorPath.Vector512
        : Vector256.IsHardwareAccelerated ? CpuVectorPath.Vector256
        : CpuVectorPath.Scalar;

    public void Compute(ShingleBatch batch, PermutationParameters parameters, Span<ulong> signatures)
    {
        int perms = parameters.Count;
        if (signatures.Length < batch.Count * perms)
        {
            throw new ArgumentException("signature buffer too small", nameof(signatures));
        }
        var shingles = batch.ShinglesSpan;
        var offsets = batch.OffsetsSpan;
        for (int d = 0; d < batch.Count; d++)
        {
            var docShingles = shingles[offsets[d]..offsets[d + 1]];
            var sig = signatures.Slice(d * perms, perms);
            int done = Path switch
            {
                CpuVectorPath.Vector512 => Vector512Block(docShingles, parameters.A, parameters.B, sig),
                CpuVectorPath.Vector256 => Vector256Block(docShingles, parameters.A, parameters.B, sig),
                _ => 0,
            };
            ScalarBlock(docShingles, parameters.A, parameters.B, sig, done);
        }
    }

    private static void ScalarBlock(ReadOnlySpan<ulong> shingles, ulong[] a, ulong[] b, Span<ulong> sig, int from)
    {
        for (int i = from; i < sig.Length; i++)
        {
            ulong ai = a[i], bi = b[i], min = ulong.MaxValue;
            foreach (var x in shingles)
            {
                ulong h = MinHashMath.Permute(x, ai, bi);
                if (h < min) min = h;
            }
            sig[i] = min;
        }
    }

    private static int Vector256Block(ReadOnlySpan<ulong> shingles, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> sig)
    {
        var p = Vector256.Create(MinHashMath.P);
        int i = 0;
        for (; i + Vector256<ulong>.Count <= sig.Length; i += Vector256<ulong>.Count)
        {
            var av = Vector256.Create(a[i..]);
            var bv = Vector256.Create(b[i..]);
            var min = Vector256<ulong>.AllBitsSet;
            foreach (var x in shingles)
            {
                var h = Vector256.Create(x) * av + bv;
                h = (h & p) + Vector256.ShiftRightLogical(h, 61);
                min = Vector256.Min(min, Vector256.Min(h, h - p));
            }
            min.CopyTo(sig[i..]);
        }
        return i;
    }

    private static int Vector512Block(ReadOnlySpan<ulong> shingles, ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> sig)
    {
        var p = Vector512.Create(MinHashMath.P);
        int i = 0;
        for (; i + Vector512<ulong>.Count <= sig.Length; i += Vector512<ulong>.Count)
        {
            var av = Vector512.Create(a[i..]);
            var bv = Vector512.Create(b[i..]);
            var min = Vector512<ulong>.AllBitsSet;
            foreach (var x in shingles)
            {
                var h = Vector512.Create(x) * av + bv;
                h = (h & p) + Vector512.ShiftRightLogical(h, 61);
                min = Vector512.Min(min, Vector512.Min(h, h - p));
            }
            min.CopyTo(sig[i..]);
        }
        // A Vector512 machine also runs the 4-wide path for a remainder of 4..7 permutations.
        return Vector256.IsHardwareAccelerated ? i + Vector256Block(shingles, a[i..], b[i..], sig[i..]) : i;
    }

    public void Dispose()
    {
    }
}
