namespace DataPipeline.Filtering.Tokenization;

/// <summary>One spaCy token as a slice of the text it came from (every spaCy token is one).</summary>
public readonly record struct Token(int Start, int Length, bool IsSpace)
{
    public int End => Start + Length;

    public ReadOnlySpan<char> In(string text) => text.AsSpan(Start, Length);
}
