namespace DataPipeline.Filtering.Text;

/// <summary>
/// gopher_repetition_filter.find_duplicates: over a sequence of strings, how many elements repeat
/// an earlier one and how many code points those repeats hold. Elements are slices of one text.
/// </summary>
public static class Duplicates
{
    public static (int Elements, long Chars) Find(string text, IReadOnlyList<Range> parts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lookup = seen.GetAlternateLookup<ReadOnlySpan<char>>();
        int elements = 0;
        long chars = 0;
        foreach (var part in parts)
        {
            var s = text.AsSpan()[part];
            if (lookup.Contains(s))
            {
                elements++;
                chars += PyText.Length(s);
            }
            else
            {
                lookup.Add(s);
            }
        }
        return (elements, chars);
    }
}
