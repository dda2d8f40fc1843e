using System.Globalization;

namespace DataPipeline.Tokenize.Mds;

/// <summary>Parses a shard size limit the way upstream's <c>bytes_to_int</c> does.</summary>
public static class MdsSizeLimit
{
    /// <summary>upstream's default, 64 MiB.</summary>
    public const long Default = 1L << 26;

    private static readonly (string Suffix, double Scale)[] Units =
    [
        ("kb", 1024d), ("mb", Math.Pow(1024, 2)), ("gb", Math.Pow(1024, 3)), ("tb", Math.Pow(1024, 4)),
        ("pb", Math.Pow(1024, 5)), ("eb", Math.Pow(1024, 6)), ("zb", Math.Pow(1024, 7)), ("yb", Math.Pow(1024, 8)),
    ];

    /// <summary>
    /// <c>"123"</c>, <c>"123b"</c>, or a float with a 1024-based unit (<c>"1.5kb"</c> = 1536, truncated
    /// as Python's <c>int(float * unit)</c>). Case-insensitive.
    /// </summary>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim().ToLowerInvariant();
        foreach (var (suffix, scale) in Units)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                if (!double.TryParse(s[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    break;
                }
                return checked((long)(v * scale));
            }
        }
        string digits = s.EndsWith('b') ? s[..^1] : s;
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            return n;
        }
        throw new ArgumentException($"Invalid size limit '{text}': expected e.g. 1024, \"1024b\", \"64mb\" or \"1.5gb\".");
    }

    /// <summary>Validates a parsed limit: null or 0 means unlimited (stored as null); it must fit a u32 offset.</summary>
    public static long? Normalize(long? limit)
    {
        if (limit is null or 0)
        {
            return null;
        }
        if (limit < 0)
        {
            throw new ArgumentException($"size_limit must be positive, got {limit}.");
        }
        if (limit >= 1L << 32)
        {
            throw new ArgumentException($"size_limit must be below 2^32 (shard offsets are u32), got {limit}.");
        }
        return limit;
    }
}
