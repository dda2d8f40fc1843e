namespace DataPipeline.Sampling.Dsir.Text;

/// <summary>A reusable list of token ranges (UTF-16 start and length) into one text.</summary>
public sealed class TokenRanges
{
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];

    /// <summary>Number of tokens.</summary>
    public int Count { get; private set; }

    /// <summary>UTF-16 offset of token <paramref name="index"/>.</summary>
    public int Start(int index) => _starts[index];

    /// <summary>UTF-16 length of token <paramref name="index"/>.</summary>
    public int Length(int index) => _lengths[index];

    internal void Clear() => Count = 0;

    internal void Add(int start, int length)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
        }

        _starts[Count] = start;
        _lengths[Count] = length;
        Count++;
    }
}
