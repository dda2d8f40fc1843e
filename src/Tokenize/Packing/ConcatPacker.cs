namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// Mode concat, as llm-foundry's ConcatTokensDataset: documents (each already ending in EOS, and
/// starting with BOS if configured, exactly as that dataset frames them) are concatenated and cut
/// into windows of L. A document that fills a window carries on in the next (wrap) or loses its
/// rest (no wrap). The last partial window is dropped, as there and in Megatron, unless
/// <see cref="PackingOptions.KeepRemainder"/> pads it.
/// Deliberate difference from Megatron's GPTDataset: windows are disjoint; Megatron reads L+1
/// tokens per sample so neighbours share one token, but that happens at training time from the
/// document-level .bin/.idx, not from packed samples.
/// </summary>
internal sealed class ConcatPacker(PackingOptions options, IPackedSampleSink sink) : SequencePacker(options, sink)
{
    private protected override void AddDocument(ReadOnlySpan<int> document)
    {
        while (!document.IsEmpty)
        {
            int n = Math.Min(Free, document.Length);
            Append(document[..n]);
            document = document[n..];
            if (Free == 0)
            {
                Emit();
                if (!Options.Wrap)
                {
                    Stats.TruncatedTokens += document.Length;
                    return;
                }
            }
        }
    }

    private protected override void FinishDocuments()
    {
        if (Filled == 0)
        {
            return;
        }
        if (Options.KeepRemainder)
        {
            Emit();
        }
        else
        {
            DropPartial();
        }
    }
}
