using DataPipeline.Core.Errors;

namespace DataPipeline.Tokenize.Packing;

/// <summary>
/// Turns a stream of tokenized documents (already framed with BOS/EOS by the tokenizer) into
/// samples of exactly L tokens, written to a sink as they are ready. One instance per task:
/// call <see cref="Add"/> per document, then <see cref="Finish"/> once.
/// </summary>
public abstract class SequencePacker
{
    private readonly IPackedSampleSink _sink;
    private readonly int[] _sample;
    private readonly List<int> _segmentEnds = [];
    private int _fill;
    private bool _finished;

    private protected SequencePacker(PackingOptions options, IPackedSampleSink sink)
    {
        Options = options;
        _sink = sink;
        _sample = new int[options.SequenceLength];
        Stats = new PackingStats(options.SequenceLength);
    }

    public PackingOptions Options { get; }

    public PackingStats Stats { get; }

    protected int SequenceLength => _sample.Length;

    /// <summary>Room left in the sample being built.</summary>
    private protected int Free => _sample.Length - _fill;

    private protected int Filled => _fill;

    public static SequencePacker Create(PackingOptions options, IPackedSampleSink sink)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        if (options.SequenceLength < 1)
        {
            throw new DataPipelineException($"packing: sequence length must be at least 1, not {options.SequenceLength}");
        }
        bool pads = options.Mode != PackingMode.Concat || options.KeepRemainder;
        if (pads && options.PadId is null)
        {
            throw new DataPipelineException($"packing: mode {options.Mode} pads samples, so it needs a pad id");
        }
        if (options.BufferTokens is < 1)
        {
            throw new DataPipelineException($"packing: buffer tokens must be at least 1, not {options.BufferTokens}");
        }
        return options.Mode switch
        {
            PackingMode.None => new SingleDocumentPacker(options, sink),
            PackingMode.Concat => new ConcatPacker(options, sink),
            PackingMode.BestFit => new BestFitPacker(options, sink),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown packing mode."),
        };
    }

    /// <summary>Takes one document's ids; the span is not kept.</summary>
    public void Add(ReadOnlySpan<int> document)
    {
        if (_finished)
        {
            throw new InvalidOperationException("The packer is finished.");
        }
        Stats.Documents++;
        Stats.InputTokens += document.Length;
        AddDocument(document);
    }

    /// <summary>Writes what is still buffered (per the mode's rules for a last partial sample).</summary>
    public void Finish()
    {
        if (!_finished)
        {
            _finished = true;
            FinishDocuments();
        }
    }

    private protected abstract void AddDocument(ReadOnlySpan<int> document);

    private protected abstract void FinishDocuments();

    /// <summary>Appends one document piece to the sample being built; it must fit.</summary>
    private protected void Append(ReadOnlySpan<int> piece)
    {
        piece.CopyTo(_sample.AsSpan(_fill));
        _fill += piece.Length;
        _segmentEnds.Add(_fill);
        Stats.TokensWritten += piece.Length;
    }

    /// <summary>Pads the sample being built to L and hands it to the sink.</summary>
    private protected void Emit()
    {
        int padding = _sample.Length - _fill;
        if (padding > 0)
        {
            _sample.AsSpan(_fill).Fill(Options.PadId!.Value);
            Stats.PaddingTokens += padding;
        }
        Stats.Samples++;
        _sink.Write(_sample, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_segmentEnds));
        _fill = 0;
        _segmentEnds.Clear();
    }

    /// <summary>Forgets the sample being built, its tokens counted as the dropped remainder.</summary>
    private protected void DropPartial()
    {
        Stats.TokensWritten -= _fill;
        Stats.RemainderTokens += _fill;
        _fill = 0;
        _segmentEnds.Clear();
    }
}
