using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using DataPipeline.Dedup.Text;

namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// Turns a text into datatrove's shingle hashes: normalise, split into words, and hash every window of
/// n words joined by one space with xxh64 (seed 0) of its UTF-8 (<c>MinhashDedupSignature.get_shingles</c>).
/// Shingles are a list, not a set: repeats change nothing for a minimum. A text with fewer than n
/// words has no shingles, gets no signature and is never removed — as upstream.
/// </summary>
/// <remarks>
/// Deliberate difference: datatrove tokenises English with spaCy <c>blank("en")</c> (NLTK before Dec 2024).
/// On normalised text (no punctuation, single spaces) both are a whitespace split except for their
/// special cases (spaCy: "cannot" → "can not", "gonna" → "gon na", apostrophe-less contractions
/// such as "dont" → "do nt"); here it is always a whitespace split.
/// </remarks>
public sealed class Shingler(MinHashOptions options)
{
    private readonly MinHashOptions _options = options;

    /// <summary>Appends the shingle hashes of <paramref name="text"/> to <paramref name="output"/>; returns how many.</summary>
    public int AppendShingles(string text, List<ulong> output)
    {
        var prepared = _options.Normalize ? DedupTextNormalizer.Normalize(text) : text;
        return _options.Shingles == ShingleKind.Words
            ? AppendWordShingles(prepared, output)
            : AppendCharacterShingles(prepared, output);
    }

    /// <summary>As <see cref="AppendShingles"/> for text the caller has already normalised (or that needs none).</summary>
    public int AppendShinglesOfPrepared(string prepared, List<ulong> output) =>
        _options.Shingles == ShingleKind.Words ? AppendWordShingles(prepared, output) : AppendCharacterShingles(prepared, output);

    /// <summary>
    /// Word n-gram hashes of text already normalised to UTF-8 with single spaces between words and none
    /// at either end (what <see cref="Text.Utf8Normalizer"/> produces): each shingle is one contiguous
    /// slice, hashed in place, with no string per word. Same values as the string path.
    /// </summary>
    public int AppendWordShingles(ReadOnlySpan<byte> normalized, List<ulong> output)
    {
        int n = _options.NGram;
        if (normalized.IsEmpty) return 0;
        // Word i spans [starts[i], starts[i + 1] - 1); a virtual space ends the last word.
        int words = WordStarts.Find(normalized, ref _wordStarts);
        var starts = _wordStarts;
        if (words < n) return 0;
        starts[words] = normalized.Length + 1;
        int count = words - n + 1;
        // Written in place rather than added one by one: a document has thousands.
        int first = output.Count;
        CollectionsMarshal.SetCount(output, first + count);
        var hashes = CollectionsMarshal.AsSpan(output).Slice(first, count);
        int i = 0;
        if (UseLanes && ShingleHashLanes.IsSupported)
        {
            // Four at a time while the group's last window lies inside the text (starts only grow).
            for (; i + 4 <= count && starts[i + 3] + ShingleHashLanes.Window <= normalized.Length; i += 4)
            {
                int l0 = starts[i + n] - 1 - starts[i], l1 = starts[i + 1 + n] - 1 - starts[i + 1];
                int l2 = starts[i + 2 + n] - 1 - starts[i + 2], l3 = starts[i + 3 + n] - 1 - starts[i + 3];
                if ((l0 | l1 | l2 | l3) >= ShingleHashLanes.Window)
                {
                    for (int k = i; k < i + 4; k++) hashes[k] = ShingleHash.Hash(normalized[starts[k]..(starts[k + n] - 1)]);
                    continue;
                }
                ShingleHashLanes.Hash4(normalized, starts[i], starts[i + 1], starts[i + 2], starts[i + 3],
                    Vector256.Create((ulong)l0, (ulong)l1, (ulong)l2, (ulong)l3)).CopyTo(hashes[i..]);
            }
        }
        for (; i < hashes.Length; i++)
        {
            hashes[i] = ShingleHash.Hash(normalized[starts[i]..(starts[i + n] - 1)]);
        }
        return count;
    }

    private int[] _wordStarts = new int[1024];

    /// <summary>For tests: false hashes every shingle with the scalar xxh64 (same values).</summary>
    internal bool UseLanes { get; init; } = true;

    public ulong[] Shingles(string text)
    {
        var list = new List<ulong>();
        AppendShingles(text, list);
        return [.. list];
    }

    private int AppendWordShingles(string text, List<ulong> output)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int n = _options.NGram;
        if (words.Length < n)
        {
            return 0;
        }
        // One UTF-8 buffer with words joined by single spaces; a shingle is then one contiguous slice.
        var joined = Encoding.UTF8.GetBytes(string.Join(' ', words));
        var starts = new int[words.Length + 1];
        int pos = 0;
        for (int i = 0; i < words.Length; i++)
        {
            starts[i] = pos;
            pos += Encoding.UTF8.GetByteCount(words[i]) + 1;
        }
        starts[words.Length] = pos; // one past the virtual trailing space
        for (int i = 0; i + n <= words.Length; i++)
        {
            int from = starts[i];
            int to = starts[i + n] - 1;
            output.Add(XxHash64.HashToUInt64(joined.AsSpan(from, to - from)));
        }
        return words.Length - n + 1;
    }

    private int AppendCharacterShingles(string text, List<ulong> output)
    {
        // Code-point windows, so a shingle never splits a surrogate pair.
        var utf8 = Encoding.UTF8.GetBytes(text);
        var boundaries = new List<int>(utf8.Length + 1);
        for (int i = 0; i < utf8.Length; i++)
        {
            if ((utf8[i] & 0xC0) != 0x80) boundaries.Add(i);
        }
        boundaries.Add(utf8.Length);
        int codePoints = boundaries.Count - 1;
        int n = _options.NGram;
        if (codePoints < n)
        {
            return 0;
        }
        for (int i = 0; i + n <= codePoints; i++)
        {
            output.Add(XxHash64.HashToUInt64(utf8.AsSpan(boundaries[i], boundaries[i + n] - boundaries[i])));
        }
        return codePoints - n + 1;
    }
}
