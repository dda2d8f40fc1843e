using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Bench;

/// <summary>
/// <c>dsir-profile FILE.jsonl [DOCS]</c>: the DSIR featurizer alone, in memory, one thread. Prints the cost of one
/// SHA-256 bucket (platform vs the managed one-block hash), then featurizing throughput (CPU seconds of this thread,
/// so other processes on a shared machine matter less): the UTF-8 route with a cold cache (a task's first pass), again
/// with the warm cache, the UTF-16 route with no cache, and how many n-grams were hashed.
/// </summary>
public static class DsirProfile
{
    public static int Run(string path, int maxDocs)
    {
        var docs = new List<byte[]>();
        foreach (string line in File.ReadLines(path))
        {
            if (docs.Count >= maxDocs)
            {
                break;
            }
            using var json = JsonDocument.Parse(line);
            docs.Add(Encoding.UTF8.GetBytes(json.RootElement.GetProperty("text").GetString() ?? ""));
        }
        long bytes = docs.Sum(d => (long)d.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{docs.Count} documents, {bytes / 1e6:F1} MB"));

        // SHA-256 of distinct short n-grams.
        var ngrams = Enumerable.Range(0, 200_000).Select(i => Encoding.UTF8.GetBytes($"word{i} other{i % 977}")).ToArray();
        int sink = 0;
        using var incremental = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var digest = new byte[32];
        int Reused(byte[] b)
        {
            incremental.AppendData(b);
            incremental.GetHashAndReset(digest);
            return NgramBucketHasher.BucketOfDigest(digest, 10_000);
        }
        foreach (var (name, hash) in new (string, Func<byte[], int>)[] { ("platform SHA256.HashData", b => NgramBucketHasher.BucketPlatform(b, 10_000)), ("platform, reused IncrementalHash", Reused), ("managed one-block", b => NgramBucketHasher.Bucket(b, 10_000)) })
        {
            for (int i = 0; i < 20_000; i++)
            {
                sink += hash(ngrams[i]);
            }
            var cpu = Cpu();
            foreach (var b in ngrams)
            {
                sink += hash(b);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {(Cpu() - cpu).TotalMilliseconds * 1e6 / ngrams.Length:F0} ns per bucket"));
        }

        // The same n-grams through the multi-lane hash, 16 per call, as the cache's misses go.
        {
            byte[] joined = ngrams.SelectMany(b => b).ToArray();
            int[] starts = new int[ngrams.Length];
            int[] lengths = ngrams.Select(b => b.Length).ToArray();
            for (int i = 1; i < ngrams.Length; i++)
            {
                starts[i] = starts[i - 1] + lengths[i - 1];
            }
            var modulus = new BucketModulus(10_000);
            var words = new uint[Sha256Lanes.MaxLanes * 8];
            // 20 rounds: one round is shorter than the process clock's resolution.
            const int Rounds = 20;
            foreach (bool reduce in new[] { false, true, false, true })
            {
                var cpu = Cpu();
                for (int round = 0; round < Rounds; round++)
                {
                    for (int i = 0; i + Sha256Lanes.MaxLanes <= ngrams.Length; i += Sha256Lanes.MaxLanes)
                    {
                        Sha256Lanes.Hash(joined, starts.AsSpan(i, Sha256Lanes.MaxLanes), lengths.AsSpan(i, Sha256Lanes.MaxLanes), words);
                        for (int m = 0; reduce && m < Sha256Lanes.MaxLanes; m++)
                        {
                            sink += modulus.Of(words.AsSpan(m * 8, 8));
                        }
                    }
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"multi-lane ({(Sha256Lanes.Is512Supported ? 16 : Sha256Lanes.Is256Supported ? 8 : 1)} lanes){(reduce ? " + Barrett bucket" : "")}: {(Cpu() - cpu).TotalMilliseconds * 1e6 / ngrams.Length / Rounds:F0} ns per n-gram"));
            }
        }

        var options = new DsirFeatureOptions();
        var features = new DocumentFeatures(options.NumBuckets);
        var featurizer = new DsirFeaturizer(options);
        Featurize("UTF-8 route, cold cache", docs, bytes, d => featurizer.Featurize(d, features), featurizer);
        Featurize("UTF-8 route, warm cache", docs, bytes, d => featurizer.Featurize(d, features), featurizer);
        foreach (int cap in new[] { 1 << 12, 1 << 14, 1 << 16, 1 << 18 })
        {
            var small = new DsirFeaturizer(options, cacheCapacity: cap);
            Featurize($"UTF-8 route, cache {cap}, cold", docs, bytes, d => small.Featurize(d, features), small);
            Featurize($"UTF-8 route, cache {cap}, again", docs, bytes, d => small.Featurize(d, features), small);
        }
        var uncached = new DsirFeaturizer(options, cacheCapacity: 0);
        Featurize("UTF-8 route, no cache (every n-gram hashed)", docs, bytes, d => uncached.Featurize(d, features), uncached);
        var strings = docs.Select(d => Encoding.UTF8.GetString(d)).ToArray();
        var general = new DsirFeaturizer(options);
        int k = 0;
        Featurize("UTF-16 route, cold cache", docs, bytes, _ => general.Featurize(strings[k++], features), general);
        GC.KeepAlive(sink);
        return 0;
    }

    private static void Featurize(string name, List<byte[]> docs, long bytes, Action<byte[]> featurize, DsirFeaturizer featurizer)
    {
        long hashes = featurizer.HashCount;
        var cpu = Cpu();
        var wall = Stopwatch.StartNew();
        foreach (var d in docs)
        {
            featurize(d);
        }
        double s = (Cpu() - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {s:F2} CPU s ({wall.Elapsed.TotalSeconds:F2} wall), {bytes / 1e6 / s:F1} MB/s, {docs.Count / s:F0} docs/s, {featurizer.HashCount - hashes} n-grams hashed"));
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;
}
