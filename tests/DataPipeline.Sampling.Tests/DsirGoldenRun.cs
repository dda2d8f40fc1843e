using System.Text;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;

namespace DataPipeline.Sampling.Tests;

/// <summary>
/// The port run once over the golden inputs, shared by the golden tests: fit on dev_raw/dev_target,
/// featurizing UTF-8 as the pipeline does, then each raw document's length and weight under our log_diff and under both golden log_diffs.
/// </summary>
public sealed class DsirGoldenRun
{
    public DsirGoldenRun()
    {
        var options = new DsirFeatureOptions { NumBuckets = 10_000, Ngrams = 2 };
        var featurizer = new DsirFeaturizer(options);
        var features = new DocumentFeatures(options.NumBuckets);

        RawDocs = GoldenFiles.ReadDocuments("dev_raw.jsonl");
        var targetDocs = GoldenFiles.ReadDocuments("dev_target.jsonl");

        RawCounts = new FeatureCounts(options.NumBuckets);
        var budget = RawFitBudget.Auto(options.NumBuckets);
        foreach (var (_, text) in RawDocs)
        {
            featurizer.Featurize(Encoding.UTF8.GetBytes(text), features);
            RawCounts.Add(features);
            if (budget.IsExhaustedBy(RawCounts))
            {
                break;
            }
        }

        TargetCounts = new FeatureCounts(options.NumBuckets);
        foreach (var (_, text) in targetDocs)
        {
            featurizer.Featurize(Encoding.UTF8.GetBytes(text), features);
            TargetCounts.Add(features);
        }

        Model = DsirImportanceModel.Fit(RawCounts, TargetCounts);
        var goldenTop = DsirImportanceModel.FromLogDiff(GoldenFiles.ReadFloat64("log_diff.bin"));
        var goldenNoAvx = DsirImportanceModel.FromLogDiff(GoldenFiles.ReadFloat64("no_avx512/log_diff.bin"));

        int n = RawDocs.Count;
        Lengths = new long[n];
        Weights = new double[n];
        WeightsUnderGoldenLogDiff = new double[n];
        WeightsUnderGoldenNoAvx512LogDiff = new double[n];
        for (int i = 0; i < n; i++)
        {
            featurizer.Featurize(Encoding.UTF8.GetBytes(RawDocs[i].Text), features);
            Lengths[i] = DsirExampleLength.Of(features.TotalNgrams, options.Ngrams);
            Weights[i] = Model.LogImportanceWeight(features);
            WeightsUnderGoldenLogDiff[i] = goldenTop.LogImportanceWeight(features);
            WeightsUnderGoldenNoAvx512LogDiff[i] = goldenNoAvx.LogImportanceWeight(features);
        }

        Eligible = Lengths.Select(l => DsirExampleLength.IsEligible(l)).ToArray();
    }

    public List<(string Id, string Text)> RawDocs { get; }

    public FeatureCounts RawCounts { get; }

    public FeatureCounts TargetCounts { get; }

    public DsirImportanceModel Model { get; }

    public long[] Lengths { get; }

    public bool[] Eligible { get; }

    /// <summary>Weights under the port's own fit.</summary>
    public double[] Weights { get; }

    public double[] WeightsUnderGoldenLogDiff { get; }

    public double[] WeightsUnderGoldenNoAvx512LogDiff { get; }
}

[CollectionDefinition(Name)]
public sealed class DsirGoldenCollection : ICollectionFixture<DsirGoldenRun>
{
    public const string Name = "dsir golden run";
}
