using System.Text.Json;
using DataPipeline.Tokenize.Megatron;

namespace DataPipeline.Tokenize.Tests;

/// <summary>Our builder against the .bin/.idx pairs Megatron-LM's IndexedDatasetBuilder wrote.</summary>
public sealed class MegatronTests
{
    private static int[][][] Documents(string variant)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(GoldenData.Golden("megatron", "documents.json")));
        return doc.RootElement.GetProperty(variant).EnumerateArray()
            .Select(d => d.EnumerateArray().Select(s => s.EnumerateArray().Select(t => t.GetInt32()).ToArray()).ToArray())
            .ToArray();
    }

    private static void AssertSameFiles(string prefix, string goldenName)
    {
        string golden = GoldenData.Golden("megatron", goldenName);
        Assert.Equal(File.ReadAllBytes(golden + ".bin"), File.ReadAllBytes(prefix + ".bin"));
        Assert.Equal(File.ReadAllBytes(golden + ".idx"), File.ReadAllBytes(prefix + ".idx"));
    }

    private static void AddDocuments(MegatronWriter w, IEnumerable<int[][]> documents)
    {
        foreach (var d in documents)
        {
            w.AddDocument(d.SelectMany(s => s).ToArray(), d.Select(s => s.Length).ToArray());
        }
    }

    [Fact]
    public void Uint16_pair_is_byte_identical_when_built_with_AddDocument()
    {
        using var tmp = new TempDir();
        string prefix = tmp.File("golden_uint16");
        var dtype = MegatronDTypes.Optimal(50257);
        Assert.Equal(MegatronDType.UInt16, dtype);
        using (var w = new MegatronWriter(prefix, dtype))
        {
            AddDocuments(w, Documents("golden_uint16"));
            w.Finish();
        }
        AssertSameFiles(prefix, "golden_uint16");
    }

    [Fact]
    public void Int32_pair_is_byte_identical_when_built_with_AddItem_and_EndDocument()
    {
        using var tmp = new TempDir();
        string prefix = tmp.File("golden_int32");
        var dtype = MegatronDTypes.Optimal(128256);
        Assert.Equal(MegatronDType.Int32, dtype);
        using (var w = new MegatronWriter(prefix, dtype))
        {
            foreach (var d in Documents("golden_int32"))
            {
                foreach (var s in d)
                {
                    w.AddItem(s);
                }
                w.EndDocument();
            }
            w.Finish();
        }
        AssertSameFiles(prefix, "golden_int32");
    }

    [Fact]
    public void Merging_parts_with_AddIndex_reproduces_the_whole()
    {
        using var tmp = new TempDir();
        var docs = Documents("golden_uint16");
        int[] cuts = [0, 7, 7, 25, docs.Length]; // includes an empty part
        var parts = new List<string>();
        for (int p = 0; p + 1 < cuts.Length; p++)
        {
            string part = tmp.File($"part{p}");
            using var w = new MegatronWriter(part, MegatronDType.UInt16);
            AddDocuments(w, docs[cuts[p]..cuts[p + 1]]);
            w.Finish();
            parts.Add(part);
        }
        string merged = tmp.File("merged");
        using (var w = new MegatronWriter(merged, MegatronDType.UInt16))
        {
            foreach (var part in parts)
            {
                w.AddIndex(part);
            }
            w.Finish();
        }
        AssertSameFiles(merged, "golden_uint16");

        using var wrong = new MegatronWriter(tmp.File("wrong"), MegatronDType.Int32);
        Assert.Throws<InvalidDataException>(() => wrong.AddIndex(parts[0]));
    }

    [Theory]
    [InlineData("golden_uint16", MegatronDType.UInt16)]
    [InlineData("golden_int32", MegatronDType.Int32)]
    public void Reader_returns_golden_sequences_and_document_boundaries(string variant, MegatronDType dtype)
    {
        var docs = Documents(variant);
        using var r = MegatronReader.Open(GoldenData.Golden("megatron", variant));
        Assert.Equal(dtype, r.DType);
        Assert.Equal(94, r.SequenceCount);
        Assert.Equal(40, r.DocumentCount);
        int seq = 0;
        for (int d = 0; d < docs.Length; d++)
        {
            Assert.Equal((seq, seq + docs[d].Length), ((int)r.DocumentSequences(d).Start, (int)r.DocumentSequences(d).End));
            foreach (var s in docs[d])
            {
                Assert.Equal(s.Length, r.SequenceLength(seq));
                Assert.Equal(s.Select(t => (long)t), r.ReadSequence(seq));
                seq++;
            }
        }
        Assert.Equal(13265, Enumerable.Range(0, r.SequenceCount).Sum(r.SequenceLength));
    }

    [Fact]
    public void Eod_append_matches_the_preprocess_data_worked_example()
    {
        using var tmp = new TempDir();
        string prefix = tmp.File("tiny");
        using (var w = new MegatronWriter(prefix, MegatronDTypes.Optimal(50257)))
        {
            w.AddDocument([5, 6, 7], [3], eod: 50256);
            w.AddDocument([8], [1], eod: 50256);
            w.AddDocument([], [], eod: 50256); // no tokens: no EOD, a document with no sequences
            w.Finish();
        }
        Assert.Equal("050006000700" + "50c4" + "0800" + "50c4", Convert.ToHexStringLower(File.ReadAllBytes(prefix + ".bin")));
        byte[] idx = File.ReadAllBytes(prefix + ".idx");
        // formats.md §2.5 bytes, except D = 4 and one more document index (2) for the empty document.
        Assert.Equal(
            "4d4d49444944580000" + "0100000000000000" + "08" + "0200000000000000" + "0400000000000000"
            + "0400000002000000" + "0000000000000000" + "0800000000000000"
            + "0000000000000000" + "0100000000000000" + "0200000000000000" + "0200000000000000",
            Convert.ToHexStringLower(idx));
        using var r = MegatronReader.Open(prefix);
        Assert.Equal([0L, 1, 2, 2], r.Index.DocumentIndices);
        Assert.Equal([5L, 6, 7, 50256], r.ReadSequence(0));
    }

    [Fact]
    public void Writer_refuses_ids_that_do_not_fit_and_reader_refuses_bad_files()
    {
        using var tmp = new TempDir();
        using (var w = new MegatronWriter(tmp.File("a"), MegatronDType.UInt16))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => w.AddItem([70000]));
            Assert.Throws<ArgumentException>(() => w.AddDocument([1, 2], [1]));
        }
        File.WriteAllBytes(tmp.File("b.idx"), new byte[40]);
        File.WriteAllBytes(tmp.File("b.bin"), []);
        Assert.Throws<InvalidDataException>(() => MegatronReader.Open(tmp.File("b")));
    }
}
