using DataPipeline.Sampling.Dsir.Resampling;

namespace DataPipeline.Sampling.Tests;

/// <summary>Scoring slices in separate tasks and merging gives the single-pass selection, whatever the split.</summary>
[Collection(DsirGoldenCollection.Name)]
public sealed class TopKMergeTests(DsirGoldenRun run)
{
    public static TheoryData<int, GumbelNoise> Splits()
    {
        var data = new TheoryData<int, GumbelNoise>();
        foreach (var noise in new[] { GumbelNoise.NumpyLegacy, GumbelNoise.CounterBased, GumbelNoise.None })
        {
            foreach (int parts in new[] { 1, 3, 7 })
            {
                data.Add(parts, noise);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Merged_top_k_is_identical_for_1_3_and_7_partitions(int partitions, GumbelNoise noise)
    {
        var options = new DsirResampleOptions { NumToSample = 1000, Seed = 42, Noise = noise };
        var single = DsirResampler.Select(run.Weights, run.Eligible, options);

        var merged = MergeSlices(run.Weights, run.Eligible, partitions, options);
        Assert.Equal(single, merged.IndicesInRawOrder());

        if (noise == GumbelNoise.NumpyLegacy)
        {
            Assert.Equal(File.ReadAllLines(GoldenFiles.Dsir("selected.txt")), merged.IndicesInRawOrder().Select(i => run.RawDocs[(int)i].Id));
        }
    }

    [Fact]
    public void Merge_order_and_grouping_do_not_matter_with_tied_keys()
    {
        // Many equal keys: only the fixed tie-break (smaller index wins) keeps the result unique.
        var keys = Enumerable.Range(0, 500).Select(i => (double)(i % 5)).ToArray();
        var reference = new TopK(37);
        for (int i = 0; i < keys.Length; i++)
        {
            reference.Offer(keys[i], i);
        }

        var parts = Enumerable.Range(0, 7).Select(_ => new TopK(37)).ToArray();
        for (int i = keys.Length - 1; i >= 0; i--)
        {
            parts[(i * 31) % 7].Offer(keys[i], i);
        }

        var left = new TopK(37);
        foreach (var p in parts.Reverse())
        {
            left.Merge(p);
        }

        var nested = new TopK(37);
        var pair = new TopK(37);
        pair.Merge(parts[3]);
        pair.Merge(parts[0]);
        nested.Merge(parts[6]);
        nested.Merge(pair);
        foreach (int i in new[] { 1, 2, 4, 5 })
        {
            nested.Merge(parts[i]);
        }

        Assert.Equal(reference.ByRank(), left.ByRank());
        Assert.Equal(reference.ByRank(), nested.ByRank());
        Assert.All(reference.ByRank(), d => Assert.Equal(4.0, d.Key));
        Assert.Equal(Enumerable.Range(0, 37).Select(j => (long)(4 + (5 * j))), reference.IndicesInRawOrder());
    }

    [Fact]
    public void Top_k_keeps_everything_when_k_exceeds_the_candidates_and_rejects_nan()
    {
        var top = new TopK(10);
        top.Offer(1.0, 5);
        top.Offer(2.0, 3);
        Assert.Equal([3L, 5L], top.IndicesInRawOrder());
        Assert.Throws<ArgumentException>(() => top.Offer(double.NaN, 1));
    }

    internal static TopK MergeSlices(double[] weights, bool[] eligible, int partitions, DsirResampleOptions options)
    {
        var merged = new TopK(options.NumToSample);
        long eligibleBefore = 0;
        for (int p = 0; p < partitions; p++)
        {
            int start = (int)((long)weights.Length * p / partitions);
            int end = (int)((long)weights.Length * (p + 1) / partitions);
            var slice = DsirResampler.ScoreSlice(weights.AsSpan(start, end - start), eligible.AsSpan(start, end - start), start, eligibleBefore, options);
            eligibleBefore += eligible.AsSpan(start, end - start).Count(true);
            merged.Merge(slice);
        }

        return merged;
    }
}
