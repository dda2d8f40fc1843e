namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// Mode bestfit, Best-fit Packing of Ding et al. 2024: documents longer than L are cut into chunks
/// of L (the only truncation the paper keeps; <see cref="LongDocuments.Truncate"/> keeps only the
/// first chunk instead, OLMo-core's default), then chunks are placed by Best-Fit-Decreasing into
/// bins of L, each bin one padded sample.
/// Deliberate difference from the paper, which packs the whole dataset at once: chunks are packed
/// in batches of about <see cref="PackingOptions.BufferTokens"/> so memory stays bounded on a
/// stream (OLMo-core likewise packs per buffer). Within a batch, chunks are sorted by length
/// descending, ties in arrival order; bins are written in opening order and hold their chunks in
/// placement order, so the output depends on the input order and settings alone.
/// </summary>
internal sealed class BestFitPacker : SequencePacker
{
    private readonly BestFitBins _bins;
    private readonly List<(int Start, int Length)> _chunks = [];
    private int[] _arena = new int[1024];
    private int _arenaUsed;

    public BestFitPacker(PackingOptions options, IPackedSampleSink sink) : base(options, sink) => _bins = new BestFitBins(options.SequenceLength);

    private protected override void AddDocument(ReadOnlySpan<int> document)
    {
        if (document.Length > SequenceLength && Options.LongDocumentPolicy == LongDocuments.Truncate)
        {
            Stats.TruncatedTokens += document.Length - SequenceLength;
            document = document[..SequenceLength];
        }
        // Chunk by chunk, so one huge document never needs more than the buffer plus L.
        while (!document.IsEmpty)
        {
            int n = Math.Min(SequenceLength, document.Length);
            Buffer(document[..n]);
            document = document[n..];
            if (_arenaUsed >= Options.BufferTokenLimit)
            {
                PackBuffered();
            }
        }
    }

    private protected override void FinishDocuments() => PackBuffered();

    private void Buffer(ReadOnlySpan<int> chunk)
    {
        if (_arenaUsed + chunk.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + chunk.Length));
        }
        chunk.CopyTo(_arena.AsSpan(_arenaUsed));
        _chunks.Add((_arenaUsed, chunk.Length));
        _arenaUsed += chunk.Length;
    }

    private void PackBuffered()
    {
        if (_chunks.Count == 0)
        {
            return;
        }
        var order = new int[_chunks.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        // Longest first; equal lengths keep arrival order, which makes the sort deterministic.
        Array.Sort(order, (a, b) => _chunks[a].Length != _chunks[b].Length ? _chunks[b].Length.CompareTo(_chunks[a].Length) : a.CompareTo(b));

        _bins.Reset();
        var binOf = new int[order.Length];
        foreach (int chunk in order)
        {
            binOf[chunk] = _bins.Place(_chunks[chunk].Length);
        }
        // Group the chunk numbers by bin, in placement order, with a counting sort.
        var binStart = new int[_bins.BinCount + 1];
        foreach (int bin in binOf)
        {
            binStart[bin + 1]++;
        }
        for (int b = 0; b < _bins.BinCount; b++)
        {
            binStart[b + 1] += binStart[b];
        }
        var next = (int[])binStart.Clone();
        var members = new int[order.Length];
        foreach (int chunk in order)
        {
            members[next[binOf[chunk]]++] = chunk;
        }
        for (int b = 0; b < _bins.BinCount; b++)
        {
            for (int m = binStart[b]; m < binStart[b + 1]; m++)
            {
                var (start, length) = _chunks[members[m]];
                Append(_arena.AsSpan(start, length));
            }
            Emit();
        }
        _chunks.Clear();
        _arenaUsed = 0;
    }
}
