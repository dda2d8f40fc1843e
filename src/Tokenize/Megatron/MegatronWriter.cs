namespace DataPipeline.Tokenize.Megatron;

/// <summary>
/// Builds a Megatron-LM indexed dataset (<c>IndexedDatasetBuilder</c>): tokens stream into
/// <c>P.bin</c>, and <see cref="Finish"/> writes <c>P.idx</c>. Same calls, same bytes as upstream.
/// </summary>
/// <remarks>
/// <see cref="Dispose"/> without <see cref="Finish"/> leaves no <c>.idx</c>, so an aborted build
/// cannot be mistaken for a finished one.
/// </remarks>
public sealed class MegatronWriter : IDisposable
{
    private readonly string _prefix;
    private readonly FileStream _bin;
    private readonly List<int> _lengths = [];
    private readonly List<long> _documents = [0];
    private readonly List<sbyte>? _modes;
    private readonly int _itemSize;
    private byte[] _scratch = [];
    private bool _finished;

    public MegatronWriter(string pathPrefix, MegatronDType dtype, bool multimodal = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        _prefix = pathPrefix;
        DType = dtype;
        _itemSize = MegatronDTypes.ItemSize(dtype);
        _modes = multimodal ? [] : null;
        string? dir = Path.GetDirectoryName(Path.GetFullPath(pathPrefix));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        _bin = new FileStream(MegatronPaths.Data(pathPrefix), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public MegatronDType DType { get; }

    public int SequenceCount => _lengths.Count;

    public int DocumentCount => _documents.Count - 1;

    /// <summary><c>add_item</c>: one sequence, not yet closed into a document.</summary>
    public void AddItem(ReadOnlySpan<int> tokens, sbyte mode = 0)
    {
        WriteTokens(tokens);
        _lengths.Add(tokens.Length);
        _modes?.Add(mode);
    }

    /// <summary><c>end_document</c>: the sequences added since the last boundary form a document.</summary>
    public void EndDocument() => _documents.Add(_lengths.Count);

    /// <summary>
    /// <c>add_document</c>: a document of one or more sequences, <paramref name="sequenceLengths"/>
    /// splitting <paramref name="tokens"/>. With <paramref name="eod"/>, the id is appended to the
    /// last sequence as preprocess_data's <c>--append-eod</c> does, and only when the document has
    /// tokens. A document with no sequences is allowed (upstream writes one for empty text).
    /// </summary>
    public void AddDocument(ReadOnlySpan<int> tokens, ReadOnlySpan<int> sequenceLengths, int? eod = null, ReadOnlySpan<sbyte> modes = default)
    {
        long total = 0;
        foreach (int len in sequenceLengths)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(len, nameof(sequenceLengths));
            total += len;
        }
        if (total != tokens.Length)
        {
            throw new ArgumentException($"Sequence lengths add up to {total}, but {tokens.Length} tokens were given.");
        }
        if (_modes is not null && modes.Length != sequenceLengths.Length)
        {
            throw new ArgumentException("A multimodal dataset needs one mode per sequence.");
        }
        bool appendEod = eod is not null && tokens.Length > 0;
        WriteTokens(tokens);
        if (appendEod)
        {
            WriteTokens([eod!.Value]);
        }
        for (int i = 0; i < sequenceLengths.Length; i++)
        {
            _lengths.Add(sequenceLengths[i] + (appendEod && i == sequenceLengths.Length - 1 ? 1 : 0));
            _modes?.Add(modes[i]);
        }
        _documents.Add(_lengths.Count);
    }

    /// <summary>
    /// <c>add_index</c>: appends a finished dataset (a partition, a shard to merge). Its document
    /// indices are shifted by the sequences already here, its leading 0 dropped, and its
    /// <c>.bin</c> copied as it is; the dtypes must agree.
    /// </summary>
    public void AddIndex(string pathPrefix)
    {
        string idxPath = MegatronPaths.Index(pathPrefix);
        var part = MegatronIndex.Parse(File.ReadAllBytes(idxPath), _modes is not null, idxPath);
        if (part.DType != DType)
        {
            throw new InvalidDataException($"{idxPath}: dtype {part.DType} differs from this dataset's {DType}.");
        }
        long offset = _lengths.Count;
        _lengths.AddRange(part.SequenceLengths);
        for (int i = 1; i < part.DocumentIndices.Length; i++)
        {
            _documents.Add(offset + part.DocumentIndices[i]);
        }
        if (part.SequenceModes is not null)
        {
            _modes!.AddRange(part.SequenceModes);
        }
        using var bin = File.OpenRead(MegatronPaths.Data(pathPrefix));
        bin.CopyTo(_bin);
    }

    /// <summary><c>finalize</c>: closes <c>.bin</c> and writes <c>.idx</c>.</summary>
    public void Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _bin.Flush(flushToDisk: false);
        _bin.Dispose();
        var index = new MegatronIndex(DType, [.. _lengths], [.. _documents], _modes?.ToArray());
        string idx = MegatronPaths.Index(_prefix);
        File.WriteAllBytes(idx + ".tmp", index.ToBytes());
        File.Move(idx + ".tmp", idx, overwrite: true);
        _finished = true;
    }

    public void Dispose()
    {
        _finished = true;
        _bin.Dispose();
    }

    private void WriteTokens(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        // Chunked so the scratch buffer stays small however long the document.
        const int Chunk = 1 << 14;
        if (_scratch.Length < Chunk * _itemSize)
        {
            _scratch = new byte[Chunk * _itemSize];
        }
        while (!tokens.IsEmpty)
        {
            int n = Math.Min(tokens.Length, Chunk);
            var dest = _scratch.AsSpan(0, n * _itemSize);
            TokenEncoder.Encode(tokens[..n], DType, dest);
            _bin.Write(dest);
            tokens = tokens[n..];
        }
    }
}
