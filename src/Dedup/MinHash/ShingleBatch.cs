namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// The shingle hashes of a batch of documents, flattened: document d owns
/// <c>Shingles[Offsets[d] .. Offsets[d + 1])</c>. One flat array is what every backend, CPU or GPU,
/// wants to stream over.
/// </summary>
public sealed class ShingleBatch
{
    private readonly List<ulong> _shingles = [];
    private readonly List<int> _offsets = [0];

    public int Count => _offsets.Count - 1;

    public int TotalShingles => _shingles.Count;

    public void Add(ReadOnlySpan<ulong> shingles)
    {
        foreach (var s in shingles) _shingles.Add(s);
        _offsets.Add(_shingles.Count);
    }

    /// <summary>Shingles the text straight into the batch.</summary>
    public void Add(Shingler shingler, string text)
    {
        shingler.AppendShingles(text, _shingles);
        _offsets.Add(_shingles.Count);
    }

    /// <summary>Word shingles of normalised UTF-8 (see <see cref="Shingler.AppendWordShingles(ReadOnlySpan{byte}, List{ulong})"/>) into the batch.</summary>
    public void AddNormalizedUtf8(Shingler shingler, ReadOnlySpan<byte> normalized)
    {
        shingler.AppendWordShingles(normalized, _shingles);
        _offsets.Add(_shingles.Count);
    }

    /// <summary>Shingles already-normalised text straight into the batch.</summary>
    public void AddPrepared(Shingler shingler, string prepared)
    {
        shingler.AppendShinglesOfPrepared(prepared, _shingles);
        _offsets.Add(_shingles.Count);
    }

    /// <summary>The shingles of document <paramref name="document"/> of the batch.</summary>
    public ReadOnlySpan<ulong> ShinglesOf(int document) => ShinglesSpan[_offsets[document].._offsets[document + 1]];

    public int ShingleCount(int document) => _offsets[document + 1] - _offsets[document];

    public void Clear()
    {
        _shingles.Clear();
        _offsets.Clear();
        _offsets.Add(0);
    }

    internal ulong[] ShinglesArray() => [.. _shingles];

    internal int[] OffsetsArray() => [.. _offsets];

    internal ReadOnlySpan<ulong> ShinglesSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_shingles);

    internal ReadOnlySpan<int> OffsetsSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_offsets);
}
