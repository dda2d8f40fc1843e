using Xunit.Abstractions;

namespace DataPipeline.Sampling.Tests;

/// <summary>Fitted distributions and log_diff against the golden .bin files.</summary>
[Collection(DsirGoldenCollection.Name)]
public sealed class FitGoldenTests(DsirGoldenRun run, ITestOutputHelper output)
{
    [Fact]
    public void Ngram_totals_match_upstream()
    {
        Assert.Equal(5_650_656, run.RawCounts.Total);
        Assert.Equal(2_960_762, run.TargetCounts.Total);
        Assert.Equal(5000, run.RawCounts.Documents); // the 'auto' budget (1e9) is not reached
    }

    [Theory]
    [InlineData("raw_probs.bin")]
    [InlineData("target_probs.bin")]
    public void Probabilities_match_golden_bit_for_bit(string file)
    {
        double[] expected = GoldenFiles.ReadFloat64(file);
        var actual = file.StartsWith("raw", StringComparison.Ordinal) ? run.Model.RawProbs : run.Model.TargetProbs;
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(0, CountBitDifferences(expected, actual));
    }

    [Fact]
    public void Log_diff_matches_numpy_without_avx512_bit_for_bit()
    {
        double[] expected = GoldenFiles.ReadFloat64("no_avx512/log_diff.bin");
        Assert.Equal(0, CountBitDifferences(expected, run.Model.LogDiff));
    }

    [Fact]
    public void Log_diff_matches_numpy_with_avx512_within_its_last_bits()
    {
        // numpy's AVX-512 log differs from the C library's by 1 ulp on ~30% of buckets (README).
        double[] expected = GoldenFiles.ReadFloat64("log_diff.bin");
        double maxAbs = 0;
        for (int b = 0; b < expected.Length; b++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[b] - run.Model.LogDiff[b]));
        }

        output.WriteLine($"log_diff vs AVX-512 golden: {CountBitDifferences(expected, run.Model.LogDiff)} of {expected.Length} differ, max |diff| {maxAbs:R}");
        Assert.True(maxAbs <= 4e-15, $"max |diff| {maxAbs:R}");
    }

    private static int CountBitDifferences(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        int differing = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                differing++;
            }
        }

        return differing;
    }
}
