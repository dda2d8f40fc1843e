using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;
using DataPipeline.Sampling.Dsir.Metrics;
using DataPipeline.Sampling.Dsir.Resampling;
using Xunit.Abstractions;

namespace DataPipeline.Sampling.Tests;

[Collection(DsirGoldenCollection.Name)]
public sealed class FeatureKlTests(DsirGoldenRun run, ITestOutputHelper output)
{
    [Fact]
    public void Kl_of_a_distribution_with_itself_is_zero_and_matches_a_hand_computation()
    {
        double[] p = [0.5, 0.5, 0];
        double[] q = [0.25, 0.25, 0.5];
        Assert.Equal(0.0, FeatureKl.Divergence(p, p));
        Assert.Equal(Math.Log(2), FeatureKl.Divergence(p, q), 15);
        Assert.Equal(double.PositiveInfinity, FeatureKl.Divergence(q, p));
        Assert.True(double.IsFinite(FeatureKl.Divergence(q, p, DsirImportanceModel.LogEpsilon)));
    }

    [Fact]
    public void Dsir_selection_reduces_kl_to_the_target_relative_to_random_selection()
    {
        var options = new DsirResampleOptions { NumToSample = 1000, Seed = 42 };
        long[] dsir = DsirResampler.Select(run.Weights, run.Eligible, options);
        // Uniform sampling without replacement over the same eligible pool: Gumbel keys on zero weights.
        long[] random = DsirResampler.Select(new double[run.Weights.Length], run.Eligible, options with { Noise = GumbelNoise.CounterBased });

        double[] target = FeatureKl.Distribution(run.TargetCounts);
        double reduction = FeatureKl.Reduction(target, Distribution(random), Distribution(dsir), DsirImportanceModel.LogEpsilon);
        output.WriteLine($"KL reduction (DSIR vs random, 1000 of 3545 eligible): {reduction:R}");
        Assert.True(reduction > 0, $"reduction {reduction}");
    }

    private double[] Distribution(long[] indices)
    {
        var featurizer = new DsirFeaturizer(new DsirFeatureOptions());
        var features = new DocumentFeatures(10_000);
        var counts = new FeatureCounts(10_000);
        foreach (long i in indices)
        {
            featurizer.Featurize(run.RawDocs[(int)i].Text, features);
            counts.Add(features);
        }

        return FeatureKl.Distribution(counts);
    }
}
