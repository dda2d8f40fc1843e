using DataPipeline.Core.Errors;
using DataPipeline.Tokenize.Packing;

namespace DataPipeline.Tokenize.Tests.Packing;

public sealed class PackingTests
{
    private const int Pad = 0;
    private const int Eos = 99;

    [Fact]
    public void Concat_cuts_the_stream_into_windows_and_drops_the_last_partial_one()
    {
        // Stream 1 2 3 E | 4 5 E | 6 E → [1 2 3 E] [4 5 E 6], and the lone E left over is dropped.
        var (samples, stats) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.Concat },
            [1, 2, 3, Eos], [4, 5, Eos], [6, Eos]);
        Assert.Equal([[1, 2, 3, Eos], [4, 5, Eos, 6]], samples.Tokens);
        Assert.Equal([[4], [3, 4]], samples.SegmentEnds);
        AssertCounts(stats, input: 9, written: 8, truncated: 0, remainder: 1, padding: 0, samples: 2);
    }

    [Fact]
    public void Concat_without_wrap_drops_the_rest_of_a_document_that_fills_a_window()
    {
        var (samples, stats) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.Concat, Wrap = false, KeepRemainder = true, PadId = Pad },
            [1, 2, 3, 4, 5, 6], [7, Eos]);
        Assert.Equal([[1, 2, 3, 4], [7, Eos, Pad, Pad]], samples.Tokens);
        Assert.Equal([[4], [2]], samples.SegmentEnds);
        AssertCounts(stats, input: 8, written: 6, truncated: 2, remainder: 0, padding: 2, samples: 2);
    }

    [Fact]
    public void None_truncates_long_documents_by_default_and_pads_short_ones()
    {
        var (samples, stats) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.None, PadId = Pad },
            [1, 2, 3, 4, 5, Eos], [7, Eos], []);
        Assert.Equal([[1, 2, 3, 4], [7, Eos, Pad, Pad]], samples.Tokens);
        Assert.Equal([[4], [2]], samples.SegmentEnds);
        AssertCounts(stats, input: 8, written: 6, truncated: 2, remainder: 0, padding: 2, samples: 2);
        Assert.Equal(3, stats.Documents);
        Assert.Equal(0.25, stats.LossRate);
        Assert.Equal(0.25, stats.PaddingRate);
    }

    [Fact]
    public void None_can_split_long_documents_instead()
    {
        var (samples, stats) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.None, PadId = Pad, LongDocuments = LongDocuments.Split },
            [1, 2, 3, 4, 5, Eos]);
        Assert.Equal([[1, 2, 3, 4], [5, Eos, Pad, Pad]], samples.Tokens);
        AssertCounts(stats, input: 6, written: 6, truncated: 0, remainder: 0, padding: 2, samples: 2);
    }

    /// <summary>
    /// L=8; chunks in arrival order A5 B3 C6 D2 E8 E2 (E, 10 tokens, is split). Decreasing: E8 opens
    /// bin 0 (full); C6 opens bin 1 (2 free); A5 opens bin 2 (3 free); B3 fits bin 2 exactly; D2
    /// fits bin 1 exactly; E2 fits nowhere and opens bin 3.
    /// </summary>
    [Fact]
    public void Bestfit_places_each_chunk_in_the_tightest_bin_longest_first()
    {
        int[] a = [11, 12, 13, 14, 15], b = [21, 22, 23], c = [31, 32, 33, 34, 35, 36], d = [41, 42];
        int[] e = [51, 52, 53, 54, 55, 56, 57, 58, 59, 60];
        var (samples, stats) = Pack(new PackingOptions { SequenceLength = 8, Mode = PackingMode.BestFit, PadId = Pad }, a, b, c, d, e);
        Assert.Equal(
            [
                [51, 52, 53, 54, 55, 56, 57, 58],
                [31, 32, 33, 34, 35, 36, 41, 42],
                [11, 12, 13, 14, 15, 21, 22, 23],
                [59, 60, Pad, Pad, Pad, Pad, Pad, Pad],
            ],
            samples.Tokens);
        Assert.Equal([[8], [6, 8], [5, 8], [2]], samples.SegmentEnds);
        AssertCounts(stats, input: 26, written: 26, truncated: 0, remainder: 0, padding: 6, samples: 4);
    }

    [Fact]
    public void Bestfit_can_truncate_long_documents_as_olmo_core_does_by_default()
    {
        var (samples, stats) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.BestFit, PadId = Pad, LongDocuments = LongDocuments.Truncate },
            [1, 2, 3, 4, 5, 6], [7]);
        Assert.Equal([[1, 2, 3, 4], [7, Pad, Pad, Pad]], samples.Tokens);
        AssertCounts(stats, input: 7, written: 5, truncated: 2, remainder: 0, padding: 3, samples: 2);
    }

    [Fact]
    public void Bestfit_packs_per_buffer_so_a_small_buffer_packs_looser()
    {
        // Chunks 3, 1, 3, 1 with L=4: one buffer pairs 3+1 twice; a buffer of 1 token packs each
        // chunk alone (the buffer is packed as soon as it holds that many tokens).
        int[][] docs = [[1, 2, 3], [4], [5, 6, 7], [8]];
        var (whole, _) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.BestFit, PadId = Pad }, docs);
        Assert.Equal([[1, 2, 3, 4], [5, 6, 7, 8]], whole.Tokens);
        var (small, stats) = Pack(new PackingOptions { SequenceLength = 4, Mode = PackingMode.BestFit, PadId = Pad, BufferTokens = 1 }, docs);
        Assert.Equal([[1, 2, 3, Pad], [4, Pad, Pad, Pad], [5, 6, 7, Pad], [8, Pad, Pad, Pad]], small.Tokens);
        Assert.Equal(8, stats.PaddingTokens);
    }

    [Theory]
    [InlineData(PackingMode.None, false)]
    [InlineData(PackingMode.Concat, false)]
    [InlineData(PackingMode.Concat, true)]
    [InlineData(PackingMode.BestFit, false)]
    public void Padding_modes_need_a_pad_id(PackingMode mode, bool keepRemainder)
    {
        var options = new PackingOptions { SequenceLength = 4, Mode = mode, KeepRemainder = keepRemainder };
        if (mode == PackingMode.Concat && !keepRemainder)
        {
            Assert.NotNull(SequencePacker.Create(options, new PackedSampleList()));
        }
        else
        {
            Assert.Contains("pad id", Assert.Throws<DataPipelineException>(() => SequencePacker.Create(options, new PackedSampleList())).Message);
        }
    }

    [Fact]
    public void Stats_of_tasks_add_up()
    {
        var options = new PackingOptions { SequenceLength = 4, Mode = PackingMode.Concat };
        var (_, first) = Pack(options, [1, 2, 3, Eos], [4, Eos]);
        var (_, second) = Pack(options, [5, 6, 7, 8, 9]);
        first.Add(second);
        AssertCounts(first, input: 11, written: 8, truncated: 0, remainder: 3, padding: 0, samples: 2);
    }

    internal static (PackedSampleList Samples, PackingStats Stats) Pack(PackingOptions options, params int[][] documents)
    {
        var sink = new PackedSampleList();
        var packer = SequencePacker.Create(options, sink);
        foreach (var doc in documents)
        {
            packer.Add(doc);
        }
        packer.Finish();
        return (sink, packer.Stats);
    }

    private static void AssertCounts(PackingStats stats, long input, long written, long truncated, long remainder, long padding, long samples)
    {
        Assert.Equal(
            (input, written, truncated, remainder, padding, samples),
            (stats.InputTokens, stats.TokensWritten, stats.TruncatedTokens, stats.RemainderTokens, stats.PaddingTokens, stats.Samples));
    }
}
