namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// Everything needed to build a tokenizer: which family, its files or encoding name, and how a
/// document's ids are framed (BOS/EOS). Plain data, so a config reader fills it and
/// <see cref="TokenizerFactory"/> turns it into a <see cref="TextTokenizer"/>.
/// </summary>
public sealed record TokenizerSpec
{
    /// <summary>The encodings whose vocabularies ship in the referenced Microsoft.ML.Tokenizers.Data.* packages.</summary>
    public static readonly IReadOnlyList<string> BundledEncodings = ["cl100k_base", "o200k_base", "r50k_base", "gpt2"];

    public required TokenizerKind Kind { get; init; }

    /// <summary>Encoding name for <see cref="TokenizerKind.NamedTiktoken"/>.</summary>
    public string? Encoding { get; init; }

    /// <summary>The tiktoken file (<see cref="TokenizerKind.TiktokenFile"/>) or vocab.json (<see cref="TokenizerKind.ByteLevelBpe"/>).</summary>
    public string? VocabFile { get; init; }

    /// <summary>merges.txt for <see cref="TokenizerKind.ByteLevelBpe"/>.</summary>
    public string? MergesFile { get; init; }

    /// <summary>The SentencePiece .model file.</summary>
    public string? ModelFile { get; init; }

    /// <summary>
    /// Pre-tokenizer regex, or a preset name of <see cref="PreTokenizerPatterns"/>, for the file-based
    /// byte-level kinds. Null takes the family's usual one: cl100k (Llama 3) for a tiktoken file, gpt2
    /// for vocab.json + merges.txt.
    /// </summary>
    public string? Pattern { get; init; }

    /// <summary>
    /// Special tokens of a file-based tokenizer (text to id), recognised in text rather than split
    /// into bytes. A tiktoken file holds none itself: Llama 3's 256 reserved tokens must be given here.
    /// </summary>
    public IReadOnlyDictionary<string, int>? SpecialTokens { get; init; }

    /// <summary>BOS token; null takes the tokenizer's own (SentencePiece's bos_id, tiktoken's &lt;|begin_of_text|&gt; if present).</summary>
    public SpecialTokenRef? Bos { get; init; }

    /// <summary>EOS token; null takes the tokenizer's own (SentencePiece's eos_id, else &lt;|endoftext|&gt; or &lt;|end_of_text|&gt;).</summary>
    public SpecialTokenRef? Eos { get; init; }

    /// <summary>Put BOS before each document's ids. Off by default: GPT-style pretraining separates documents by EOS alone.</summary>
    public bool AddBos { get; init; }

    /// <summary>Put EOS after each document's ids, as llm-foundry's concat and Megatron's --append-eod do.</summary>
    public bool AddEos { get; init; } = true;

    public static TokenizerSpec Named(string encoding) => new() { Kind = TokenizerKind.NamedTiktoken, Encoding = encoding };

    public static TokenizerSpec Tiktoken(string vocabFile, string? pattern = null, IReadOnlyDictionary<string, int>? specialTokens = null) =>
        new() { Kind = TokenizerKind.TiktokenFile, VocabFile = vocabFile, Pattern = pattern, SpecialTokens = specialTokens };

    public static TokenizerSpec Bpe(string vocabJson, string mergesTxt, string? pattern = null) =>
        new() { Kind = TokenizerKind.ByteLevelBpe, VocabFile = vocabJson, MergesFile = mergesTxt, Pattern = pattern };

    public static TokenizerSpec SentencePieceModel(string modelFile) => new() { Kind = TokenizerKind.SentencePiece, ModelFile = modelFile };
}
