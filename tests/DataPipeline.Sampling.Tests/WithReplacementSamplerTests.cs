using DataPipeline.Sampling.Dsir.Resampling;

namespace DataPipeline.Sampling.Tests;

public sealed class WithReplacementSamplerTests
{
    [Fact]
    public void Draws_are_identical_for_1_3_and_7_partitions()
    {
        double[] logWeights = Enumerable.Range(0, 300).Select(i => Math.Sin(i) * 3).ToArray();
        long[]? reference = null;
        foreach (int partitions in new[] { 1, 3, 7 })
        {
            var merged = new WithReplacementSampler(50, seed: 7);
            for (int p = 0; p < partitions; p++)
            {
                var part = new WithReplacementSampler(50, seed: 7);
                for (int i = p; i < logWeights.Length; i += partitions)
                {
                    part.Offer(logWeights[i], i);
                }

                merged.Merge(part);
            }

            reference ??= merged.Draws();
            Assert.Equal(reference, merged.Draws());
        }
    }

    [Fact]
    public void Draw_frequencies_follow_the_weights()
    {
        // Weights 1:2:7 -> expected shares 0.1, 0.2, 0.7 over 20,000 draws.
        var sampler = new WithReplacementSampler(20_000, seed: 1);
        sampler.Offer(Math.Log(1), 0);
        sampler.Offer(Math.Log(2), 1);
        sampler.Offer(Math.Log(7), 2);
        var draws = sampler.Draws();
        double[] share = Enumerable.Range(0, 3).Select(d => draws.Count(x => x == d) / (double)draws.Length).ToArray();
        Assert.InRange(share[0], 0.09, 0.11);
        Assert.InRange(share[1], 0.185, 0.215);
        Assert.InRange(share[2], 0.68, 0.72);
    }
}
