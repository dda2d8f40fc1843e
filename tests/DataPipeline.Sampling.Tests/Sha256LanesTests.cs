using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Sampling.Tests;

/// <summary>
/// The multi-lane SHA-256 equals the platform's on every path this machine has, for every one-block length, any number
/// of lanes filled and messages anywhere in their buffer; the Barrett bucket reduction equals the exact one; and the
/// featurizer's batched misses (including n-grams past the one-block limit and hits on still-queued entries) give the
/// buckets of the platform's SHA-256.
/// </summary>
public sealed class Sha256LanesTests
{
    public delegate void HashPath(ReadOnlySpan<byte> source, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<uint> digestWords);

    public static TheoryData<string> Paths()
    {
        var paths = new TheoryData<string> { "scalar", "dispatch" };
        if (Sha256Lanes.Is256Supported)
        {
            paths.Add("256");
        }

        if (Sha256Lanes.Is512Supported)
        {
            paths.Add("512");
        }

        return paths;
    }

    private static HashPath PathOf(string name) => name switch
    {
        "scalar" => Sha256Lanes.HashScalar,
        "256" => Sha256Lanes.Hash256,
        "512" => Sha256Lanes.Hash512,
        _ => Sha256Lanes.Hash,
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Every_length_up_to_one_block_in_every_lane_equals_the_platform(string path)
    {
        var hash = PathOf(path);
        var random = new Random(11);
        var source = new byte[4096];
        Span<uint> digests = stackalloc uint[Sha256Lanes.MaxLanes * 8];
        for (int round = 0; round < 40; round++)
        {
            random.NextBytes(source);
            for (int lanes = 1; lanes <= Sha256Lanes.MaxLanes; lanes++)
            {
                int[] starts = new int[lanes];
                int[] lengths = new int[lanes];
                for (int m = 0; m < lanes; m++)
                {
                    // Cycle through every length 0..55 in every lane position across rounds.
                    lengths[m] = ((round * 17) + (lanes * 5) + m) % (Sha256Short.MaxSingleBlock + 1);
                    starts[m] = random.Next(source.Length - lengths[m] + 1);
                }

                digests.Clear();
                hash(source, starts, lengths, digests);
                for (int m = 0; m < lanes; m++)
                {
                    AssertDigest(source.AsSpan(starts[m], lengths[m]), digests.Slice(m * 8, 8), $"{path}: lane {m} of {lanes}, length {lengths[m]}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Lengths_at_the_padding_boundaries_equal_the_platform(string path)
    {
        var hash = PathOf(path);
        var random = new Random(5);
        Span<uint> digests = stackalloc uint[Sha256Lanes.MaxLanes * 8];
        foreach (int length in new[] { 0, 1, 3, 4, 5, 31, 32, 33, 47, 48, 54, 55 })
        {
            var source = new byte[length * Sha256Lanes.MaxLanes];
            random.NextBytes(source);
            int[] starts = Enumerable.Range(0, Sha256Lanes.MaxLanes).Select(m => m * length).ToArray();
            int[] lengths = Enumerable.Repeat(length, Sha256Lanes.MaxLanes).ToArray();
            hash(source, starts, lengths, digests);
            for (int m = 0; m < Sha256Lanes.MaxLanes; m++)
            {
                AssertDigest(source.AsSpan(starts[m], length), digests.Slice(m * 8, 8), $"{path}: length {length}, lane {m}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Messages_longer_than_one_block_or_too_many_lanes_are_refused(string path)
    {
        var hash = PathOf(path);
        var source = new byte[100];
        var digests = new uint[17 * 8];
        Assert.Throws<ArgumentOutOfRangeException>(() => hash(source, [0], [Sha256Short.MaxSingleBlock + 1], digests));
        Assert.Throws<ArgumentException>(() => hash(source, new int[17], new int[17], digests));
    }

    [Fact]
    public void Barrett_bucket_reduction_equals_the_exact_one()
    {
        var random = new Random(3);
        var digest = new byte[32];
        var words = new uint[8];
        var moduli = new List<int> { 1, 2, 3, 7, 10_000, 65_536, 1 << 30, int.MaxValue - 1, int.MaxValue };
        moduli.AddRange(Enumerable.Range(0, 40).Select(_ => random.Next(1, int.MaxValue)));
        foreach (int m in moduli)
        {
            var modulus = new BucketModulus(m);
            for (int trial = 0; trial < 2_000; trial++)
            {
                random.NextBytes(digest);
                if (trial % 10 == 0)
                {
                    digest.AsSpan().Fill(0xFF); // the largest digest
                }
                else if (trial % 10 == 1)
                {
                    digest.AsSpan().Clear();
                }

                for (int j = 0; j < 8; j++)
                {
                    words[j] = BinaryPrimitives.ReadUInt32BigEndian(digest.AsSpan(j * 4));
                }

                Assert.Equal(NgramBucketHasher.BucketOfDigest(digest, m), modulus.Of(words));
            }
        }
    }

    [Fact]
    public void Batched_misses_give_the_platform_buckets_around_the_one_block_limit_and_on_repeats()
    {
        // Words of 1..70 bytes (unigrams and bigrams on both sides of 55 bytes), new words repeated at once and far
        // more often than the deferred-hit buffer holds, and several lanes' worth of distinct words.
        var text = new StringBuilder();
        for (int length = 1; length <= 70; length++)
        {
            text.Append(new string((char)('a' + (length % 26)), length)).Append(' ');
        }

        for (int i = 0; i < 1_000; i++)
        {
            text.Append("fresh ");
        }

        for (int i = 0; i < 300; i++)
        {
            text.Append('w').Append(i).Append(" w").Append(i).Append(", ");
        }

        string document = text.ToString();
        foreach (var options in new[] { new DsirFeatureOptions(), new DsirFeatureOptions { Ngrams = 3, NumBuckets = 997 } })
        {
            var expected = new Dictionary<int, int>();
            foreach (var ngram in new DsirFeaturizer(options).Trace(document).Ngrams)
            {
                Assert.Equal(NgramBucketHasher.BucketPlatform(Encoding.UTF8.GetBytes(ngram.Ngram), options.NumBuckets), ngram.Bucket);
                expected[ngram.Bucket] = expected.GetValueOrDefault(ngram.Bucket) + 1;
            }

            foreach (int capacity in new[] { 0, 1, 40, DsirFeaturizer.DefaultCacheCapacity })
            {
                var featurizer = new DsirFeaturizer(options, capacity);
                var features = new DocumentFeatures(options.NumBuckets);
                for (int pass = 0; pass < 2; pass++)
                {
                    featurizer.Featurize(Encoding.UTF8.GetBytes(document), features);
                    Assert.Equal(expected.Keys.Order(), features.Buckets.ToArray());
                    Assert.All(expected, kv => Assert.Equal(kv.Value, features.CountOf(kv.Key)));
                }
            }
        }
    }

    private static void AssertDigest(ReadOnlySpan<byte> message, ReadOnlySpan<uint> words, string what)
    {
        Span<byte> expected = stackalloc byte[32];
        SHA256.HashData(message, expected);
        for (int j = 0; j < 8; j++)
        {
            Assert.True(BinaryPrimitives.ReadUInt32BigEndian(expected[(j * 4)..]) == words[j], what);
        }
    }
}
