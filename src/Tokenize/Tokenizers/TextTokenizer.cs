using System.Buffers;
using System.Text;
using DataPipeline.Core.Errors;
using DataPipeline.Tokenize.Tokenizers.SentencePiece;
using Microsoft.ML.Tokenizers;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// A tokenizer with this pipeline's document framing: <see cref="Encode(string)"/> gives one
/// document's ids with BOS/EOS added as configured, the same for every tokenizer family (the
/// families disagree on whether and how they add them themselves, so none is asked to). tiktoken
/// and GPT-2 BPE run on Microsoft.ML.Tokenizers (<see cref="Inner"/>); SentencePiece models on
/// <see cref="SentencePieceProcessor"/>, our exact port of the reference library.
/// Immutable, so tasks may share one. To encode many documents on one thread, a
/// <see cref="DocumentEncoder"/> gives the same ids several times faster.
/// </summary>
public sealed class TextTokenizer
{
    private readonly int _bos;
    private readonly int _eos;
    private readonly SentencePieceProcessor? _sentencePiece;
    private readonly (byte[] Text, int Id)[] _sentencePieceSpecials = [];
    private readonly SegmentEncoder? _encodeWithInner;

    internal TextTokenizer(Tokenizer inner, string description, int? bosId, int? eosId, bool addBos, bool addEos,
        string? piecePattern = null, Func<TiktokenRanks>? ranks = null)
        : this(description, bosId, eosId, addBos, addEos)
    {
        Inner = inner;
        PiecePattern = piecePattern;
        Ranks = ranks;
        Specials = SpecialTokenSplitter.For(inner);
        _encodeWithInner = (segment, destination) => destination.AddRange(inner.EncodeToIds(segment));
    }

    /// <summary>
    /// A SentencePiece model; <paramref name="specialTokens"/>, if any, are cut out of the text
    /// whole (each text between them encoded on its own, as Microsoft.ML.Tokenizers and Hugging
    /// Face do); spm_encode itself has no such tokens and segments their text like any other.
    /// </summary>
    internal TextTokenizer(SentencePieceProcessor sentencePiece, IReadOnlyDictionary<string, int>? specialTokens, string description,
        int? bosId, int? eosId, bool addBos, bool addEos)
        : this(description, bosId, eosId, addBos, addEos)
    {
        _sentencePiece = sentencePiece;
        if (specialTokens is { Count: > 0 })
        {
            _sentencePieceSpecials = [.. specialTokens.Where(kv => kv.Key.Length > 0)
                .Select(kv => (Encoding.UTF8.GetBytes(kv.Key), kv.Value))
                .OrderByDescending(s => s.Item1.Length)];
        }
    }

    private TextTokenizer(string description, int? bosId, int? eosId, bool addBos, bool addEos)
    {
        if (addBos && bosId is null)
        {
            throw new DataPipelineException($"{description}: add_bos is on but the tokenizer has no BOS token; name one (bos: <id or text>).");
        }
        if (addEos && eosId is null)
        {
            throw new DataPipelineException($"{description}: add_eos is on but the tokenizer has no EOS token; name one (eos: <id or text>).");
        }
        Description = description;
        BosId = bosId;
        EosId = eosId;
        AddBos = addBos;
        AddEos = addEos;
        _bos = bosId ?? -1;
        _eos = eosId ?? -1;
    }

    /// <summary>The wrapped Microsoft.ML.Tokenizers tokenizer, for what this type does not expose; null for a SentencePiece model.</summary>
    public Tokenizer? Inner { get; }

    /// <summary>
    /// The regex whose matches are exactly <see cref="Inner"/>'s pre-tokens, when its pre-tokenizer is
    /// that regex after cutting out special tokens (tiktoken); null otherwise. What
    /// <see cref="DocumentEncoder"/> needs for its cached path.
    /// </summary>
    internal string? PiecePattern { get; }

    /// <summary>Reads (once per process) the tiktoken vocabulary <see cref="Inner"/> was built from; null when it is not tiktoken.</summary>
    internal Func<TiktokenRanks>? Ranks { get; }

    /// <summary>Finds <see cref="Inner"/>'s special tokens in text (tiktoken); null when there are none.</summary>
    internal SpecialTokenSplitter? Specials { get; }

    /// <summary>The SentencePiece model, for a SentencePiece tokenizer; else null.</summary>
    public SentencePieceProcessor? SentencePiece => _sentencePiece;

    /// <summary>What was built, for logs and stats ("tiktoken cl100k_base", "sentencepiece m.model").</summary>
    public string Description { get; }

    public int? BosId { get; }

    public int? EosId { get; }

    public bool AddBos { get; }

    public bool AddEos { get; }

    /// <summary>
    /// Largest id + 1 over the vocabulary and the special tokens (what Megatron sizes its dtype by),
    /// or null where the tokenizer does not expose its vocabulary (tiktoken keeps its ranks private).
    /// </summary>
    public long? VocabularySize
    {
        get
        {
            static int Max(IReadOnlyDictionary<string, int>? d) => d is null || d.Count == 0 ? -1 : d.Values.Max();
            int max = _sentencePiece is not null
                ? Math.Max(_sentencePiece.PieceCount - 1, _sentencePieceSpecials.Length == 0 ? -1 : _sentencePieceSpecials.Max(s => s.Id))
                : Inner switch
                {
                    BpeTokenizer b => Math.Max(Max(b.SpecialTokens), Max(b.Vocabulary)),
                    _ => -1,
                };
            return max < 0 ? null : Math.Max(max, Math.Max(_bos, _eos)) + 1;
        }
    }

    /// <summary>One document's ids, framed with BOS/EOS as configured.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        Encode(text.AsSpan(), ids);
        return [.. ids];
    }

    /// <summary>Appends one document's framed ids to <paramref name="destination"/>, so a caller can reuse one buffer.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (AddBos)
        {
            destination.Add(_bos);
        }
        if (_sentencePiece is not null && _sentencePieceSpecials.Length == 0)
        {
            _sentencePiece.Encode(text, destination);
        }
        else if (_sentencePiece is not null)
        {
            EncodeSentencePieceWithSpecials(Encoding.UTF8.GetBytes(text.ToString()), destination);
        }
        else
        {
            EncodeInner(text, destination);
        }
        if (AddEos)
        {
            destination.Add(_eos);
        }
    }

    /// <summary>
    /// Appends one document's framed ids, from its UTF-8 text: SentencePiece works on UTF-8
    /// directly; the Microsoft.ML.Tokenizers families get the text transcoded into a pooled buffer.
    /// </summary>
    public void Encode(ReadOnlySpan<byte> utf8, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_sentencePiece is null)
        {
            char[] chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
            try
            {
                int n = Encoding.UTF8.GetChars(utf8, chars);
                Encode(chars.AsSpan(0, n), destination);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
            return;
        }
        if (AddBos)
        {
            destination.Add(_bos);
        }
        if (_sentencePieceSpecials.Length == 0)
        {
            _sentencePiece.Encode(utf8, destination);
        }
        else
        {
            EncodeSentencePieceWithSpecials(utf8, destination);
        }
        if (AddEos)
        {
            destination.Add(_eos);
        }
    }

    /// <summary>The text's ids alone, without BOS/EOS: what spm_encode or tiktoken's encode give.</summary>
    public IReadOnlyList<int> EncodeText(ReadOnlySpan<char> text)
    {
        if (_sentencePiece is null)
        {
            if (Specials is null)
            {
                return Inner!.EncodeToIds(text);
            }
            var textIds = new List<int>(text.Length / 3 + 1);
            EncodeInner(text, textIds);
            return textIds;
        }
        var ids = new List<int>(text.Length / 3 + 1);
        if (_sentencePieceSpecials.Length == 0)
        {
            _sentencePiece.Encode(text, ids);
        }
        else
        {
            EncodeSentencePieceWithSpecials(Encoding.UTF8.GetBytes(text.ToString()), ids);
        }
        return ids;
    }

    /// <summary>Microsoft.ML.Tokenizers' ids, with special tokens cut out first (see <see cref="SpecialTokenSplitter"/>).</summary>
    private void EncodeInner(ReadOnlySpan<char> text, List<int> destination)
    {
        if (Specials is null)
        {
            destination.AddRange(Inner!.EncodeToIds(text));
            return;
        }
        Specials.Encode(text, destination, _encodeWithInner!);
    }

    private void EncodeSentencePieceWithSpecials(ReadOnlySpan<byte> utf8, List<int> destination)
    {
        int from = 0;
        for (int i = 0; i < utf8.Length; i++)
        {
            foreach (var (special, id) in _sentencePieceSpecials)
            {
                if (utf8[i..].StartsWith(special))
                {
                    _sentencePiece!.Encode(utf8[from..i], destination);
                    destination.Add(id);
                    i += special.Length - 1;
                    from = i + 1;
                    break;
                }
            }
        }
        _sentencePiece!.Encode(utf8[from..], destination);
    }

    public string Decode(IEnumerable<int> ids) => _sentencePiece?.Decode(ids) ?? Inner!.Decode(ids) ?? "";

    public override string ToString() => Description;
}
