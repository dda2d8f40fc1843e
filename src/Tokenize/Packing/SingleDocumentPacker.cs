namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// Mode none: each document is its own sample, padded to L. A longer document is truncated to its
/// first L tokens or split into pieces of L, each its own sample, per <see cref="PackingOptions.LongDocuments"/>.
/// An empty document makes no sample.
/// </summary>
internal sealed class SingleDocumentPacker(PackingOptions options, IPackedSampleSink sink) : SequencePacker(options, sink)
{
    private protected override void AddDocument(ReadOnlySpan<int> document)
    {
        if (document.Length > SequenceLength && Options.LongDocumentPolicy == LongDocuments.Truncate)
        {
            Stats.TruncatedTokens += document.Length - SequenceLength;
            document = document[..SequenceLength];
        }
        while (!document.IsEmpty)
        {
            int n = Math.Min(SequenceLength, document.Length);
            Append(document[..n]);
            Emit();
            document = document[n..];
        }
    }

    private protected override void FinishDocuments()
    {
    }
}
