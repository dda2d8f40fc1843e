using System.Buffers;

namespace DataPipeline.Filtering.Text;

/// <summary>The three ways upstream cuts a text into lines; each filter uses a different one.</summary>
public static class LineSplitter
{
    /// <summary>
    /// str.splitlines(): breaks at \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028, \u2029;
    /// no empty last line after a final break; an empty text gives no lines.
    /// </summary>
    public static List<Range> SplitLines(ReadOnlySpan<char> text)
    {
        var lines = new List<Range>();
        int start = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (IsLineBreak(c))
            {
                lines.Add(start..i);
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                start = i;
            }
            else
            {
                i++;
            }
        }
        if (start < text.Length)
        {
            lines.Add(start..text.Length);
        }
        return lines;
    }

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\n\r\v\f\u001c\u001d\u001e\u0085\u2028\u2029");

    /// <summary>The lines of <see cref="SplitLines"/> one by one, without a list (a vectorised scan for the breaks).</summary>
    public static LineEnumerator EnumerateLines(ReadOnlySpan<char> text) => new(text);

    /// <summary>Enumerates str.splitlines() as ranges of the text.</summary>
    public ref struct LineEnumerator(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _pos;

        public Range Current { get; private set; }

        public readonly LineEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_pos >= _text.Length)
            {
                return false;
            }
            int i = _text[_pos..].IndexOfAny(LineBreaks);
            if (i < 0)
            {
                Current = _pos.._text.Length;
                _pos = _text.Length;
                return true;
            }
            int end = _pos + i;
            Current = _pos..end;
            _pos = end + (_text[end] == '\r' && end + 1 < _text.Length && _text[end + 1] == '\n' ? 2 : 1);
            return true;
        }
    }

    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';

    /// <summary>str.split(sep) with a one-character separator: always one more part than separators.</summary>
    public static List<Range> SplitOn(ReadOnlySpan<char> text, char separator)
    {
        var parts = new List<Range>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == separator)
            {
                parts.Add(start..i);
                start = i + 1;
            }
        }
        parts.Add(start..text.Length);
        return parts;
    }

    /// <summary>
    /// re.split(pattern, text) where pattern is "\n" repeated at least <paramref name="minRun"/>
    /// times (Gopher repetition: "\n+" for lines, "\n{2,}" for paragraphs). Runs shorter than
    /// minRun stay inside the part; a leading or trailing run yields an empty part, as in Python.
    /// </summary>
    public static List<Range> SplitOnNewlineRuns(ReadOnlySpan<char> text, int minRun)
    {
        var parts = new List<Range>();
        int start = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] != '\n')
            {
                i++;
                continue;
            }
            int runStart = i;
            while (i < text.Length && text[i] == '\n')
            {
                i++;
            }
            if (i - runStart >= minRun)
            {
                parts.Add(start..runStart);
                start = i;
            }
        }
        parts.Add(start..text.Length);
        return parts;
    }
}
