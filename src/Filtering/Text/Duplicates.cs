namespace DataPipeline.Filtering.Text;

/// <summary>
/// gopher_repetition_filter.find_duplicates: over a sequence of strings, how many elements repeat
/// an earlier one and how many code points those repeats hold. Elements are slices of one text,
/// kept as positions in a <see cref="HashIndex"/> (no string per element).
/// </summary>
public static class Duplicates
{
    [ThreadStatic]
    private static DuplicateCounter? t_counter;

    public static (int Elements, long Chars) Find(string text, IReadOnlyList<Range> parts)
    {
        var counter = DuplicateCounter.Start(text);
        foreach (var part in parts)
        {
            var (offset, length) = part.GetOffsetAndLength(text.Length);
            counter.Add(offset, length);
        }
        return (counter.Elements, counter.Chars);
    }

    /// <summary>
    /// find_duplicates(re.split("\n{minRun,}", text[start:end])): parts between runs of at least
    /// <paramref name="minRun"/> newlines (shorter runs stay inside a part; a leading or trailing
    /// run gives an empty part, as in Python), with the number of parts.
    /// </summary>
    internal static (int Parts, int Elements, long Chars) InNewlineRuns(string text, int start, int end, int minRun)
    {
        var counter = DuplicateCounter.Start(text);
        var span = text.AsSpan();
        int parts = 0;
        int partStart = start;
        int pos = start;
        while (pos < end)
        {
            int nl = span[pos..end].IndexOf('\n');
            if (nl < 0)
            {
                break;
            }
            int runStart = pos + nl;
            int runEnd = runStart + 1;
            while (runEnd < end && span[runEnd] == '\n')
            {
                runEnd++;
            }
            if (runEnd - runStart >= minRun)
            {
                counter.Add(partStart, runStart - partStart);
                parts++;
                partStart = runEnd;
            }
            pos = runEnd;
        }
        counter.Add(partStart, end - partStart);
        parts++;
        return (parts, counter.Elements, counter.Chars);
    }

    /// <summary>The find_duplicates loop over slices of one text, fed one slice at a time.</summary>
    internal sealed class DuplicateCounter
    {
        private readonly HashIndex _index = new();
        private int[] _starts = new int[64];
        private int[] _lengths = new int[64];
        private int _n;
        private string _text = "";

        public int Elements { get; private set; }

        public long Chars { get; private set; }

        /// <summary>This thread's counter, emptied, for slices of <paramref name="text"/>.</summary>
        public static DuplicateCounter Start(string text)
        {
            var c = t_counter ??= new DuplicateCounter();
            c._text = text;
            c._n = 0;
            c.Elements = 0;
            c.Chars = 0;
            c._index.Reset(64);
            if (c._starts.Length > 1 << 20)
            {
                // do not hold a huge document's buffers for the rest of the run
                c._starts = new int[64];
                c._lengths = new int[64];
            }
            return c;
        }

        public void Add(int start, int length)
        {
            var s = _text.AsSpan(start, length);
            if (_n == _starts.Length)
            {
                Array.Resize(ref _starts, _n * 2);
                Array.Resize(ref _lengths, _n * 2);
            }
            _starts[_n] = start;
            _lengths[_n] = length;
            var equality = new SliceEquality(_text, _starts, _lengths);
            _index.FindOrAdd(TextHash.Of(s), _n, ref equality, out bool added);
            if (added)
            {
                _n++;
            }
            else
            {
                Elements++;
                Chars += PyText.Length(s);
            }
        }

        private readonly struct SliceEquality(string text, int[] starts, int[] lengths) : IKeyEquality
        {
            public bool Equals(int storedKey, int key) =>
                lengths[storedKey] == lengths[key]
                && text.AsSpan(starts[storedKey], lengths[storedKey]).SequenceEqual(text.AsSpan(starts[key], lengths[key]));
        }
    }
}
