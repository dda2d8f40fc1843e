namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>Which family of tokenizer a <see cref="TokenizerSpec"/> builds, and so which files it reads.</summary>
public enum TokenizerKind
{
    /// <summary>A tiktoken encoding shipped with Microsoft.ML.Tokenizers' data packages (cl100k_base, o200k_base, r50k_base, gpt2).</summary>
    NamedTiktoken,

    /// <summary>A tiktoken-format vocabulary file (base64 token, space, rank per line), as Llama 3's tokenizer.model.</summary>
    TiktokenFile,

    /// <summary>A byte-level BPE vocab.json + merges.txt pair, as GPT-2 and RoBERTa ship.</summary>
    ByteLevelBpe,

    /// <summary>A SentencePiece .model file (BPE or unigram), as Llama 2 and Mistral ship.</summary>
    SentencePiece,
}
