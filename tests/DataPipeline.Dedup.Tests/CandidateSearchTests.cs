using DataPipeline.Dedup.Lsh;
using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Dedup.Tests;

/// <summary>Half-band candidate search and the sketches that confirm its candidates.</summary>
public sealed class CandidateSearchTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sketch-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Default_search_cuts_each_of_datatrove_bands_in_two_halves_covering_the_signature()
    {
        var options = new MinHashOptions();
        Assert.Equal(28, options.LshBands);
        var ranges = Enumerable.Range(0, options.LshBands).Select(options.LshBandRange).ToList();
        Assert.Equal(Enumerable.Range(0, 28).Select(i => (i * 4, 4)), ranges);

        // Whole bands on request: datatrove's LSH.
        var whole = new MinHashOptions { CandidateRows = 8 };
        Assert.Equal(14, whole.LshBands);
        Assert.Equal((104, 8), whole.LshBandRange(13));

        // Rows that do not divide: the last sub-band of each band is shorter, and nothing is left out.
        var odd = new MinHashOptions { Bands = 3, Rows = 5 };
        Assert.Equal([(0, 3), (3, 2), (5, 3), (8, 2), (10, 3), (13, 2)], Enumerable.Range(0, odd.LshBands).Select(odd.LshBandRange));
        Assert.Equal(1, new MinHashOptions { Bands = 9, Rows = 1 }.EffectiveCandidateRows);
        Assert.Throws<ArgumentException>(() => new MinHashOptions { CandidateRows = -1 }.Validate());
    }

    [Fact]
    public void Sketches_round_trip_and_agreement_counts_equal_values()
    {
        var rng = new Random(5);
        foreach (int length in new[] { 112, 3, 260 })
        {
            var path = Path.Combine(_root, $"s{length}.bin");
            var a = Enumerable.Range(0, length).Select(_ => (ulong)rng.NextInt64()).ToArray();
            var b = a.Select((v, i) => i % 3 == 0 ? v + 0x10000 * 7 : v).ToArray(); // differs above bit 16 only: the sketch cannot tell
            var c = a.Select((v, i) => i % 4 == 0 ? v : v ^ 1).ToArray();
            using (var w = new SketchFile.Writer(path, length))
            {
                w.Add(a);
                w.AddEmpty();
                w.Add(c);
                w.Complete();
            }
            using var r = new SketchFile.Reader(path);
            Assert.Equal(3, r.Documents);
            var x = new ushort[length];
            var y = new ushort[length];
            r.Read(0, x);
            Assert.Equal(a.Select(v => (ushort)v), x);
            r.Read(1, y);
            Assert.All(y, v => Assert.Equal(0, v));
            r.Read(2, y);
            int expected = Enumerable.Range(0, length).Count(i => i % 4 == 0);
            Assert.Equal((double)expected / length, SketchFile.Agreement(x, y));
            Assert.Equal(1.0, SketchFile.Agreement(x, b.Select(v => (ushort)v).ToArray()));
            Assert.Throws<InvalidDataException>(() => r.Read(3, y));
        }
    }

    [Fact]
    public void A_truncated_sketch_file_is_refused_with_its_path()
    {
        var path = Path.Combine(_root, "t.bin");
        using (var w = new SketchFile.Writer(path, 112))
        {
            w.Add(new ulong[112]);
            w.Complete();
        }
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 1);
        var e = Assert.Throws<InvalidDataException>(() => new SketchFile.Reader(path));
        Assert.Contains(path, e.Message);
    }
}
