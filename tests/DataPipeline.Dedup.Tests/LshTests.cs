using System.Buffers.Binary;
using DataPipeline.Dedup.Lsh;
using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Dedup.Tests;

public class LshTests
{
    [Theory]
    [InlineData(0.75, 256, 21, 12)] // text-dedup/datasketch doctest values
    [InlineData(0.7, 256, 25, 10)]
    [InlineData(0.7, 250, 25, 10)] // text-dedup legacy / BigCode v2
    [InlineData(0.7, 240, 24, 10)] // text-dedup current TOML
    [InlineData(0.8, 256, 17, 15)]
    [InlineData(0.85, 256, 13, 19)]
    [InlineData(0.8, 112, 9, 12)]
    public void Optimiser_picks_text_dedups_bands_and_rows(double threshold, int perms, int bands, int rows)
    {
        Assert.Equal((bands, rows), LshParameterOptimizer.Optimal(threshold, perms));
        var options = MinHashOptions.ForThreshold(threshold, perms);
        Assert.Equal((bands, rows), (options.Bands, options.Rows));
    }

    [Theory]
    [InlineData(0.5, 14, 8, 0.053)] // algorithms.md §1.0 table
    [InlineData(0.8, 14, 8, 0.924)]
    [InlineData(0.7, 20, 13, 0.177)]
    public void Candidate_probability_matches_the_reference_table(double s, int b, int r, double expected) =>
        Assert.Equal(expected, LshParameterOptimizer.CandidateProbability(s, b, r), 3);

    /// <summary>
    /// Pairs of shingle sets with an exact Jaccard s (shared c, c/(c+2d) = s) become candidates at the
    /// rate 1 − (1 − s^r)^b, and single MinHash values agree at rate s — within sampling error, which also
    /// bounds how far datatrove's wrapping-multiply permutations are from min-wise independent.
    /// </summary>
    [Fact]
    public void Candidate_recall_follows_the_S_curve_at_known_Jaccard()
    {
        const int pairsPerLevel = 400, union = 200, bands = 14, rows = 8;
        var p = PermutationParameters.Create(1, bands * rows);
        using var backend = new CpuMinHashBackend();
        var rng = new Random(123);
        foreach (var s in new[] { 0.5, 0.6, 0.7, 0.75, 0.8, 0.9 })
        {
            int common = (int)Math.Round(union * s);
            int only = (union - common) / 2;
            double exact = (double)common / (common + 2 * only);
            var batch = new ShingleBatch();
            for (int i = 0; i < pairsPerLevel; i++)
            {
                var shared = RandomHashes(rng, common);
                batch.Add([.. shared, .. RandomHashes(rng, only)]);
                batch.Add([.. shared, .. RandomHashes(rng, only)]);
            }
            var sigs = new ulong[batch.Count * p.Count];
            backend.Compute(batch, p, sigs);
            int candidates = 0;
            long agree = 0;
            for (int i = 0; i < pairsPerLevel; i++)
            {
                var a = sigs.AsSpan(2 * i * p.Count, p.Count);
                var b = sigs.AsSpan((2 * i + 1) * p.Count, p.Count);
                bool candidate = false;
                for (int band = 0; band < bands; band++)
                {
                    candidate |= a.Slice(band * rows, rows).SequenceEqual(b.Slice(band * rows, rows));
                }
                candidates += candidate ? 1 : 0;
                for (int k = 0; k < p.Count; k++) agree += a[k] == b[k] ? 1 : 0;
            }
            double expected = LshParameterOptimizer.CandidateProbability(exact, bands, rows);
            double sigma = Math.Sqrt(expected * (1 - expected) / pairsPerLevel);
            double observed = (double)candidates / pairsPerLevel;
            Assert.True(Math.Abs(observed - expected) <= 4 * sigma + 0.01, $"s={exact}: candidate rate {observed:F3}, theory {expected:F3}");
            double agreement = (double)agree / (pairsPerLevel * p.Count);
            Assert.True(Math.Abs(agreement - exact) < 0.02, $"s={exact}: MinHash agreement {agreement:F3}");
        }
    }

    private static ulong[] RandomHashes(Random rng, int count)
    {
        var r = new ulong[count];
        for (int i = 0; i < count; i++) r[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        return r;
    }

    [Fact]
    public void Union_find_roots_are_the_smallest_index_whatever_the_edge_order()
    {
        var rng = new Random(5);
        var edges = Enumerable.Range(0, 3000).Select(_ => (rng.Next(5000), rng.Next(5000))).ToList();
        List<RemovalDecision>? first = null;
        for (int trial = 0; trial < 4; trial++)
        {
            var c = new DuplicateClusterer([5000]);
            foreach (var (a, b) in edges.OrderBy(_ => rng.Next()))
            {
                if (rng.Next(2) == 0) c.Add(a, b);
                else c.Add(b, a);
            }
            var d = c.Decide();
            first ??= d;
            Assert.Equal(first, d);
        }
        // Reference: components by BFS, kept = min member.
        var adjacency = new List<int>[5000];
        for (int i = 0; i < 5000; i++) adjacency[i] = [];
        foreach (var (a, b) in edges) { adjacency[a].Add(b); adjacency[b].Add(a); }
        var component = new int[5000];
        Array.Fill(component, -1);
        for (int i = 0; i < 5000; i++)
        {
            if (component[i] >= 0) continue;
            var queue = new Queue<int>([i]);
            component[i] = i;
            while (queue.TryDequeue(out int x))
            {
                foreach (var y in adjacency[x].Where(y => component[y] < 0)) { component[y] = i; queue.Enqueue(y); }
            }
        }
        var expected = Enumerable.Range(0, 5000).Where(i => component[i] != i)
            .Select(i => new RemovalDecision(i, component[i], component.Count(c => c == component[i]))).ToList();
        Assert.Equal(expected, first);
    }

    [Fact]
    public void Clustering_memory_is_at_most_16_bytes_per_document()
    {
        const int n = 2_000_000;
        var rng = new Random(9);
        var dir = Path.Combine(Path.GetTempPath(), "cluster-mem-" + Guid.NewGuid().ToString("N"));
        try
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var c = new DuplicateClusterer([n / 2, n / 2]);
            for (int i = 0; i < 200_000; i++) c.Add(rng.Next(n), rng.Next(n));
            long removed = c.WriteRemovalFile(Path.Combine(dir, "a.remove"), 0) + c.WriteRemovalFile(Path.Combine(dir, "b.remove"), 1);
            long clusters = c.ClusterSizes().Values.Sum();
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(removed > 100_000, $"the test must remove many documents to mean anything ({removed})");
            // parent int[] 4 B, sizes int[] 4 B, exact flags 1 bit per document; removal files are streamed.
            double perDoc = (double)bytes / n;
            Assert.InRange(perDoc, 8.0, 8.5);
            Assert.True(perDoc <= 16, $"{perDoc:F2} bytes per document");
            Assert.True(clusters > 0);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Jaccard_verifier_computes_set_similarity()
    {
        Assert.Equal(1.0, JaccardVerifier.Jaccard([], []));
        Assert.Equal(0.5, JaccardVerifier.Jaccard([1, 2, 3, 3], [2, 3, 4]));
        var pairs = new[] { new DuplicatePair(0, 0, 0, 1), new DuplicatePair(0, 0, 0, 2) };
        var shingles = new Dictionary<uint, ulong[]> { [0] = [1, 2, 3, 4], [1] = [1, 2, 3, 5], [2] = [1, 9, 8, 7] };
        Assert.Equal([pairs[0]], JaccardVerifier.Verify(pairs, (_, d) => shingles[d], 0.6).ToList());
    }
}
