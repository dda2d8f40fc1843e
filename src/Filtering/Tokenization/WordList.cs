using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Tokenization;

/// <summary>
/// datatrove's split_into_words(text, "en") as slices of the text: spaCy's tokens with whitespace
/// tokens dropped (strip_strings), plus each word's length in code points, computed once.
/// </summary>
public sealed class WordList
{
    private readonly Token[] _words;
    private readonly int[] _lengths;

    public WordList(string text, IEnumerable<Token> tokens)
    {
        Text = text;
        _words = tokens.Where(t => !t.IsSpace).ToArray();
        _lengths = new int[_words.Length];
        for (int i = 0; i < _words.Length; i++)
        {
            _lengths[i] = PyText.Length(_words[i].In(text));
        }
    }

    public static WordList Split(string text) => new(text, EnglishTokenizer.Shared.Tokenize(text));

    public string Text { get; }

    public int Count => _words.Length;

    public ReadOnlySpan<char> this[int index] => _words[index].In(Text);

    /// <summary>len(word) in code points.</summary>
    public int LengthOf(int index) => _lengths[index];

    public IEnumerable<string> ToStrings()
    {
        for (int i = 0; i < _words.Length; i++)
        {
            yield return Text.Substring(_words[i].Start, _words[i].Length);
        }
    }
}
