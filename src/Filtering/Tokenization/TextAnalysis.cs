using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// What several filters compute from the same text, computed once per text and thread: the
/// spaCy words and the length in code points. Filters in a row (Gopher quality, Gopher
/// repetition, FineWeb) see the same document one after the other on one thread, so the words
/// of the first serve the others.
/// <para>
/// The key is the text string itself, by reference: strings are immutable, so an entry can never
/// go stale, and a step that changes a document's text (C4 does) gives it a new string, which
/// misses. One entry per thread: the analysis of the previous text is overwritten (its buffers
/// reused), so callers must not keep what <see cref="Of"/> returns beyond the current document.
/// </para>
/// </summary>
internal sealed class TextAnalysis
{
    [ThreadStatic]
    private static TextAnalysis? t_current;

    private readonly List<Token> _tokens = [];
    private readonly WordList _words = new();
    private string _text = "";
    private bool _hasWords;
    private int _codePoints = -1;

    /// <summary>This thread's analysis of <paramref name="text"/> (computed parts kept while the same string comes back).</summary>
    public static TextAnalysis Of(string text)
    {
        var a = t_current ??= new TextAnalysis();
        if (!ReferenceEquals(a._text, text))
        {
            a._text = text;
            a._hasWords = false;
            a._codePoints = -1;
        }
        return a;
    }

    /// <summary>split_into_words(text): spaCy's tokens without whitespace tokens.</summary>
    public WordList Words
    {
        get
        {
            if (!_hasWords)
            {
                EnglishTokenizer.Shared.TokenizeInto(_text, _tokens);
                _words.Fill(_text, _tokens);
                _hasWords = true;
                if (_tokens.Capacity > 1 << 20)
                {
                    // a huge document: do not hold its token buffer for the rest of the run
                    _tokens.Clear();
                    _tokens.Capacity = 0;
                }
            }
            return _words;
        }
    }

    /// <summary>len(text) in code points.</summary>
    public int CodePoints => _codePoints >= 0 ? _codePoints : (_codePoints = PyText.Length(_text));
}
