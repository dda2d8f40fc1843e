using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Sampling.Tests;

/// <summary>The buckets come back ascending with their counts whichever ordering route runs (bitmap scan or sort), and reuse after Clear starts empty.</summary>
public sealed class DocumentFeaturesTests
{
    [Theory]
    [InlineData(10_000, 5_000)] // many hits: the bitmap route
    [InlineData(10_000, 3)] // few hits: the sort route
    [InlineData(1_000_000, 200)]
    [InlineData(64, 1_000)]
    [InlineData(65, 1_000)]
    [InlineData(1, 10)]
    public void Buckets_are_ascending_with_their_counts_after_any_increments(int numBuckets, int increments)
    {
        var random = new Random(numBuckets + increments);
        var features = new DocumentFeatures(numBuckets);
        for (int round = 0; round < 3; round++)
        {
            features.Clear();
            var expected = new SortedDictionary<int, int>();
            for (int i = 0; i < increments; i++)
            {
                int bucket = i % 7 == 0 ? numBuckets - 1 : random.Next(numBuckets);
                features.Increment(bucket);
                expected[bucket] = expected.GetValueOrDefault(bucket) + 1;
            }

            Assert.Equal(expected.Keys, features.Buckets.ToArray());
            Assert.Equal(expected.Values, features.Buckets.ToArray().Select(features.CountOf));
            Assert.Equal(increments, features.TotalNgrams);
        }

        features.Clear();
        Assert.Equal(0, features.Buckets.Length);
        Assert.Equal(0, features.CountOf(numBuckets - 1));
    }
}
