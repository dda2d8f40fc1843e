using DataPipeline.Core.Errors;
using Microsoft.ML.Tokenizers;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// A Microsoft.ML.Tokenizers tokenizer with this pipeline's document framing: <see cref="Encode(string)"/>
/// gives one document's ids with BOS/EOS added as configured, the same for every tokenizer family
/// (the families disagree on whether and how they add them themselves, so none is asked to).
/// Immutable, so tasks may share one.
/// </summary>
public sealed class TextTokenizer
{
    private readonly int _bos;
    private readonly int _eos;

    internal TextTokenizer(Tokenizer inner, string description, int? bosId, int? eosId, bool addBos, bool addEos)
    {
        if (addBos && bosId is null)
        {
            throw new DataPipelineException($"{description}: add_bos is on but the tokenizer has no BOS token; name one (bos: <id or text>).");
        }
        if (addEos && eosId is null)
        {
            throw new DataPipelineException($"{description}: add_eos is on but the tokenizer has no EOS token; name one (eos: <id or text>).");
        }
        Inner = inner;
        Description = description;
        BosId = bosId;
        EosId = eosId;
        AddBos = addBos;
        AddEos = addEos;
        _bos = bosId ?? -1;
        _eos = eosId ?? -1;
    }

    /// <summary>The wrapped tokenizer, for what this type does not expose.</summary>
    public Tokenizer Inner { get; }

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
            int max = Inner switch
            {
                SentencePieceTokenizer s => Math.Max(Max(s.SpecialTokens), Max(s.Vocabulary)),
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
        var ids = EncodeText(text);
        var result = new int[ids.Count + (AddBos ? 1 : 0) + (AddEos ? 1 : 0)];
        int at = 0;
        if (AddBos)
        {
            result[at++] = _bos;
        }
        for (int i = 0; i < ids.Count; i++)
        {
            result[at++] = ids[i];
        }
        if (AddEos)
        {
            result[at] = _eos;
        }
        return result;
    }

    /// <summary>Appends one document's framed ids to <paramref name="destination"/>, so a caller can reuse one buffer.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (AddBos)
        {
            destination.Add(_bos);
        }
        destination.AddRange(EncodeText(text));
        if (AddEos)
        {
            destination.Add(_eos);
        }
    }

    /// <summary>The text's ids alone, without BOS/EOS: what spm_encode or tiktoken's encode give.</summary>
    public IReadOnlyList<int> EncodeText(ReadOnlySpan<char> text) => Inner.EncodeToIds(text);

    public string Decode(IEnumerable<int> ids) => Inner.Decode(ids);

    public override string ToString() => Description;
}
