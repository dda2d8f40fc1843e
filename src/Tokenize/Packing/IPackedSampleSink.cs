namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// Receives packed samples as they are made. The spans are the packer's reused buffers, valid only
/// during the call: a sink writes or copies them, so the packer allocates nothing per sample.
/// </summary>
public interface IPackedSampleSink
{
    /// <param name="tokens">Exactly L ids.</param>
    /// <param name="segmentEnds">
    /// End offset of each document piece in <paramref name="tokens"/>, ascending (flash-attention's
    /// cu_seqlens without its leading 0); the last is where padding starts. Lets a trainer reset
    /// positions and keep attention inside documents.
    /// </param>
    void Write(ReadOnlySpan<int> tokens, ReadOnlySpan<int> segmentEnds);
}

/// <summary>Keeps every sample in memory: for tests and small outputs.</summary>
public sealed class PackedSampleList : IPackedSampleSink
{
    public List<int[]> Tokens { get; } = [];

    public List<int[]> SegmentEnds { get; } = [];

    public void Write(ReadOnlySpan<int> tokens, ReadOnlySpan<int> segmentEnds)
    {
        Tokens.Add(tokens.ToArray());
        SegmentEnds.Add(segmentEnds.ToArray());
    }
}
