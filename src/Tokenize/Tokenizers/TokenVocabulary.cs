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

    private TokenVocabulary(IReadOnlyDictionary<string, int>? special, IReadOnlyDictionary<string, int>? vocabulary, Tokenizer? encodeWhole)
    {
        _special = special;
        _vocabulary = vocabulary;
        _encodeWhole = encodeWhole;
    }

    public int? DefaultBos { get; private init; }

    public int? DefaultEos { get; private init; }

    public static TokenVocabulary Of(Tokenizer tokenizer)
    {
        switch (tokenizer)
        {
            case SentencePieceTokenizer sp:
                // The model file's own bos_id/eos_id (Llama 2: 1 and 2); -1 in the model means none.
                return new(sp.SpecialTokens, sp.Vocabulary, null)
                {
                    DefaultBos = sp.BeginningOfSentenceId >= 0 ? sp.BeginningOfSentenceId : null,
                    DefaultEos = sp.EndOfSentenceId >= 0 ? sp.EndOfSentenceId : null,
                };
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
        if (_encodeWhole is not null)
        {
            var ids = _encodeWhole.EncodeToIds(text);
            return ids.Count == 1 ? ids[0] : null;
        }
        return null;
    }

    private int? FindSpecial(string text) => _special is not null && _special.TryGetValue(text, out int id) ? id : null;
}
