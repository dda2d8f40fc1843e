using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Sampling.Dsir.Text;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// DSIR's <c>get_ngram_counts</c> with the default <c>wordpunct</c> tokenizer: lower the text as Python
/// does, tokenize with <c>\w+|[^\w\s]+</c>, hash every unigram, then every window of 2..n tokens
/// joined by one space, into <see cref="DsirFeatureOptions.NumBuckets"/> sha256 buckets.
/// </summary>
/// <remarks>
/// <para>Allocation-free per document: the lowered token bytes and token ranges live in buffers reused from
/// one document to the next, so an instance is not thread-safe; use one per task or thread.</para>
/// <para>Two routes to the same tokens. UTF-8 input (how documents are read) is lowered, classified and
/// tokenized in one pass over its bytes: an ASCII byte by a 128-entry table (Python's <c>\w</c> is
/// <c>[0-9A-Za-z_]</c> and <c>\s</c> is <c>[\t-\r\x1c-\x20]</c> there), any other code point by Python's
/// own tables (<see cref="PythonUnicode"/>) after its single-code-point lowercase. The two context- or
/// length-changing mappings of <c>str.lower()</c> (U+0130 and the final-sigma rule of U+03A3) and invalid
/// UTF-8 send the document to the general route: <see cref="PythonLowercase"/> over UTF-16, then
/// <see cref="WordPunctTokenizer"/>, then UTF-8 encoding. Tests check both routes agree.</para>
/// <para>The tokens' UTF-8 bytes are written once as <c>" ".join(tokens)</c>; because no token contains a
/// space, every n-gram upstream builds with <c>' '.join(window)</c> is then a contiguous slice of
/// those bytes. Buckets come from <see cref="NgramIdCache"/>: per distinct token, and per distinct pair of
/// token ids for bigrams, so SHA-256 runs once per distinct n-gram while the cache holds; the misses are
/// hashed 16 at a time by <see cref="Sha256Lanes"/>.</para>
/// <para>Deliberate differences from upstream: a lone UTF-16 surrogate (possible in .NET strings and in
/// Python strings decoded from JSON escapes) makes upstream's <c>encode('utf-8')</c> raise; here it is
/// encoded as U+FFFD. The <c>word_tokenize</c> tokenizer option (nltk punkt) is not implemented.</para>
/// </remarks>
public sealed class DsirFeaturizer
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Default slots per table of the featurizer's cache (tokens, bigrams): well under 1 MB in all.</summary>
    /// <remarks>
    /// Small on purpose: with misses hashed 16 at a time a miss costs less than a DRAM access, so a cache that stays in
    /// the CPU caches and keeps only the frequent n-grams beats one that remembers everything. Measured on the golden
    /// raw set (dsir-profile, CPU time): 2^12 and 2^14 slots about the same, 2^16 ~15-25% slower, 2^18 ~50% slower,
    /// although each larger table hashes fewer n-grams.
    /// </remarks>
    public const int DefaultCacheCapacity = 1 << 14;

    // ASCII classes after lowering: 0 = space, 1 = word, 2 = other (Python's re \w, \s).
    private static readonly byte[] AsciiClass = BuildAsciiClass();

    private readonly TokenRanges _tokens = new();
    private readonly NgramIdCache _cache;
    private int[] _ids = new int[64];
    private char[] _lowered = [];
    private byte[] _joined = new byte[1024];
    private int[] _byteStarts = new int[64];
    private int[] _byteEnds = new int[64];

    /// <summary>Creates a featurizer for <paramref name="options"/>.</summary>
    /// <param name="options">Bucket count and n-gram order.</param>
    /// <param name="cacheCapacity">Slots for tokens, and for bigrams, in the cache (0 = hash every n-gram); never changes results.</param>
    public DsirFeaturizer(DsirFeatureOptions options, int cacheCapacity = DefaultCacheCapacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _cache = new NgramIdCache(cacheCapacity, options.NumBuckets);
    }

    /// <summary>SHA-256 evaluations so far (n-grams the cache did not hold), for profiling.</summary>
    public long HashCount => _cache.Hashes;

    /// <summary>Clears <paramref name="features"/> and fills it with the hashed n-gram counts of <paramref name="document"/>, from its UTF-8 form when it has one.</summary>
    public void Featurize(Document document, DocumentFeatures features)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.TryGetUtf8(out var utf8))
        {
            Featurize(utf8.Span, features);
        }
        else
        {
            Featurize(document.Text.AsSpan(), features);
        }
    }

    /// <summary>Clears <paramref name="features"/> and fills it with the hashed n-gram counts of the UTF-8 text <paramref name="utf8"/>.</summary>
    public void Featurize(ReadOnlySpan<byte> utf8, DocumentFeatures features)
    {
        CheckFeatures(features);
        features.Clear();
        int tokenCount = PrepareUtf8(utf8);
        if (tokenCount < 0)
        {
            // Invalid UTF-8, U+0130 or U+03A3: the general route (invalid sequences decode to U+FFFD, as Document does).
            char[] chars = System.Buffers.ArrayPool<char>.Shared.Rent(utf8.Length);
            try
            {
                int n = Utf8.GetChars(utf8, chars);
                tokenCount = Prepare(chars.AsSpan(0, n));
            }
            finally
            {
                System.Buffers.ArrayPool<char>.Shared.Return(chars);
            }
        }

        Count(tokenCount, features);
    }

    /// <summary>The feature parameters.</summary>
    public DsirFeatureOptions Options { get; }

    /// <summary>Clears <paramref name="features"/> and fills it with the hashed n-gram counts of <paramref name="text"/>.</summary>
    public void Featurize(ReadOnlySpan<char> text, DocumentFeatures features)
    {
        CheckFeatures(features);
        features.Clear();
        Count(Prepare(text), features);
    }

    private void CheckFeatures(DocumentFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.NumBuckets != Options.NumBuckets)
        {
            throw new ArgumentException($"features has {features.NumBuckets} buckets, the featurizer {Options.NumBuckets}.", nameof(features));
        }
    }

    /// <summary>Counts the n-grams of the <paramref name="tokenCount"/> tokens prepared in <c>_joined</c>.</summary>
    private void Count(int tokenCount, DocumentFeatures features)
    {
        _cache.EvictIfFull();
        if (_ids.Length < tokenCount)
        {
            _ids = new int[Math.Max(tokenCount, _ids.Length * 2)];
        }

        // Upstream order is all unigrams, then all bigrams, ...; counts do not depend on it (traces do), nor on the
        // cache counting its misses in batches.
        _cache.Begin(_joined, features);
        var ids = _ids.AsSpan(0, tokenCount);
        var starts = _byteStarts;
        var ends = _byteEnds;
        for (int t = 0; t < tokenCount; t++)
        {
            ids[t] = _cache.CountToken(starts[t], ends[t]);
        }

        if (Options.Ngrams >= 2)
        {
            for (int t = 0; t + 1 < tokenCount; t++)
            {
                _cache.CountBigram(ids[t], ids[t + 1], starts[t], ends[t + 1]);
            }
        }

        for (int n = 3; n <= Options.Ngrams; n++)
        {
            for (int t = 0; t + n <= tokenCount; t++)
            {
                _cache.CountNgram(starts[t], ends[t + n - 1]);
            }
        }

        _cache.Finish();
    }

    /// <summary>
    /// Every intermediate step for one text (lowered text, tokens, each n-gram with its sha256 and bucket),
    /// computed by the same code as <see cref="Featurize"/>. Allocates; for tests and diagnostics.
    /// </summary>
    public FeatureTrace Trace(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int tokenCount = Prepare(text);
        string lowered = new(_lowered, 0, LoweredLength);
        var tokens = new string[tokenCount];
        for (int t = 0; t < tokenCount; t++)
        {
            tokens[t] = lowered.Substring(_tokens.Start(t), _tokens.Length(t));
        }

        var ngrams = new List<NgramTrace>();
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        for (int n = 1; n <= Options.Ngrams; n++)
        {
            for (int t = 0; t + n <= tokenCount; t++)
            {
                var bytes = _joined.AsSpan(_byteStarts[t], _byteEnds[t + n - 1] - _byteStarts[t]);
                SHA256.HashData(bytes, digest);
                ngrams.Add(new NgramTrace(
                    Utf8.GetString(bytes),
                    Convert.ToHexStringLower(digest),
                    NgramBucketHasher.BucketOfDigest(digest, Options.NumBuckets)));
            }
        }

        return new FeatureTrace(lowered, tokens, ngrams);
    }

    /// <summary>Token bytes the UTF-8 route gives for <paramref name="utf8"/>, or null where it defers to the general route; for tests.</summary>
    public string[]? TokensOfUtf8Route(ReadOnlySpan<byte> utf8)
    {
        int count = PrepareUtf8(utf8);
        if (count < 0)
        {
            return null;
        }

        var tokens = new string[count];
        for (int t = 0; t < count; t++)
        {
            tokens[t] = Utf8.GetString(_joined, _byteStarts[t], _byteEnds[t] - _byteStarts[t]);
        }

        return tokens;
    }

    private int LoweredLength { get; set; }

    /// <summary>
    /// The UTF-8 route: lowers, tokenizes and writes the joined token bytes in one pass; returns the token
    /// count, or -1 where the general route must decide (invalid UTF-8, U+0130, U+03A3).
    /// </summary>
    private int PrepareUtf8(ReadOnlySpan<byte> utf8)
    {
        // Lowering never lengthens a code point's UTF-8 here except by at most one byte (e.g. U+023A, 2 bytes,
        // lowers to U+2C65, 3 bytes); plus one separator per token: 2 bytes per input byte is an upper bound.
        // (+ WordRunBytes: the word-run fast path stores whole vectors past the end of what it keeps.)
        int maxBytes = checked((utf8.Length * 2) + 1 + WordRunBytes);
        if (_joined.Length < maxBytes)
        {
            _joined = new byte[Math.Max(maxBytes, _joined.Length * 2)];
        }

        var classes = AsciiClass;
        var output = _joined;
        int w = 0;
        int count = 0;
        int current = 0; // class of the open token; 0 = none
        int i = 0;
        while (i < utf8.Length)
        {
            if (current == 1 && Vector256.IsHardwareAccelerated && i + WordRunBytes <= utf8.Length)
            {
                // Inside a word: copy the run of ASCII word bytes that follows, lowered, a vector at a time; the byte
                // that ends it (space, punctuation, non-ASCII) takes the general step below.
                int run = WordRun(utf8, i, output, w);
                i += run;
                w += run;
                if (run == WordRunBytes)
                {
                    continue;
                }
            }

            int cls;
            byte b = utf8[i];
            if (b < 0x80)
            {
                cls = classes[b];
                if (cls == 0)
                {
                    i++;
                    if (current != 0)
                    {
                        _byteEnds[count - 1] = w;
                        current = 0;
                    }

                    continue;
                }

                OpenOrContinue(cls, ref current, ref count, ref w);
                output[w++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
                i++;
                continue;
            }

            if (System.Text.Rune.DecodeFromUtf8(utf8[i..], out var rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                return -1;
            }

            int cp = rune.Value;
            if (cp is 0x0130 or 0x03A3)
            {
                return -1;
            }

            int lower = PythonUnicode.LowerSingle(cp);
            cls = PythonUnicode.IsWord(lower) ? 1 : PythonUnicode.IsSpace(lower) ? 0 : 2;
            i += consumed;
            if (cls == 0)
            {
                if (current != 0)
                {
                    _byteEnds[count - 1] = w;
                    current = 0;
                }

                continue;
            }

            OpenOrContinue(cls, ref current, ref count, ref w);
            w += new System.Text.Rune(lower).EncodeToUtf8(output.AsSpan(w));
        }

        if (current != 0)
        {
            _byteEnds[count - 1] = w;
        }

        return count;
    }

    private const int WordRunBytes = 32;

    /// <summary>
    /// Lowers the <see cref="WordRunBytes"/> bytes at <paramref name="i"/> into <paramref name="output"/> at <paramref name="w"/>
    /// and returns how many of them, from the first, are ASCII word bytes (<c>[0-9A-Za-z_]</c>, Python's <c>\w</c> in ASCII).
    /// </summary>
    /// <remarks>Only that many output bytes count; the rest of the store is overwritten later or never read.</remarks>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int WordRun(ReadOnlySpan<byte> utf8, int i, byte[] output, int w)
    {
        var v = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(utf8), (nuint)i);
        var upper = Vector256.LessThanOrEqual(v - Vector256.Create((byte)'A'), Vector256.Create((byte)25));
        var lowered = v + (upper & Vector256.Create((byte)32));
        // Unsigned compares: bytes >= 0x80 are in none of the ranges.
        var word = Vector256.LessThanOrEqual(lowered - Vector256.Create((byte)'a'), Vector256.Create((byte)25))
            | Vector256.LessThanOrEqual(lowered - Vector256.Create((byte)'0'), Vector256.Create((byte)9))
            | Vector256.Equals(lowered, Vector256.Create((byte)'_'));
        lowered.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(output), (nuint)w);
        return System.Numerics.BitOperations.TrailingZeroCount(~word.ExtractMostSignificantBits());
    }

    /// <summary>Continues the open token if it has class <paramref name="cls"/>, else closes it and opens a new one.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void OpenOrContinue(int cls, ref int current, ref int count, ref int w)
    {
        if (cls == current)
        {
            return;
        }

        if (current != 0)
        {
            _byteEnds[count - 1] = w;
        }

        if (count > 0)
        {
            _joined[w++] = (byte)' ';
        }

        if (count == _byteStarts.Length)
        {
            Array.Resize(ref _byteStarts, count * 2);
            Array.Resize(ref _byteEnds, count * 2);
        }

        _byteStarts[count++] = w;
        current = cls;
    }

    private static byte[] BuildAsciiClass()
    {
        var table = new byte[128];
        for (int c = 0; c < 128; c++)
        {
            table[c] = PythonUnicode.IsWord(c) ? (byte)1 : PythonUnicode.IsSpace(c) ? (byte)0 : (byte)2;
        }

        return table;
    }

    /// <summary>Lowers and tokenizes <paramref name="text"/> and writes the joined UTF-8 token bytes; returns the token count.</summary>
    private int Prepare(ReadOnlySpan<char> text)
    {
        LoweredLength = PythonLowercase.Lower(text, ref _lowered);
        ReadOnlySpan<char> lowered = _lowered.AsSpan(0, LoweredLength);
        WordPunctTokenizer.Tokenize(lowered, _tokens);
        int count = _tokens.Count;
        if (_byteStarts.Length < count)
        {
            int size = Math.Max(count, _byteStarts.Length * 2);
            _byteStarts = new int[size];
            _byteEnds = new int[size];
        }

        // Upper bound: 3 UTF-8 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes) plus separators.
        int maxBytes = checked((LoweredLength * 3) + count);
        if (_joined.Length < maxBytes)
        {
            _joined = new byte[Math.Max(maxBytes, _joined.Length * 2)];
        }

        int w = 0;
        for (int t = 0; t < count; t++)
        {
            if (t > 0)
            {
                _joined[w++] = (byte)' ';
            }

            _byteStarts[t] = w;
            w += Utf8.GetBytes(lowered.Slice(_tokens.Start(t), _tokens.Length(t)), _joined.AsSpan(w));
            _byteEnds[t] = w;
        }

        return count;
    }
}

/// <summary>One n-gram as DSIR hashes it.</summary>
/// <param name="Ngram">The n-gram text (tokens joined by one space).</param>
/// <param name="Sha256Hex">Lowercase hex sha256 of its UTF-8 bytes.</param>
/// <param name="Bucket">Its bucket.</param>
public sealed record NgramTrace(string Ngram, string Sha256Hex, int Bucket);

/// <summary>The intermediate steps of featurizing one text.</summary>
/// <param name="Lowered">Python's <c>text.lower()</c>.</param>
/// <param name="Tokens">The word-punct tokens of the lowered text.</param>
/// <param name="Ngrams">Every n-gram in upstream order: unigrams, then bigrams, ...</param>
public sealed record FeatureTrace(string Lowered, IReadOnlyList<string> Tokens, IReadOnlyList<NgramTrace> Ngrams);
