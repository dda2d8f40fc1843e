using DataPipeline.Tokenize.Tokenizers.SentencePiece;
using Microsoft.ML.Tokenizers;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// Looks token text up in whichever maps a tokenizer family exposes (Microsoft.ML.Tokenizers has
/// no common interface for it), and knows each family's usual BOS/EOS.
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly IReadOnlyDictionary<string, int>? _special;
    private readonly IReadOnlyDictionary<string, int>? _vocabulary;
    private readonly Tokenizer? _encodeWhole;
    private readonly SentencePieceProcessor? _sentencePiece;

    private TokenVocabulary(IReadOnlyDictionary<string, int>? special, IReadOnlyDictionary<string, int>? vocabulary, Tokenizer? encodeWhole,
        SentencePieceProcessor? sentencePiece = null)
    {
        _sentencePiece = sentencePiece;
        _special = special;
        _vocabulary = vocabulary;
        _encodeWhole = encodeWhole;
    }

    public int? DefaultBos { get; private init; }

    public int? DefaultEos { get; private init; }

    /// <summary>A SentencePiece model's pieces; its BOS/EOS are the model's &lt;s&gt;/&lt;/s&gt; control pieces (Llama 2: 1 and 2), none where the model has none.</summary>
    public static TokenVocabulary Of(SentencePieceProcessor model, IReadOnlyDictionary<string, int>? specialTokens) =>
        new(specialTokens, null, null, model)
        {
            DefaultBos = model.BosId >= 0 ? model.BosId : null,
            DefaultEos = model.EosId >= 0 ? model.EosId : null,
        };

    public static TokenVocabulary Of(Tokenizer tokenizer)
    {
        switch (tokenizer)
        {
            case TiktokenTokenizer tk:
            {
                // Tiktoken keeps its ranks by bytes behind an internal map; a text that encodes to
                // exactly one id is that rank.
                var v = new TokenVocabulary(tk.SpecialTokens, null, tk);
                // Llama 3 names its document markers <|begin_of_text|>/<|end_of_text|>; OpenAI's encodings <|endoftext|>.
                return new(tk.SpecialTokens, null, tk)
                {
                    DefaultBos = v.FindSpecial("<|begin_of_text|>"),
                    DefaultEos = v.FindSpecial("<|endoftext|>") ?? v.FindSpecial("<|end_of_text|>"),
                };
            }
            case BpeTokenizer bpe:
            {
                var v = new TokenVocabulary(bpe.SpecialTokens, bpe.Vocabulary, null);
                return new(bpe.SpecialTokens, bpe.Vocabulary, null) { DefaultEos = v.Find("<|endoftext|>") };
            }
            default:
                return new(null, null, tokenizer);
        }
    }

    /// <summary>The id of a special token or vocabulary entry with this exact text, or null.</summary>
    public int? Find(string text)
    {
        if (FindSpecial(text) is int id)
        {
            return id;
        }
        if (_vocabulary is not null && _vocabulary.TryGetValue(text, out id))
        {
            return id;
        }
        if (_sentencePiece?.FindPiece(text) is int piece)
        {
            return piece;
        }
        if (_encodeWhole is not null)
        {
            var ids = _encodeWhole.EncodeToIds(text);
            return ids.Count == 1 ? ids[0] : null;
        }
        return null;
    }

    private int? FindSpecial(string text) => _special is not null && _special.TryGetValue(text, out int id) ? id : null;
}
