using DataPipeline.Sampling.Dsir.Resampling;

namespace DataPipeline.Sampling.Tests;

/// <summary>numpy's legacy generator and DSIR's Gumbel top-k selection against selected.txt and params.json.</summary>
[Collection(DsirGoldenCollection.Name)]
public sealed class SelectionGoldenTests(DsirGoldenRun run)
{
    private static readonly DsirResampleOptions Options = new() { NumToSample = 1000, Seed = 42 };

    [Fact]
    public void Mt19937_seeded_42_gives_numpys_first_outputs()
    {
        using var json = GoldenFiles.ReadJson("params.json");
        var checks = json.RootElement.GetProperty("checks");

        var mt = new Mt19937(42);
        Assert.Equal(checks.GetProperty("rng_first_uint32").EnumerateArray().Select(v => v.GetUInt32()), Enumerable.Range(0, 4).Select(_ => mt.NextUInt32()));

        mt = new Mt19937(42);
        Assert.Equal(checks.GetProperty("rng_first_double").EnumerateArray().Select(v => v.GetDouble()), Enumerable.Range(0, 4).Select(_ => mt.NextDouble()));

        var gumbel = new NumpyLegacyGumbel(42);
        Assert.Equal(checks.GetProperty("rng_first_gumbel").EnumerateArray().Select(v => v.GetDouble()), Enumerable.Range(0, 4).Select(_ => gumbel.Next()));
    }

    [Theory]
    [InlineData("selected.txt")]
    [InlineData("no_avx512/selected.txt")]
    public void Selection_from_our_own_weights_equals_selected_txt(string file)
    {
        string[] expected = File.ReadAllLines(GoldenFiles.Dsir(file));
        long[] chosen = DsirResampler.Select(run.Weights, run.Eligible, Options);
        Assert.Equal(expected, chosen.Select(i => run.RawDocs[(int)i].Id));
    }

    [Fact]
    public void Selection_from_the_avx512_golden_weights_equals_selected_txt()
    {
        var golden = GoldenWeight.Read("weights.jsonl");
        long[] chosen = DsirResampler.Select(golden.Select(g => g.LogImportanceWeight).ToArray(), run.Eligible, Options);
        Assert.Equal(File.ReadAllLines(GoldenFiles.Dsir("selected.txt")), chosen.Select(i => golden[(int)i].Id));
    }

    [Fact]
    public void Kth_and_next_keys_match_params_json()
    {
        using var json = GoldenFiles.ReadJson("params.json");
        var checks = json.RootElement.GetProperty("checks");
        var all = DsirResampler.ScoreSlice(run.WeightsUnderGoldenLogDiff, run.Eligible, 0, 0, Options with { NumToSample = 1001 }).ByRank();
        Assert.Equal(checks.GetProperty("kth_key").GetDouble(), all[999].Key);
        Assert.Equal(checks.GetProperty("k_plus_1th_key").GetDouble(), all[1000].Key);
    }
}
