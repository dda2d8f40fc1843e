using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;

namespace DataPipeline.Sampling.Tests;

public sealed class FeatureCountsTests
{
    private static readonly string[] Texts =
    [
        "Alice went to the store", "Good muffins cost $3.88", "ΟΔΥΣΣΕΥΣ", "", "a b c d e f g", "日本語のテキスト。東京",
    ];

    [Fact]
    public void Merged_task_counts_equal_one_sequential_pass()
    {
        var featurizer = new DsirFeaturizer(new DsirFeatureOptions { NumBuckets = 97 });
        var features = new DocumentFeatures(97);
        var all = new FeatureCounts(97);
        var parts = new[] { new FeatureCounts(97), new FeatureCounts(97) };
        for (int i = 0; i < Texts.Length; i++)
        {
            featurizer.Featurize(Texts[i], features);
            all.Add(features);
            parts[i % 2].Add(features);
        }

        parts[1].Merge(parts[0]);
        Assert.Equal(all.Counts.ToArray(), parts[1].Counts.ToArray());
        Assert.Equal(all.Total, parts[1].Total);
        Assert.Equal(Texts.Length, parts[1].Documents);
    }

    [Fact]
    public void Save_and_load_round_trip_and_detect_corruption()
    {
        var featurizer = new DsirFeaturizer(new DsirFeatureOptions());
        var features = new DocumentFeatures(10_000);
        var counts = new FeatureCounts(10_000);
        foreach (string text in Texts)
        {
            featurizer.Featurize(text, features);
            counts.Add(features);
        }

        using var stream = new MemoryStream();
        counts.Save(stream);
        byte[] bytes = stream.ToArray();
        var loaded = FeatureCounts.Load(new MemoryStream(bytes));
        Assert.Equal(counts.Counts.ToArray(), loaded.Counts.ToArray());
        Assert.Equal(counts.Total, loaded.Total);
        Assert.Equal(counts.Documents, loaded.Documents);

        bytes[^1] ^= 1;
        Assert.Throws<InvalidDataException>(() => FeatureCounts.Load(new MemoryStream(bytes)));
        Assert.Throws<InvalidDataException>(() => FeatureCounts.Load(new MemoryStream(new byte[28])));
    }

    [Fact]
    public void Raw_fit_budget_stops_after_the_document_that_crosses_the_limit()
    {
        var featurizer = new DsirFeaturizer(new DsirFeatureOptions());
        var features = new DocumentFeatures(10_000);
        var counts = new FeatureCounts(10_000);
        var budget = RawFitBudget.Tokens(20).ForShards(2); // 20 // 2 = 10 per shard, as upstream
        int added = 0;
        foreach (string text in new[] { "a b c", "d e f", "g h i", "j k l" }) // 5 n-grams each
        {
            featurizer.Featurize(text, features);
            counts.Add(features);
            added++;
            if (budget.IsExhaustedBy(counts))
            {
                break;
            }
        }

        Assert.Equal(3, added); // 10 is not > 10; 15 is
        Assert.Equal(15, counts.Total);
        Assert.False(RawFitBudget.All.IsExhaustedBy(counts));
        Assert.Equal(1_000_000_000L, RawFitBudget.Auto(10_000).Limit);
    }

    [Fact]
    public void Numpy_sum_is_exact_for_integers_and_pairwise_for_fractions()
    {
        double[] ints = Enumerable.Range(0, 10_000).Select(i => (double)(i * 37 % 1001)).ToArray();
        Assert.Equal(ints.Sum(), NumpySum.Sum(ints));

        // 9 values: 8-way unrolled partial sums, then the 9th added last.
        double[] small = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
        double expected = ((0.1 + 0.2) + (0.3 + 0.4)) + ((0.5 + 0.6) + (0.7 + 0.8)) + 0.9;
        Assert.Equal(expected, NumpySum.Sum(small));
    }

    [Fact]
    public void Laplace_smoothing_is_a_pseudo_count_per_bucket()
    {
        var raw = new FeatureCounts(4);
        var target = new FeatureCounts(4);
        var featurizer = new DsirFeaturizer(new DsirFeatureOptions { NumBuckets = 4 });
        var features = new DocumentFeatures(4);
        featurizer.Featurize("a b c d e f g h", features);
        raw.Add(features);
        featurizer.Featurize("a", features);
        target.Add(features);
        var model = DsirImportanceModel.Fit(raw, target, targetLaplaceSmoothing: 1.0);
        int hit = target.Counts.IndexOf(1L);
        Assert.Equal(2.0 / 5.0, model.TargetProbs[hit]);
        Assert.Equal(1.0, model.TargetProbs.ToArray().Sum(), 12);
    }
}
