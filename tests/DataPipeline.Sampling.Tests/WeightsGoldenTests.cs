using Xunit.Abstractions;

namespace DataPipeline.Sampling.Tests;

/// <summary>Per-document lengths and log importance weights against weights.jsonl (both variants).</summary>
[Collection(DsirGoldenCollection.Name)]
public sealed class WeightsGoldenTests(DsirGoldenRun run, ITestOutputHelper output)
{
    [Fact]
    public void Ids_lengths_and_eligibility_match()
    {
        var golden = GoldenWeight.Read("weights.jsonl");
        Assert.Equal(golden.Select(g => g.Id), run.RawDocs.Select(d => d.Id));
        Assert.Equal(golden.Select(g => g.Length), run.Lengths);
        Assert.Equal(3545, run.Eligible.Count(e => e));
    }

    [Theory]
    [InlineData("weights.jsonl", false)]
    [InlineData("no_avx512/weights.jsonl", true)]
    public void Weights_under_the_golden_log_diff_match_bit_for_bit(string file, bool noAvx512)
    {
        var golden = GoldenWeight.Read(file);
        var actual = noAvx512 ? run.WeightsUnderGoldenNoAvx512LogDiff : run.WeightsUnderGoldenLogDiff;
        Assert.Equal(0, Enumerable.Range(0, golden.Count).Count(i => golden[i].LogImportanceWeight != actual[i]));
    }

    [Fact]
    public void Weights_under_our_own_fit_match_the_no_avx512_run_bit_for_bit()
    {
        var golden = GoldenWeight.Read("no_avx512/weights.jsonl");
        Assert.Equal(0, Enumerable.Range(0, golden.Count).Count(i => golden[i].LogImportanceWeight != run.Weights[i]));
    }

    [Fact]
    public void Weights_under_our_own_fit_match_the_avx512_run_within_1e_10()
    {
        var golden = GoldenWeight.Read("weights.jsonl");
        int differing = 0;
        double maxAbs = 0;
        for (int i = 0; i < golden.Count; i++)
        {
            double d = Math.Abs(golden[i].LogImportanceWeight - run.Weights[i]);
            differing += d == 0 ? 0 : 1;
            maxAbs = Math.Max(maxAbs, d);
        }

        output.WriteLine($"weights vs AVX-512 golden: {differing} of {golden.Count} differ, max |diff| {maxAbs:R}");
        Assert.True(maxAbs <= 1e-10, $"max |diff| {maxAbs:R}");
    }
}
