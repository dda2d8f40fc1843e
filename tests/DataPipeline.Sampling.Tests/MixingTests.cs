using DataPipeline.Core.Errors;
using DataPipeline.Sampling.Mixing;

namespace DataPipeline.Sampling.Tests;

public sealed class MixingTests
{
    private static MixSourceSize Source(string name, long docs, double? weight = null) => new(name, docs, docs * 10, weight);

    [Fact]
    public void Temperature_sampling_follows_n_to_the_one_over_t()
    {
        var sources = new[] { Source("big", 9000), Source("small", 1000) };
        var natural = MixPlanner.Plan(sources, MixUnit.Documents, 1.0, 1000);
        Assert.Equal(0.9, natural[0].Probability, 12);
        Assert.Equal(0.1, natural[1].Probability, 12);
        // T = 2: p ∝ sqrt(n) = 94.87 : 31.62 -> 0.75 : 0.25.
        var flat = MixPlanner.Plan(sources, MixUnit.Documents, 2.0, 1000);
        Assert.Equal(Math.Sqrt(9000) / (Math.Sqrt(9000) + Math.Sqrt(1000)), flat[0].Probability, 12);
        Assert.Equal(0.25, flat[1].Probability, 12);
        Assert.Equal(250, flat[1].Quota, 9);
        Assert.Equal(0.25, flat[1].Epochs, 12);
        // Tokens measure the sources by their token sizes.
        var byTokens = MixPlanner.Plan([new MixSourceSize("a", 10, 1000, null), new MixSourceSize("b", 1000, 1000, null)], MixUnit.Tokens, 1.0, 4000);
        Assert.Equal(0.5, byTokens[0].Probability, 12);
        Assert.Equal(2.0, byTokens[0].Epochs, 12);
    }

    [Fact]
    public void Explicit_weights_are_normalised_and_must_be_given_for_all_or_none()
    {
        var plans = MixPlanner.Plan([Source("a", 100, 3), Source("b", 100, 1)], MixUnit.Documents, 1.0, 400);
        Assert.Equal(300, plans[0].Quota, 9);
        Assert.Equal(3.0, plans[0].Epochs, 12);
        Assert.Throws<DataPipelineException>(() => MixPlanner.Plan([Source("a", 100, 3), Source("b", 100)], MixUnit.Documents, 1.0, 400));
        Assert.Throws<DataPipelineException>(() => MixPlanner.Plan([Source("a", 100)], MixUnit.Documents, 0, 400));
        Assert.Throws<DataPipelineException>(() => MixPlanner.Plan([Source("a", 0, 1), Source("b", 10, 1)], MixUnit.Documents, 1, 400));
    }

    [Fact]
    public void Upsampling_repeats_whole_epochs_then_a_seeded_subset_and_downsampling_keeps_a_subset()
    {
        var ones = Enumerable.Repeat(1L, 100).ToArray();
        var up = MixSampler.Copies(ones, 250, 7);
        Assert.Equal(250, up.Sum());
        Assert.All(up, c => Assert.InRange(c, 2, 3));
        Assert.Equal(50, up.Count(c => c == 3));
        var down = MixSampler.Copies(ones, 30, 7);
        Assert.Equal(30, down.Sum());
        Assert.All(down, c => Assert.InRange(c, 0, 1));
        // Seeded: the same seed gives the same subset, another seed another one.
        Assert.Equal(down, MixSampler.Copies(ones, 30, 7));
        Assert.NotEqual(down, MixSampler.Copies(ones, 30, 8));
        // Tokens: the subset stays within the quota.
        var lengths = Enumerable.Range(1, 50).Select(i => (long)i).ToArray();
        var byTokens = MixSampler.Copies(lengths, 400, 3);
        long tokens = byTokens.Select((c, i) => c * lengths[i]).Sum();
        Assert.InRange(tokens, 380, 400);
    }

    [Fact]
    public void Source_seeds_differ_per_source_and_are_stable()
    {
        Assert.NotEqual(MixSampler.SourceSeed(1, 0), MixSampler.SourceSeed(1, 1));
        Assert.Equal(MixSampler.SourceSeed(1, 0), MixSampler.SourceSeed(1, 0));
        // SplitMix64's published first output for seed 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, new SplitMix64(0).Next());
    }
}
