using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// datatrove's split_into_words(text, "en") as slices of the text: spaCy's tokens with whitespace
/// tokens dropped (strip_strings), plus each word's length in code points (the UTF-16 length when
/// the text holds no surrogate at all, the usual case).
/// </summary>
public sealed class WordList
{
    private Token[] _words = [];
    private int[]? _lengths;
    private int _count;
    private NGramIndex? _ngrams;
    private bool _ngramsReady;

    public WordList(string text, IEnumerable<Token> tokens)
    {
        Text = text;
        Fill(text, tokens as List<Token> ?? tokens.ToList());
    }

    /// <summary>An empty list to be filled with <see cref="Fill"/> (reused from document to document).</summary>
    internal WordList()
    {
        Text = "";
    }

    /// <summary>A fresh word list of the text, independent of every cache.</summary>
    public static WordList Split(string text)
    {
        var tokens = new List<Token>();
        EnglishTokenizer.Shared.TokenizeInto(text, tokens);
        return new WordList(text, tokens);
    }

    /// <summary>Refills this list with the words among <paramref name="tokens"/> (tokens of <paramref name="text"/>).</summary>
    internal void Fill(string text, List<Token> tokens)
    {
        Text = text;
        _ngramsReady = false;
        if (_words.Length < tokens.Count)
        {
            _words = new Token[Math.Max(tokens.Count, _words.Length * 2)];
        }
        int n = 0;
        foreach (var t in tokens)
        {
            if (!t.IsSpace)
            {
                _words[n++] = t;
            }
        }
        _count = n;
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            _lengths = null;
            return;
        }
        if (_lengths is null || _lengths.Length < n)
        {
            _lengths = new int[Math.Max(n, _words.Length)];
        }
        for (int i = 0; i < n; i++)
        {
            _lengths[i] = PyText.Length(text.AsSpan(_words[i].Start, _words[i].Length));
        }
    }

    public string Text { get; private set; }

    public int Count => _count;

    public ReadOnlySpan<char> this[int index] => Text.AsSpan(_words[index].Start, _words[index].Length);

    /// <summary>len(word) in code points.</summary>
    public int LengthOf(int index) => _lengths is null ? _words[index].Length : _lengths[index];

    /// <summary>The n-gram index of these words (<see cref="NGrams"/>), built on first use and kept until the list is refilled.</summary>
    internal NGramIndex NGramIndex()
    {
        var index = _ngrams ??= new NGramIndex();
        if (!_ngramsReady)
        {
            index.Build(this);
            _ngramsReady = true;
        }
        return index;
    }

    public IEnumerable<string> ToStrings()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return Text.Substring(_words[i].Start, _words[i].Length);
        }
    }
}
