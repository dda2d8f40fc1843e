namespace DataPipeline.Tokenize.Packing;

/// <summary>Settings of a <see cref="SequencePacker"/>. Validated by <see cref="SequencePacker.Create"/>.</summary>
public sealed record PackingOptions
{
    /// <summary>L: every sample written holds exactly this many tokens.</summary>
    public required int SequenceLength { get; init; }

    public required PackingMode Mode { get; init; }

    /// <summary>
    /// Id that fills a sample's tail. Required by the modes that pad (none, bestfit, and concat with
    /// <see cref="KeepRemainder"/>): there is no safe default, since any real id would be trained on
    /// unless the trainer masks by the segment ends each sample carries.
    /// </summary>
    public int? PadId { get; init; }

    /// <summary>
    /// Documents longer than L. Null takes the mode's usual choice: truncate for none (what a
    /// tokenizer's max_length does), split for bestfit (the paper's chunking). Concat always wraps.
    /// </summary>
    public LongDocuments? LongDocuments { get; init; }

    /// <summary>
    /// Concat: carry the rest of a document that fills a window into the next one (llm-foundry's
    /// default); false drops it and counts it as truncated (llm-foundry's no_wrap).
    /// </summary>
    public bool Wrap { get; init; } = true;

    /// <summary>Concat: pad and write the last partial window instead of dropping it (llm-foundry and Megatron drop it).</summary>
    public bool KeepRemainder { get; init; }

    /// <summary>
    /// Bestfit: tokens gathered before a batch of chunks is sorted and packed. Bounds memory on a
    /// stream; larger batches pack tighter. Null takes 1024 samples' worth (1024 × L).
    /// </summary>
    public long? BufferTokens { get; init; }

    internal LongDocuments LongDocumentPolicy => LongDocuments ?? (Mode == PackingMode.BestFit ? Packing.LongDocuments.Split : Packing.LongDocuments.Truncate);

    internal long BufferTokenLimit => BufferTokens ?? 1024L * SequenceLength;
}
