using System.Numerics;
using System.Runtime.Intrinsics;

namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// Where the words of single-space-separated text start: 0, then one past every space. Scans 32 bytes at
/// a time and walks the bits of the space mask (words average a few bytes, so a search call per word
/// costs more than the search); a scalar loop does the tail and machines without 256-bit vectors.
/// </summary>
internal static class WordStarts
{
    /// <summary>Fills <paramref name="starts"/> (grown as needed, always with a spare slot after the last start); returns the word count.</summary>
    public static int Find(ReadOnlySpan<byte> text, ref int[] starts)
    {
        if (starts.Length < 2) starts = Grow(starts);
        var s = starts;
        int words = 0;
        s[words++] = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var space = Vector256.Create((byte)' ');
            for (; i + Vector256<byte>.Count <= text.Length; i += Vector256<byte>.Count)
            {
                if (words + Vector256<byte>.Count + 1 >= s.Length) s = starts = Grow(s);
                uint mask = Vector256.Equals(Vector256.Create(text.Slice(i, Vector256<byte>.Count)), space).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    s[words++] = i + BitOperations.TrailingZeroCount(mask) + 1;
                    mask &= mask - 1;
                }
            }
        }
        for (; i < text.Length; i++)
        {
            if (text[i] != (byte)' ') continue;
            if (words + 1 >= s.Length) s = starts = Grow(s);
            s[words++] = i + 1;
        }
        return words;
    }

    private static int[] Grow(int[] s)
    {
        Array.Resize(ref s, Math.Max(64, s.Length * 2));
        return s;
    }
}
