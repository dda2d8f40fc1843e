using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DataPipeline.Dedup.Text;

/// <summary>
/// The ASCII part of <see cref="Utf8Normalizer"/>'s fast path, 32 bytes at a time: letters are lowercased,
/// a digit run becomes one "0", every other ASCII byte (punctuation, whitespace, controls: in
/// simplify_text all of them become a space) becomes one space, and a space that follows a space (or
/// starts the output) is dropped. A block stops before the first non-ASCII byte, and before a digit run
/// that a '.' or ',' and another digit follow (a decimal part, which joins the number) or that reaches
/// the block's end (it may go on): the scalar loop handles those, with the lookahead they need.
/// </summary>
/// <remarks>
/// A block never starts inside a digit run: a run is either wholly inside a block or consumed by the
/// scalar loop, so the first byte of a block needs no "previous digit" state.
/// </remarks>
internal static class AsciiBlock
{
    public const int Size = 32;

    /// <summary>
    /// Hardware-accelerated, and the byte classes above are exactly the normaliser's ASCII table — checked
    /// once against <see cref="DedupTextNormalizer"/>'s own tables, so a change there turns the vectors off
    /// instead of making them wrong.
    /// </summary>
    public static readonly bool IsEnabled = Vector256.IsHardwareAccelerated && ClassesMatchTheTable();

    /// <summary>vpcompressb closes the gaps of dropped bytes in one instruction where the CPU has it.</summary>
    public static readonly bool CanCompress = Avx512Vbmi2.VL.IsSupported && Avx2.IsSupported;

    /// <summary>
    /// Maps the longest prefix of <paramref name="input"/> (exactly <see cref="Size"/> bytes) the block can
    /// decide alone to <paramref name="output"/> at <paramref name="o"/>, which must have room for
    /// <see cref="Size"/> bytes; returns the input bytes consumed (0 when the first byte needs the scalar loop).
    /// <paramref name="compress"/> (only where <see cref="CanCompress"/>) closes gaps with vpcompressb.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Map(ReadOnlySpan<byte> input, byte[] output, ref int o, bool compress)
    {
        var v = Vector256.Create(input);
        var lower = v | Vector256.Create((byte)0x20);
        var isLetter = Vector256.LessThanOrEqual(lower - Vector256.Create((byte)'a'), Vector256.Create((byte)('z' - 'a')));
        var isDigit = Vector256.LessThanOrEqual(v - Vector256.Create((byte)'0'), Vector256.Create((byte)9));
        uint digits = isDigit.ExtractMostSignificantBits();
        uint separators = (Vector256.Equals(v, Vector256.Create((byte)'.')) | Vector256.Equals(v, Vector256.Create((byte)','))).ExtractMostSignificantBits();
        // Last digits of runs that may take a decimal part or continue past the block.
        uint openRunEnds = (digits & (separators >> 1) & ((digits >> 2) | (1u << (Size - 2)))) | (digits & (1u << (Size - 1)));
        uint stop = v.ExtractMostSignificantBits();
        if (openRunEnds != 0)
        {
            int end = BitOperations.TrailingZeroCount(openRunEnds);
            uint before = ~digits & ((1u << end) - 1);
            int runStart = before == 0 ? 0 : Size - BitOperations.LeadingZeroCount(before);
            stop |= 1u << runStart;
        }
        int length = stop == 0 ? Size : BitOperations.TrailingZeroCount(stop);
        if (length == 0) return 0;
        uint inBlock = length == Size ? uint.MaxValue : (1u << length) - 1;
        uint spaces = ~(isLetter.ExtractMostSignificantBits() | digits) & inBlock;
        uint previousIsSpace = o == 0 || output[o - 1] == (byte)' ' ? 1u : 0u;
        uint drop = (spaces & ((spaces << 1) | previousIsSpace)) | (digits & (digits << 1) & inBlock);
        var mapped = Vector256.ConditionalSelect(isLetter, lower,
            Vector256.ConditionalSelect(isDigit, Vector256.Create((byte)'0'), Vector256.Create((byte)' ')));
        ref byte start = ref MemoryMarshal.GetArrayDataReference(output);
        if (drop == 0)
        {
            mapped.StoreUnsafe(ref start, (nuint)o);
            o += length;
            return length;
        }
        uint keep = ~drop & inBlock;
        if (compress)
        {
            Avx512Vbmi2.VL.Compress(Vector256<byte>.Zero, MaskOf(keep), mapped).StoreUnsafe(ref start, (nuint)o);
            o += BitOperations.PopCount(keep);
            return length;
        }
        // Close the gaps left by dropped bytes (usually one or two per block: "word, next", "1984").
        mapped.StoreUnsafe(ref start, (nuint)o);
        var block = output.AsSpan(o, Size);
        int write = 0, from = 0;
        while (drop != 0)
        {
            int at = BitOperations.TrailingZeroCount(drop);
            if (write != from) block[from..at].CopyTo(block[write..]);
            write += at - from;
            from = at + 1;
            drop &= drop - 1;
        }
        block[from..length].CopyTo(block[write..]);
        o += write + length - from;
        return length;
    }

    private static readonly Vector256<byte> SpreadIndices = Vector256.Create(
        (byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);

    private static readonly Vector256<byte> BitOfByte = Vector256.Create(
        (byte)1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);

    /// <summary>Bit j of <paramref name="bits"/> as byte j of a vector mask (all ones or zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> MaskOf(uint bits)
    {
        // Every 32-bit lane holds the bits; byte j picks its mask byte j / 8 (vpshufb works within
        // 128-bit halves, and each half holds all four bytes), then tests its own bit.
        var spread = Avx2.Shuffle(Vector256.Create(bits).AsByte(), SpreadIndices);
        return Vector256.Equals(spread & BitOfByte, BitOfByte);
    }

    private static bool ClassesMatchTheTable()
    {
        for (int c = 0; c < 128; c++)
        {
            char ch = (char)c;
            bool letter = ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
            bool digit = ch is >= '0' and <= '9';
            bool space = DedupTextNormalizer.IsPunctuation(ch) || PythonText.IsSpace(ch);
            // Exactly one class each: a letter is kept (lowercased), a digit is part of a number, the rest is a space;
            // and '.' and ',' are the only ASCII decimal separators.
            if ((letter ? 1 : 0) + (digit ? 1 : 0) + (space ? 1 : 0) != 1) return false;
            if (DedupTextNormalizer.IsDecimalSeparator(ch) != (ch is '.' or ',')) return false;
            if (letter && PythonText.Lower(ch.ToString()) != char.ToLowerInvariant(ch).ToString()) return false;
        }
        return true;
    }
}
