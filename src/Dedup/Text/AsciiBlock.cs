using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DataPipeline.Dedup.Text;

/// <summary>
/// The ASCII part of <see cref="Utf8Normalizer"/>'s fast path, 32 bytes at a time: letters are lowercased,
/// every other ASCII byte except digits (punctuation, whitespace, controls: in simplify_text all of them
/// become a space) becomes one space, and a space that follows a space (or starts the output) is
/// dropped. A block stops before the first digit or non-ASCII byte, which the scalar loop handles
/// (digit runs and multi-byte code points need context or a table).
/// </summary>
internal static class AsciiBlock
{
    public const int Size = 32;

    /// <summary>
    /// Hardware-accelerated, and the byte classes above are exactly the normaliser's ASCII table — checked
    /// once against <see cref="DedupTextNormalizer"/>'s own tables, so a change there turns the vectors off
    /// instead of making them wrong.
    /// </summary>
    public static readonly bool IsEnabled = Vector256.IsHardwareAccelerated && ClassesMatchTheTable();

    /// <summary>
    /// Maps the longest prefix of <paramref name="input"/> (exactly <see cref="Size"/> bytes) without a digit
    /// or non-ASCII byte to <paramref name="output"/> at <paramref name="o"/>, which must have room for
    /// <see cref="Size"/> bytes; returns the input bytes consumed (0 when the first byte is one of those).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Map(ReadOnlySpan<byte> input, byte[] output, ref int o)
    {
        var v = Vector256.Create(input);
        var lower = v | Vector256.Create((byte)0x20);
        var isLetter = Vector256.LessThanOrEqual(lower - Vector256.Create((byte)'a'), Vector256.Create((byte)('z' - 'a')));
        var isDigit = Vector256.LessThanOrEqual(v - Vector256.Create((byte)'0'), Vector256.Create((byte)9));
        uint stop = v.ExtractMostSignificantBits() | isDigit.ExtractMostSignificantBits();
        int length = stop == 0 ? Size : BitOperations.TrailingZeroCount(stop);
        if (length == 0) return 0;
        uint inBlock = length == Size ? uint.MaxValue : (1u << length) - 1;
        uint spaces = ~isLetter.ExtractMostSignificantBits() & inBlock;
        uint previousIsSpace = o == 0 || output[o - 1] == (byte)' ' ? 1u : 0u;
        uint drop = spaces & ((spaces << 1) | previousIsSpace);
        var mapped = Vector256.ConditionalSelect(isLetter, lower, Vector256.Create((byte)' '));
        ref byte start = ref MemoryMarshal.GetArrayDataReference(output);
        mapped.StoreUnsafe(ref start, (nuint)o);
        if (drop == 0)
        {
            o += length;
            return length;
        }
        // Close the gaps left by dropped spaces (usually one or two per block: "word, next").
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

    private static bool ClassesMatchTheTable()
    {
        for (int c = 0; c < 128; c++)
        {
            char ch = (char)c;
            bool letter = ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
            bool digit = ch is >= '0' and <= '9';
            bool space = DedupTextNormalizer.IsPunctuation(ch) || PythonText.IsSpace(ch);
            // Exactly one class each: a letter is kept (lowercased), a digit goes to the scalar loop, the rest is a space.
            if ((letter ? 1 : 0) + (digit ? 1 : 0) + (space ? 1 : 0) != 1) return false;
            if (letter && PythonText.Lower(ch.ToString()) != char.ToLowerInvariant(ch).ToString()) return false;
        }
        return true;
    }
}
