using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>Appends the ids of a text that holds no special token.</summary>
internal delegate void SegmentEncoder(ReadOnlySpan<char> segment, List<int> destination);

/// <summary>
/// Finds a tiktoken tokenizer's special tokens in text, with the alternation of their escaped texts
/// (in the tokenizer's order) that Microsoft.ML.Tokenizers' RegexPreTokenizer uses, and gives their ids.
/// </summary>
/// <remarks>
/// We cut special tokens out ourselves instead of leaving them to the inner tokenizer because it
/// finds a special token's id in its LRU cache of word encodings: once enough other words have
/// evicted it, the same text comes out as the bytes of "&lt;|endoftext|&gt;" instead of its id, so a
/// document's ids would depend on which documents the tokenizer saw before it. Here it is always the id.
/// </remarks>
internal sealed class SpecialTokenSplitter
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ids;

    private SpecialTokenSplitter(Regex regex, Dictionary<string, int> ids)
    {
        Regex = regex;
        _ids = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Matches any special token; leftmost first, and the first listed where two start at one place, as upstream.</summary>
    public Regex Regex { get; }

    /// <summary>The splitter of <paramref name="tokenizer"/>'s special tokens, or null when it has none (or is not tiktoken).</summary>
    public static SpecialTokenSplitter? For(Tokenizer tokenizer)
    {
        if (tokenizer is not TiktokenTokenizer { SpecialTokens: { Count: > 0 } specials })
        {
            return null;
        }
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (text, id) in specials)
        {
            ids[text] = id;
        }
        return new SpecialTokenSplitter(new Regex(string.Join("|", specials.Keys.Select(Regex.Escape)), RegexOptions.Compiled), ids);
    }

    /// <summary>
    /// The same splitter with a Regex instance of its own: .NET keeps one cached matcher per Regex
    /// instance, so threads sharing one build new matchers whenever they meet.
    /// </summary>
    public SpecialTokenSplitter Clone() =>
        new(new Regex(Regex.ToString(), Regex.Options), _ids.Dictionary);

    /// <summary>The id of a special token's text (a match of <see cref="Regex"/>).</summary>
    public int IdOf(ReadOnlySpan<char> text) => _ids[text];

    /// <summary>
    /// Appends the ids of <paramref name="text"/>: each special token's id, and between them (and around
    /// them) what <paramref name="encodeSegment"/> gives for the text, called only for non-empty text.
    /// </summary>
    public void Encode(ReadOnlySpan<char> text, List<int> destination, SegmentEncoder encodeSegment)
    {
        int from = 0;
        foreach (var special in Regex.EnumerateMatches(text))
        {
            if (special.Index > from)
            {
                encodeSegment(text[from..special.Index], destination);
            }
            destination.Add(IdOf(text.Slice(special.Index, special.Length)));
            from = special.Index + special.Length;
        }
        if (from < text.Length)
        {
            encodeSegment(text[from..], destination);
        }
    }
}
