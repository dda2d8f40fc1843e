using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using DataPipeline.Dedup.MinHash;
using DataPipeline.Dedup.Text;

namespace DataPipeline.Dedup.Tests;

/// <summary>
/// Agreement with values computed by datatrove's own expressions under real numpy/xxhash/regex
/// (Upstream/make_vectors.py): permutation parameters, simplify_text, shingle counts and signatures.
/// The one non-upstream piece of that script is the word split (str.split instead of spaCy).
/// </summary>
public class UpstreamAgreementTests
{
    [Theory]
    [InlineData("seed1_112", 1u, 112)]
    [InlineData("seed42_260", 42u, 260)]
    public void Permutation_parameters_equal_numpy_RandomState(string key, uint seed, int count)
    {
        var expected = TestData.Upstream.GetProperty(key);
        var p = PermutationParameters.Create(seed, count);
        Assert.Equal(TestData.UlongArray(expected.GetProperty("a")), p.A);
        Assert.Equal(TestData.UlongArray(expected.GetProperty("b")), p.B);
    }

    [Fact]
    public void Normaliser_matches_simplify_text_on_tricky_strings()
    {
        foreach (var e in TestData.Upstream.GetProperty("normalise").EnumerateArray())
        {
            var text = e.GetProperty("text").GetString()!;
            Assert.Equal(e.GetProperty("normalised").GetString(), DedupTextNormalizer.Normalize(text));
        }
    }

    [Fact]
    public void Normaliser_shingles_and_signatures_match_datatrove_on_the_sample_corpus()
    {
        var docs = TestData.Upstream.GetProperty("docs").EnumerateArray().ToList();
        var corpus = TestData.Corpus;
        Assert.Equal(docs.Count, corpus.Count);
        var options = new MinHashOptions();
        var shingler = new Shingler(options);
        var parameters = PermutationParameters.Create(options.Seed, options.SignatureLength);
        using var backend = new CpuMinHashBackend();
        var batch = new ShingleBatch();
        foreach (var (_, text) in corpus) batch.Add(shingler, text);
        var sigs = new ulong[batch.Count * parameters.Count];
        backend.Compute(batch, parameters, sigs);

        var mismatches = new List<string>();
        int withSignature = 0, fullChecked = 0;
        for (int d = 0; d < docs.Count; d++)
        {
            var e = docs[d];
            var normHash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(DedupTextNormalizer.Normalize(corpus[d].Text))).ToString("x16");
            if (normHash != e.GetProperty("norm_xxh64").GetString()) mismatches.Add($"doc {d}: normalised text differs");
            if (batch.ShingleCount(d) != e.GetProperty("shingles").GetInt32()) mismatches.Add($"doc {d}: shingle count differs");
            if (!e.TryGetProperty("sig_xxh64", out var sigHash)) continue;
            withSignature++;
            var sig = sigs.AsSpan(d * parameters.Count, parameters.Count);
            var bytes = new byte[sig.Length * 8];
            for (int i = 0; i < sig.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), sig[i]);
            if (XxHash64.HashToUInt64(bytes).ToString("x16") != sigHash.GetString()) mismatches.Add($"doc {d}: signature differs");
            if (e.TryGetProperty("sig", out var full))
            {
                Assert.Equal(TestData.UlongArray(full), sig.ToArray());
                fullChecked++;
            }
        }
        Assert.Empty(mismatches);
        Assert.True(withSignature > 2000, $"only {withSignature} documents had signatures");
        Assert.True(fullChecked >= 8);
    }
}
