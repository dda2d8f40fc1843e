using System.Text;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;

namespace DataPipeline.Sampling.Tests;

/// <summary>features_examples.json (both variants): lowered text, tokens, n-grams, sha256, buckets, counts, length, weight.</summary>
public sealed class FeaturizerGoldenTests
{
    private static readonly DsirFeatureOptions Options = new();

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (string variant in new[] { "", "no_avx512/" })
        {
            using var json = GoldenFiles.ReadJson(variant + "features_examples.json");
            int count = json.RootElement.GetProperty("examples").GetArrayLength();
            for (int i = 0; i < count; i++)
            {
                data.Add(variant, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_matches_upstream_token_for_token_and_bucket_for_bucket(string variant, int index)
    {
        using var json = GoldenFiles.ReadJson(variant + "features_examples.json");
        var example = json.RootElement.GetProperty("examples")[index];
        string text = example.GetProperty("text").GetString()!;
        var featurizer = new DsirFeaturizer(Options);

        var trace = featurizer.Trace(text);
        Assert.Equal(example.GetProperty("lowered").GetString(), trace.Lowered);
        Assert.Equal(example.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToArray(), trace.Tokens);
        var expectedNgrams = example.GetProperty("ngrams").EnumerateArray()
            .Select(n => new NgramTrace(n.GetProperty("ngram").GetString()!, n.GetProperty("sha256_utf8").GetString()!, n.GetProperty("bucket").GetInt32()))
            .ToArray();
        Assert.Equal(expectedNgrams, trace.Ngrams);

        var features = new DocumentFeatures(Options.NumBuckets);
        featurizer.Featurize(text, features);
        var expectedCounts = example.GetProperty("counts").EnumerateObject()
            .Select(c => (Bucket: int.Parse(c.Name), Count: c.Value.GetInt32()))
            .OrderBy(c => c.Bucket)
            .ToArray();
        var actualCounts = features.Buckets.ToArray().Select(b => (Bucket: b, Count: features.CountOf(b))).ToArray();
        Assert.Equal(expectedCounts, actualCounts);
        Assert.Equal(example.GetProperty("length").GetInt64(), DsirExampleLength.Of(features.TotalNgrams, Options.Ngrams));

        var model = DsirImportanceModel.FromLogDiff(GoldenFiles.ReadFloat64(variant + "log_diff.bin"));
        Assert.Equal(example.GetProperty("log_importance_weight").GetDouble(), model.LogImportanceWeight(features));
    }

    [Theory]
    [InlineData("alice", 6720)]
    [InlineData("alice went", 114)]
    public void Upstream_test_vectors_hash_to_their_buckets(string ngram, int bucket) =>
        Assert.Equal(bucket, NgramBucketHasher.Bucket(Encoding.UTF8.GetBytes(ngram), 10_000));

    [Fact]
    public void Featurizer_reuses_buffers_across_documents_without_leaking_counts()
    {
        var featurizer = new DsirFeaturizer(Options);
        var features = new DocumentFeatures(Options.NumBuckets);
        featurizer.Featurize(new string('x', 5000) + " some long text that grows the buffers", features);
        featurizer.Featurize("Alice went to the store", features);
        var fresh = new DocumentFeatures(Options.NumBuckets);
        new DsirFeaturizer(Options).Featurize("Alice went to the store", fresh);
        Assert.Equal(fresh.Buckets.ToArray(), features.Buckets.ToArray());
        Assert.Equal(9, features.TotalNgrams);
    }

    [Fact]
    public void Bucket_cache_size_never_changes_the_features()
    {
        using var json = GoldenFiles.ReadJson("features_examples.json");
        var texts = json.RootElement.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("text").GetString()!).ToArray();
        var reference = new DsirFeaturizer(Options, cacheCapacity: 0);
        var tiny = new DsirFeaturizer(Options, cacheCapacity: 3);
        var standard = new DsirFeaturizer(Options);
        var expected = new DocumentFeatures(Options.NumBuckets);
        var actual = new DocumentFeatures(Options.NumBuckets);
        foreach (string text in texts.Concat(texts))
        {
            reference.Featurize(text, expected);
            foreach (var featurizer in new[] { tiny, standard })
            {
                featurizer.Featurize(text, actual);
                Assert.Equal(expected.Buckets.ToArray(), actual.Buckets.ToArray());
                Assert.Equal(expected.Buckets.ToArray().Select(expected.CountOf), actual.Buckets.ToArray().Select(actual.CountOf));
            }
        }
    }

    [Fact]
    public void Trigrams_follow_bigrams_when_ngrams_is_3()
    {
        var featurizer = new DsirFeaturizer(new DsirFeatureOptions { Ngrams = 3 });
        var trace = featurizer.Trace("a b c");
        Assert.Equal(["a", "b", "c", "a b", "b c", "a b c"], trace.Ngrams.Select(n => n.Ngram));
    }
}
