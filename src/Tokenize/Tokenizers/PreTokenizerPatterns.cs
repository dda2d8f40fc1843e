namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// The pre-tokenizer regexes of the well-known byte-level BPE families, by name, so a config can
/// say <c>pattern: cl100k</c> instead of pasting a regex. A value that is not a known name is used
/// as the regex itself.
/// </summary>
public static class PreTokenizerPatterns
{
    /// <summary>GPT-2, r50k_base and p50k_base (tiktoken's <c>r50k_base</c> pat_str; HF GPT-2's ByteLevel split).</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>cl100k_base's pat_str; Llama 3's tokenizer uses the same expression.</summary>
    public const string Cl100k = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>o200k_base's pat_str.</summary>
    public const string O200k =
        @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
        @"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?" +
        @"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The regex for a preset name (gpt2, r50k, p50k, cl100k, llama3, o200k), or the value itself.</summary>
    public static string Resolve(string nameOrPattern) => nameOrPattern switch
    {
        "gpt2" or "r50k" or "r50k_base" or "p50k" or "p50k_base" => Gpt2,
        "cl100k" or "cl100k_base" or "llama3" => Cl100k,
        "o200k" or "o200k_base" => O200k,
        _ => nameOrPattern,
    };

    /// <summary>
    /// The pre-tokenizer regex Microsoft.ML.Tokenizers (2.0) itself uses for a bundled encoding: not
    /// tiktoken's pat_str verbatim (atomic groups, and a trailing-whitespace alternative <c>(?&gt;\s+)$</c>)
    /// but what its EncodeToIds splits by, so <see cref="DocumentEncoder"/> gives its ids. The
    /// tokenizer tests compare both on the sample corpus, so an upgrade that changes them shows.
    /// </summary>
    internal static string? OfBundledEncoding(string encoding) => encoding switch
    {
        "cl100k_base" => @"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s",
        "r50k_base" or "gpt2" => @"'(?:[sdmt]|ll|ve|re)| ?(?>\p{L}+)| ?(?>\p{N}+)| ?(?>[^\s\p{L}\p{N}]+)|(?>\s+)$|\s+(?!\S)|\s",
        "o200k_base" => O200k,
        _ => null,
    };
}
