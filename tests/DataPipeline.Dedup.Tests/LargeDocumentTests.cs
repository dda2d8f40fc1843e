using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Lsh;
using DataPipeline.Dedup.Pipeline;

namespace DataPipeline.Dedup.Tests;

/// <summary>A 100 MB document goes through the signature pass like any other: one signature, no exception.</summary>
public sealed class LargeDocumentTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dedup-large-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private sealed class Outputs(string dir) : ITaskOutputs
    {
        public string Directory => dir;

        public string PartName => "part-00000";

        public string ReserveDirectory(string name)
        {
            var path = Path.Combine(dir, name);
            System.IO.Directory.CreateDirectory(path);
            return path;
        }

        public string ReserveFile(string name) => Path.Combine(dir, name);
    }

    [Fact]
    public void A_100_MB_document_gets_a_signature_and_an_exact_hash()
    {
        var rng = new Random(1);
        var text = new StringBuilder(100_000_100);
        while (text.Length < 100_000_000)
        {
            text.Append("word").Append(rng.Next(50_000)).Append(rng.Next(8) == 0 ? ". " : " ");
        }
        var docs = new[]
        {
            new Document("big", text.ToString(), new DocumentOrigin("x", 0, OriginKind.Line)),
            new Document("empty", "", new DocumentOrigin("x", 1, OriginKind.Line)),
            new Document("short", "only three words", new DocumentOrigin("x", 2, OriginKind.Line)),
        };
        var step = new DedupSignatureStep(new DedupSettings());
        var stats = new StepStats();
        var context = new StepContext(0, 1, stats, null, CancellationToken.None, new Outputs(_root));
        Assert.Empty(step.Run(docs, context));
        step.Complete(context);

        Assert.Equal(3, stats.Counters!["documents"]);
        Assert.Equal(2, stats.Counters["without_minhash_signature"]); // empty and short: never candidates
        Assert.Equal(1, stats.Counters["empty_after_normalisation"]);
        var band0 = BandFiles.RunFiles(_root, 0).Single();
        Assert.Equal(1, BandFiles.SignatureHeader.Read(band0).Records);
        Assert.Equal(2, BandFiles.SignatureHeader.Read(BandFiles.RunFiles(_root, BandFiles.ExactBand).Single()).Records);
        Assert.Equal(3, RecordListReader.ReadCount(Path.Combine(_root, "part-00000", "ids")));
    }
}
