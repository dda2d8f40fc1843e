namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// What a packer did with its input. Once <see cref="SequencePacker.Finish"/> ran, every input token
/// is accounted for: <c>InputTokens == TokensWritten + TruncatedTokens + RemainderTokens</c>.
/// </summary>
public sealed class PackingStats
{
    public PackingStats(int sequenceLength) => SequenceLength = sequenceLength;

    public int SequenceLength { get; }

    public long Documents { get; internal set; }

    public long InputTokens { get; internal set; }

    public long Samples { get; internal set; }

    /// <summary>Document tokens written into samples (padding excluded).</summary>
    public long TokensWritten { get; internal set; }

    /// <summary>Document tokens cut off by truncation (a long document under <see cref="LongDocuments.Truncate"/>, or concat without wrap).</summary>
    public long TruncatedTokens { get; internal set; }

    /// <summary>Concat: tokens of the last partial window, dropped at the end of the stream.</summary>
    public long RemainderTokens { get; internal set; }

    public long PaddingTokens { get; internal set; }

    /// <summary>Share of input tokens lost to truncation and the dropped remainder.</summary>
    public double LossRate => InputTokens == 0 ? 0 : (double)(TruncatedTokens + RemainderTokens) / InputTokens;

    /// <summary>Share of written sample positions that are padding.</summary>
    public double PaddingRate => Samples == 0 ? 0 : (double)PaddingTokens / (Samples * (double)SequenceLength);

    /// <summary>Adds another task's counts, for a run's totals.</summary>
    public void Add(PackingStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.SequenceLength != SequenceLength)
        {
            throw new ArgumentException($"Cannot add stats for L={other.SequenceLength} to stats for L={SequenceLength}.", nameof(other));
        }
        Documents += other.Documents;
        InputTokens += other.InputTokens;
        Samples += other.Samples;
        TokensWritten += other.TokensWritten;
        TruncatedTokens += other.TruncatedTokens;
        RemainderTokens += other.RemainderTokens;
        PaddingTokens += other.PaddingTokens;
    }
}
