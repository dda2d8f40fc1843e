using System.Text.RegularExpressions;
using DataPipeline.Core.Errors;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Steps;

/// <summary>
/// C4BadWordsFilter's check for one language (c4_filters.py): lowercased text searched with
/// (?:\W|^)(w1|w2|...)(?:\W|$), words from a list file (LDNOOBW format, one per line). Upstream
/// downloads the list at run time; here the file is given, as nothing is fetched while running.
/// Difference: keep_fraction draws from .NET's Random, not numpy's generator, so which
/// documents with bad words survive differs from upstream for the same seed.
/// </summary>
public sealed class C4BadWords
{
    public const string Reason = "document_removed_with_badwords";

    private readonly Regex _pattern;
    private readonly double _keepFraction;
    private readonly Random _random;

    public C4BadWords(IEnumerable<string> words, double keepFraction, long? seed)
    {
        var escaped = words.Select(w => w.Trim()).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal).Select(Regex.Escape).ToList();
        if (escaped.Count == 0)
        {
            throw new DataPipelineException("the bad-words list is empty");
        }
        // Python's \W on str: not alphanumeric and not "_"; spelled out because .NET's \w also
        // admits combining marks and connector punctuation.
        _pattern = new Regex(@"(?:[^\p{L}\p{N}_]|^)(" + string.Join("|", escaped) + @")(?:[^\p{L}\p{N}_]|$)", RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _keepFraction = keepFraction;
        _random = seed is { } s ? new Random(unchecked((int)s)) : new Random();
    }

    public static C4BadWords FromFile(string path, double keepFraction, long? seed)
    {
        if (!File.Exists(path))
        {
            throw new DataPipelineException($"c4_quality: bad_words_file '{path}' does not exist");
        }
        return new C4BadWords(File.ReadLines(path), keepFraction, seed);
    }

    public bool ShouldRemove(string text)
    {
        if (!_pattern.IsMatch(PyText.Lower(text)))
        {
            return false;
        }
        return !(_keepFraction > 0 && _random.NextDouble() < _keepFraction);
    }
}
