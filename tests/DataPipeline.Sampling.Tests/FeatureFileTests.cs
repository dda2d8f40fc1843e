using System.Text;
using DataPipeline.Core.Errors;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;
using DataPipeline.Sampling.Pipeline;

namespace DataPipeline.Sampling.Tests;

/// <summary>The counts pass's per-document feature file gives the weights pass the same doubles as featurizing again.</summary>
public sealed class FeatureFileTests
{
    [Fact]
    public void Weights_and_lengths_read_back_equal_featurizing_again_bit_for_bit()
    {
        using var dir = new TempDir();
        string path = dir.File("part-00000.features");
        var options = new DsirFeatureOptions();
        var docs = GoldenFiles.ReadDocuments("dev_raw.jsonl").Select(d => Encoding.UTF8.GetBytes(d.Text)).Append([]).ToArray();
        var featurizer = new DsirFeaturizer(options);
        var features = new DocumentFeatures(options.NumBuckets);
        using (var writer = new DsirFeatureFile.Writer(path))
        {
            foreach (byte[] doc in docs)
            {
                featurizer.Featurize(doc, features);
                writer.Write(features);
            }
        }

        double[] logDiff = GoldenFiles.ReadFloat64("no_avx512/log_diff.bin");
        var model = DsirImportanceModel.FromLogDiff(logDiff);
        using var reader = new DsirFeatureFile.Reader(path, options.NumBuckets);
        foreach (byte[] doc in docs)
        {
            featurizer.Featurize(doc, features);
            double weight = reader.Next(logDiff, out long total);
            Assert.Equal(BitConverter.DoubleToInt64Bits(model.LogImportanceWeight(features)), BitConverter.DoubleToInt64Bits(weight));
            Assert.Equal(features.TotalNgrams, total);
        }

        Assert.True(reader.AtEnd);
        Assert.Throws<DataPipelineException>(() => reader.Next(logDiff, out _));
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error()
    {
        using var dir = new TempDir();
        string path = dir.File("part-00000.features");
        File.WriteAllBytes(path, [3, 5, 1]);
        using var reader = new DsirFeatureFile.Reader(path, 10_000);
        var e = Assert.Throws<DataPipelineException>(() => reader.Next(new double[10_000], out _));
        Assert.Contains("truncated or corrupt", e.Message);
    }
}
