using System.Security.Cryptography;
using System.Text;
using DataPipeline.Sampling.Dsir.Text;

namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// DSIR's <c>get_ngram_counts</c> with the default <c>wordpunct</c> tokenizer: lower the text as Python
/// does, tokenize with <c>\w+|[^\w\s]+</c>, hash every unigram, then every window of 2..n tokens
/// joined by one space, into <see cref="DsirFeatureOptions.NumBuckets"/> sha256 buckets.
/// </summary>
/// <remarks>
/// <para>Allocation-light: the lowered text, token ranges and UTF-8 bytes live in buffers reused from
/// one document to the next, so an instance is not thread-safe; use one per task or thread.</para>
/// <para>The tokens' UTF-8 bytes are written once as <c>" ".join(tokens)</c>; because no token contains a
/// space, every n-gram upstream builds with <c>' '.join(window)</c> is then a contiguous slice of
/// those bytes and is hashed in place.</para>
/// <para>Deliberate differences from upstream: a lone UTF-16 surrogate (possible in .NET strings and in
/// Python strings decoded from JSON escapes) makes upstream's <c>encode('utf-8')</c> raise; here it is
/// encoded as U+FFFD. The <c>word_tokenize</c> tokenizer option (nltk punkt) is not implemented.</para>
/// </remarks>
public sealed class DsirFeaturizer
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Default bound on cached n-gram buckets per featurizer (~20 MB at typical n-gram lengths).</summary>
    public const int DefaultCacheCapacity = 1 << 18;

    private readonly TokenRanges _tokens = new();
    private readonly NgramBucketCache _cache;
    private char[] _lowered = [];
    private byte[] _joined = new byte[1024];
    private int[] _byteStarts = new int[64];
    private int[] _byteEnds = new int[64];

    /// <summary>Creates a featurizer for <paramref name="options"/>.</summary>
    /// <param name="options">Bucket count and n-gram order.</param>
    /// <param name="cacheCapacity">How many n-gram buckets to remember (0 = hash every n-gram); never changes results.</param>
    public DsirFeaturizer(DsirFeatureOptions options, int cacheCapacity = DefaultCacheCapacity)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _cache = new NgramBucketCache(cacheCapacity, options.NumBuckets);
    }

    /// <summary>The feature parameters.</summary>
    public DsirFeatureOptions Options { get; }

    /// <summary>Clears <paramref name="features"/> and fills it with the hashed n-gram counts of <paramref name="text"/>.</summary>
    public void Featurize(ReadOnlySpan<char> text, DocumentFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.NumBuckets != Options.NumBuckets)
        {
            throw new ArgumentException($"features has {features.NumBuckets} buckets, the featurizer {Options.NumBuckets}.", nameof(features));
        }

        features.Clear();
        int tokenCount = Prepare(text);
        ReadOnlySpan<byte> joined = _joined;

        // Upstream order: all unigrams, then all bigrams, ... (counts do not depend on it, traces do).
        for (int n = 1; n <= Options.Ngrams; n++)
        {
            for (int t = 0; t + n <= tokenCount; t++)
            {
                int from = _byteStarts[t];
                int to = _byteEnds[t + n - 1];
                features.Increment(_cache.Bucket(joined[from..to]));
            }
        }
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

    private int LoweredLength { get; set; }

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
