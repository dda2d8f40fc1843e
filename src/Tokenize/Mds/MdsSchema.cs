namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// The columns of a dataset in stored order: sorted by name (code point order, as Python's
/// <c>sorted</c>), which is also the order of sizes and payloads inside every sample.
/// </summary>
public sealed class MdsSchema
{
    private readonly Dictionary<string, int> _byName;

    public MdsSchema(IEnumerable<KeyValuePair<string, string>> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var sorted = columns.OrderBy(c => c.Key, CodePointComparer.Instance).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("An MDS dataset needs at least one column.");
        }
        Names = sorted.Select(c => c.Key).ToArray();
        Encodings = sorted.Select(c => MdsEncoding.Parse(c.Value)).ToArray();
        _byName = new Dictionary<string, int>(Names.Count, StringComparer.Ordinal);
        for (int i = 0; i < Names.Count; i++)
        {
            if (!_byName.TryAdd(Names[i], i))
            {
                throw new ArgumentException($"Duplicate MDS column '{Names[i]}'.");
            }
        }
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<MdsEncoding> Encodings { get; }

    public int Count => Names.Count;

    public int IndexOf(string column) =>
        _byName.TryGetValue(column, out int i) ? i : throw new KeyNotFoundException($"No MDS column named '{column}'; columns are: {string.Join(", ", Names)}.");
}
