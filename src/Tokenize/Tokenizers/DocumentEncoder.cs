using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// Encodes documents with a <see cref="TextTokenizer"/> on one thread, giving exactly the ids of
/// <see cref="TextTokenizer.Encode(ReadOnlySpan{char}, List{int})"/>, several times faster for the
/// tiktoken families. A tokenize task owns one; it is not thread-safe.
/// </summary>
/// <remarks>
/// Why not Microsoft.ML.Tokenizers' own EncodeToIds per document: (1) its named encodings share one
/// static Regex across all tokenizer instances, and .NET's Regex caches a single matcher per instance,
/// so two threads pre-tokenizing at once keep building matchers (hundreds of MB of garbage and a
/// cache line bounced between the cores on every match: two workers ran at 1.2× one); here each
/// encoder compiles its own instance of the same pattern. (2) Each pre-token costs it a locked LRU
/// lookup, a second dictionary lookup and a result list; here a hit in <see cref="PieceIdCache"/>
/// costs one hash and one probe. A piece not seen before is merged by <see cref="TiktokenBpe"/>, tiktoken's
/// own algorithm over the same vocabulary file (the tests hold its ids to the inner tokenizer's on
/// real and made-up text); anything it cannot take goes to the inner tokenizer (pre-tokenization off). Special tokens in the text are cut out first, as
/// <see cref="TextTokenizer"/> does (<see cref="SpecialTokenSplitter"/>).
/// SentencePiece and vocab.json + merges.txt tokenizers, whose pre-tokenization is not a plain
/// regex split, go straight to the tokenizer.
/// </remarks>
public sealed class DocumentEncoder
{
    private const int MaxMergedPieceLength = 1024;
    private readonly Regex? _pieces;
    private readonly SpecialTokenSplitter? _specials;
    private readonly PieceIdCache _cache;
    private readonly TiktokenBpe? _bpe;
    private readonly SegmentEncoder? _encodeSegment;
    private char[] _chars = new char[1 << 14];
    private byte[] _pieceUtf8 = new byte[256];

    public DocumentEncoder(TextTokenizer tokenizer, int maxCachedPieces = 1 << 19)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        Tokenizer = tokenizer;
        _cache = new PieceIdCache(maxCachedPieces);
        if (tokenizer.Inner is TiktokenTokenizer && tokenizer.PiecePattern is { } pattern)
        {
            // Compiled, no timeout: the inner tokenizer's own instance has a 30 s match timeout
            // whose checks cost time on every match; these patterns cannot backtrack badly.
            _pieces = new Regex(pattern, RegexOptions.Compiled);
            _specials = tokenizer.Specials?.Clone();
            _bpe = tokenizer.Ranks is { } ranks ? new TiktokenBpe(ranks()) : null;
            _encodeSegment = EncodeSegment;
        }
    }

    public TextTokenizer Tokenizer { get; }

    /// <summary>Whether this tokenizer takes the cached path (else every call goes to the tokenizer itself).</summary>
    public bool IsCached => _pieces is not null;

    /// <summary>Pieces in the cache now (for tests and profiling).</summary>
    internal PieceIdCache Cache => _cache;

    /// <summary>Appends one document's framed ids (BOS/EOS as the tokenizer is configured) to <paramref name="destination"/>.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_pieces is null)
        {
            Tokenizer.Encode(text, destination);
            return;
        }
        if (Tokenizer.AddBos)
        {
            destination.Add(Tokenizer.BosId!.Value);
        }
        if (_specials is not null)
        {
            _specials.Encode(text, destination, _encodeSegment!);
        }
        else
        {
            EncodeSegment(text, destination);
        }
        if (Tokenizer.AddEos)
        {
            destination.Add(Tokenizer.EosId!.Value);
        }
    }

    /// <summary>As <see cref="Encode(ReadOnlySpan{char}, List{int})"/>, from UTF-8 (transcoded into a buffer this encoder keeps).</summary>
    public void Encode(ReadOnlySpan<byte> utf8, List<int> destination)
    {
        if (_pieces is null)
        {
            Tokenizer.Encode(utf8, destination);
            return;
        }
        int max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_chars.Length < max)
        {
            _chars = new char[Math.Max(max, _chars.Length * 2)];
        }
        int n = Encoding.UTF8.GetChars(utf8, _chars);
        Encode(_chars.AsSpan(0, n), destination);
    }

    /// <summary>
    /// A text between special tokens: each regex match is one pre-token, as the inner pre-tokenizer
    /// splits it (it restarts the match at each previous end within the same segment, which for these
    /// patterns, without look-behind or \G, is the same as enumerating the matches).
    /// </summary>
    private void EncodeSegment(ReadOnlySpan<char> segment, List<int> destination)
    {
        if (segment.IsEmpty)
        {
            return;
        }
        var inner = Tokenizer.Inner!;
        foreach (var match in _pieces!.EnumerateMatches(segment))
        {
            var piece = segment.Slice(match.Index, match.Length);
            if (_cache.TryAppend(piece, destination))
            {
                continue;
            }
            int before = destination.Count;
            if (TryBytePairEncode(piece, destination))
            {
                _cache.Add(piece, CollectionsMarshal.AsSpan(destination)[before..]);
                continue;
            }
            var ids = inner.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false);
            var span = ids is List<int> list ? CollectionsMarshal.AsSpan(list) : ids.ToArray();
            destination.AddRange(span);
            _cache.Add(piece, span);
        }
    }

    /// <summary>
    /// tiktoken's merge on the piece's UTF-8 (<see cref="TiktokenBpe"/>), several times cheaper than a
    /// call into the inner tokenizer for a piece not seen before. A piece with an unpaired surrogate
    /// (no UTF-8 of its own) or one the vocabulary cannot spell goes to the inner tokenizer instead.
    /// </summary>
    private bool TryBytePairEncode(ReadOnlySpan<char> piece, List<int> destination)
    {
        // The merge rescans the piece after every merge (quadratic, as upstream's); a long run of one
        // character class is left to the inner tokenizer, which did all pieces before this existed.
        if (_bpe is null || piece.Length > MaxMergedPieceLength)
        {
            return false;
        }
        if (_pieceUtf8.Length < piece.Length * 3)
        {
            _pieceUtf8 = new byte[piece.Length * 3];
        }
        if (System.Text.Unicode.Utf8.FromUtf16(piece, _pieceUtf8, out _, out int written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }
        return _bpe.TryEncode(_pieceUtf8.AsSpan(0, written), destination);
    }
}
