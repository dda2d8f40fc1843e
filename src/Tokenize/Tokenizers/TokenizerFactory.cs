using System.Text.RegularExpressions;
using DataPipeline.Core.Errors;
using DataPipeline.Tokenize.Tokenizers.SentencePiece;
using Microsoft.ML.Tokenizers;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>Builds a <see cref="TextTokenizer"/> from a <see cref="TokenizerSpec"/>, with errors that name the setting or file at fault.</summary>
public static class TokenizerFactory
{
    private static readonly Dictionary<string, int> NoSpecialTokens = new(StringComparer.Ordinal);

    public static TextTokenizer Create(TokenizerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Kind == TokenizerKind.SentencePiece)
        {
            return CreateSentencePiece(spec);
        }
        var (inner, description, piecePattern, ranks) = spec.Kind switch
        {
            TokenizerKind.NamedTiktoken => CreateNamed(spec),
            TokenizerKind.TiktokenFile => CreateTiktokenFile(spec),
            TokenizerKind.ByteLevelBpe => CreateBpe(spec),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "Unknown tokenizer kind."),
        };
        var vocab = TokenVocabulary.Of(inner);
        int? bos = Resolve(spec.Bos, vocab, description, "bos") ?? vocab.DefaultBos;
        int? eos = Resolve(spec.Eos, vocab, description, "eos") ?? vocab.DefaultEos;
        return new TextTokenizer(inner, description, bos, eos, spec.AddBos, spec.AddEos, piecePattern, ranks);
    }

    private static (Tokenizer, string, string?, Func<TiktokenRanks>?) CreateNamed(TokenizerSpec spec)
    {
        string name = spec.Encoding ?? throw new DataPipelineException("tokenizer: a named tiktoken tokenizer needs an encoding name");
        if (!TokenizerSpec.BundledEncodings.Contains(name, StringComparer.Ordinal))
        {
            throw new DataPipelineException(
                $"tokenizer: encoding '{name}' is not bundled (bundled: {string.Join(", ", TokenizerSpec.BundledEncodings)}); " +
                "give its .tiktoken file instead, with the matching pattern (p50k_base: pattern p50k, special token <|endoftext|>=50256)");
        }
        // Microsoft.ML.Tokenizers knows gpt2 as a model name only, not as an encoding name.
        var tokenizer = name == "gpt2"
            ? TiktokenTokenizer.CreateForModel(name, spec.SpecialTokens)
            : TiktokenTokenizer.CreateForEncoding(name, spec.SpecialTokens);
        return (tokenizer, "tiktoken " + name, PreTokenizerPatterns.OfBundledEncoding(name), () => TiktokenRanks.ForBundledEncoding(name));
    }

    private static (Tokenizer, string, string?, Func<TiktokenRanks>?) CreateTiktokenFile(TokenizerSpec spec)
    {
        string path = RequireFile(spec.VocabFile, "vocab", "a tiktoken vocabulary file");
        var specials = spec.SpecialTokens ?? NoSpecialTokens;
        // Specials go to the pre-tokenizer too, so their text in a document is split out whole
        // rather than broken into bytes; the named encodings behave the same way.
        var regex = PatternRegex(spec.Pattern ?? "cl100k");
        var pre = new RegexPreTokenizer(regex, specials);
        return (Load(path, s => TiktokenTokenizer.Create(s, pre, normalizer: null, specials)), "tiktoken " + Path.GetFileName(path), regex.ToString(),
            () => TiktokenRanks.ForFile(path));
    }

    private static (Tokenizer, string, string?, Func<TiktokenRanks>?) CreateBpe(TokenizerSpec spec)
    {
        string vocab = RequireFile(spec.VocabFile, "vocab", "a vocab.json file");
        string merges = RequireFile(spec.MergesFile, "merges", "a merges.txt file");
        var options = new BpeOptions(vocab, merges)
        {
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(PatternRegex(spec.Pattern ?? "gpt2"), spec.SpecialTokens),
            SpecialTokens = spec.SpecialTokens,
        };
        return (Wrap(vocab, () => BpeTokenizer.Create(options)), "bpe " + Path.GetFileName(vocab), null, null);
    }

    /// <summary>
    /// SentencePiece models run on our port of the reference library (exactly spm_encode's ids),
    /// not on Microsoft.ML.Tokenizers' SentencePieceTokenizer, which departs from it (equal-score
    /// BPE merges, the precompiled charsmap of nmt_nfkc models).
    /// </summary>
    private static TextTokenizer CreateSentencePiece(TokenizerSpec spec)
    {
        string path = RequireFile(spec.ModelFile, "model", "a SentencePiece .model file");
        SentencePieceProcessor model;
        try
        {
            model = SentencePieceProcessor.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new DataPipelineException($"tokenizer: cannot read '{path}': {e.Message}", e);
        }
        string description = "sentencepiece " + Path.GetFileName(path);
        var vocab = TokenVocabulary.Of(model, spec.SpecialTokens);
        int? bos = Resolve(spec.Bos, vocab, description, "bos") ?? vocab.DefaultBos;
        int? eos = Resolve(spec.Eos, vocab, description, "eos") ?? vocab.DefaultEos;
        return new TextTokenizer(model, spec.SpecialTokens, description, bos, eos, spec.AddBos, spec.AddEos);
    }

    private static Regex PatternRegex(string nameOrPattern)
    {
        string pattern = PreTokenizerPatterns.Resolve(nameOrPattern);
        try
        {
            return new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new DataPipelineException($"tokenizer: pattern '{nameOrPattern}' is neither a preset ({string.Join(", ", ["gpt2", "p50k", "cl100k", "llama3", "o200k"])}) nor a valid regex: {e.Message}", e);
        }
    }

    private static string RequireFile(string? path, string setting, string what)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new DataPipelineException($"tokenizer: setting '{setting}' must name {what}");
        }
        if (!File.Exists(path))
        {
            throw new DataPipelineException($"tokenizer: {setting} file '{path}' does not exist");
        }
        return path;
    }

    private static Tokenizer Load(string path, Func<Stream, Tokenizer> create)
    {
        using var stream = File.OpenRead(path);
        return Wrap(path, () => create(stream));
    }

    private static Tokenizer Wrap(string path, Func<Tokenizer> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or InvalidDataException
                                      or System.Text.Json.JsonException or IOException)
        {
            throw new DataPipelineException($"tokenizer: cannot read '{path}': {e.Message}", e);
        }
    }

    private static int? Resolve(SpecialTokenRef? token, TokenVocabulary vocab, string description, string setting)
    {
        if (token is not SpecialTokenRef t)
        {
            return null;
        }
        if (t.Id is int id)
        {
            return id;
        }
        return vocab.Find(t.Text!) ?? throw new DataPipelineException(
            $"tokenizer {description}: {setting} token '{t.Text}' is neither a special token nor in the vocabulary");
    }
}
