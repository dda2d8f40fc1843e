using DataPipeline.Tokenize.Packing;

namespace DataPipeline.Tokenize.Tests.Packing;

/// <summary>
/// Properties every mode keeps on random input: each sample is exactly L with padding only after
/// its last segment end, no token is lost beyond what the stats call truncated or remainder, each
/// segment is one contiguous run of one document, and the output is the same every time.
/// Every input token is unique (document d, position p → d * 100000 + p + 1), so a token in the
/// output says where it came from.
/// </summary>
public sealed class PackingInvariantTests
{
    private const int Pad = 0;

    public static TheoryData<PackingMode, LongDocuments, int, long?> Cases()
    {
        var data = new TheoryData<PackingMode, LongDocuments, int, long?>();
        foreach (int l in new[] { 1, 7, 16, 64 })
        {
            data.Add(PackingMode.Concat, LongDocuments.Split, l, null);
            data.Add(PackingMode.None, LongDocuments.Truncate, l, null);
            data.Add(PackingMode.None, LongDocuments.Split, l, null);
            data.Add(PackingMode.BestFit, LongDocuments.Split, l, null);
            data.Add(PackingMode.BestFit, LongDocuments.Truncate, l, null);
            data.Add(PackingMode.BestFit, LongDocuments.Split, l, 3L * l);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Samples_are_exactly_L_and_every_token_is_accounted_for(PackingMode mode, LongDocuments longDocuments, int l, long? buffer)
    {
        var docs = RandomDocuments(seed: l * 31 + (int)mode, count: 300, maxLength: 3 * l + 5);
        var options = new PackingOptions { SequenceLength = l, Mode = mode, PadId = Pad, LongDocuments = longDocuments, BufferTokens = buffer };
        var (samples, stats) = PackingTests.Pack(options, docs);

        var written = new List<int>();
        for (int s = 0; s < samples.Tokens.Count; s++)
        {
            var tokens = samples.Tokens[s];
            var ends = samples.SegmentEnds[s];
            Assert.Equal(l, tokens.Length);
            Assert.NotEmpty(ends);
            int start = 0;
            foreach (int end in ends)
            {
                Assert.True(end > start && end <= l, $"sample {s}: segment end {end} after {start}");
                // One segment: consecutive positions of one document.
                for (int i = start + 1; i < end; i++)
                {
                    Assert.Equal(tokens[i - 1] + 1, tokens[i]);
                }
                start = end;
            }
            Assert.All(tokens[start..], t => Assert.Equal(Pad, t));
            written.AddRange(tokens[..start]);
        }

        long input = docs.Sum(d => (long)d.Length);
        Assert.Equal(input, stats.InputTokens);
        Assert.Equal(input, stats.TokensWritten + stats.TruncatedTokens + stats.RemainderTokens);
        Assert.Equal(written.Count, stats.TokensWritten);
        Assert.Equal(samples.Tokens.Count, stats.Samples);
        Assert.Equal(stats.Samples * l - stats.TokensWritten, stats.PaddingTokens);
        Assert.Equal(written.Count, written.Distinct().Count());

        var expected = mode switch
        {
            // Concat keeps the stream's order and loses only its tail.
            PackingMode.Concat => docs.SelectMany(d => d).Take(written.Count).ToList(),
            _ when longDocuments == LongDocuments.Truncate => docs.SelectMany(d => d.Take(l)).ToList(),
            _ => docs.SelectMany(d => d).ToList(),
        };
        if (mode == PackingMode.BestFit)
        {
            expected.Sort();
            written.Sort();
        }
        Assert.Equal(expected, written);
        if (mode == PackingMode.Concat)
        {
            Assert.Equal(0, stats.PaddingTokens);
            Assert.True(stats.RemainderTokens < l);
        }

        var (again, _) = PackingTests.Pack(options, docs);
        Assert.Equal(samples.Tokens, again.Tokens);
        Assert.Equal(samples.SegmentEnds, again.SegmentEnds);
    }

    /// <summary>The segment tree picks what a plain scan over all open bins picks.</summary>
    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 13)]
    [InlineData(3, 64)]
    [InlineData(4, 100)]
    public void Bestfit_bins_match_a_linear_scan(int seed, int l)
    {
        var random = new Random(seed);
        var bins = new BestFitBins(l);
        // Reference: every open bin's free space and when it reached it; tightest wins, then earliest.
        var free = new List<int>();
        var since = new List<int>();
        var lengths = Enumerable.Range(0, 2000).Select(_ => random.Next(1, l + 1)).OrderByDescending(x => x).ToList();
        for (int step = 0; step < lengths.Count; step++)
        {
            int length = lengths[step];
            int best = -1;
            for (int b = 0; b < free.Count; b++)
            {
                if (free[b] >= length && (best < 0 || free[b] < free[best] || (free[b] == free[best] && since[b] < since[best])))
                {
                    best = b;
                }
            }
            if (best < 0)
            {
                best = free.Count;
                free.Add(l);
                since.Add(step);
            }
            free[best] -= length;
            since[best] = step;
            Assert.Equal(best, bins.Place(length));
        }
    }

    private static int[][] RandomDocuments(int seed, int count, int maxLength)
    {
        var random = new Random(seed);
        var docs = new int[count][];
        for (int d = 0; d < count; d++)
        {
            // Some empty documents and many short ones, as real streams have.
            int length = random.Next(10) == 0 ? 0 : random.Next(1, maxLength + 1);
            docs[d] = Enumerable.Range(0, length).Select(p => d * 100_000 + p + 1).ToArray();
        }
        return docs;
    }
}
