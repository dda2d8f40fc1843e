using System.Globalization;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Tokenize.Mds;
using DataPipeline.Tokenize.Steps;
using DataPipeline.Tokenize.Tests.Tokenizers;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Tests;

/// <summary>The tokenize step run directly, as a task runs it, and its read-ahead.</summary>
public sealed class TokenizeStepTests
{
    private static IEnumerable<Document> Documents(IEnumerable<string> texts, bool utf8) =>
        texts.Select((t, i) => utf8
            ? new Document("d" + i, Encoding.UTF8.GetBytes(t), new DocumentOrigin("in.jsonl", i + 1, OriginKind.Line))
            : new Document("d" + i, t, new DocumentOrigin("in.jsonl", i + 1, OriginKind.Line)));

    private static StepStats RunTask(TokenizeSettings settings, string output, IEnumerable<Document> documents)
    {
        var stats = new StepStats { Name = "tokenize" };
        var context = new StepContext(0, 1, stats, null, CancellationToken.None, new Outputs(output));
        using var step = new TokenizeStep(settings);
        foreach (var _ in step.Run(documents, context))
        {
        }
        step.Complete(context);
        step.FinalizeStage(output, [new TaskStats { Steps = [stats] }]);
        return stats;
    }

    [Fact]
    public void Read_ahead_and_utf8_input_change_no_byte_of_the_output()
    {
        var texts = SampleCorpus.Documents(part: 3, count: 300);
        var settings = new TokenizeSettings { Tokenizer = TokenizerSpec.Named("cl100k_base"), SequenceLength = 256 };
        using var dir = new TempDir();
        RunTask(settings with { ReadAhead = false }, dir.File("plain"), Documents(texts, utf8: false));
        var stats = RunTask(settings, dir.File("ahead"), Documents(texts, utf8: true));
        Assert.Equal(300, stats.Counters!["documents_tokenized"]);
        var plain = Directory.GetFiles(dir.File("plain"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var ahead = Directory.GetFiles(dir.File("ahead"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(plain.Select(Path.GetFileName), ahead.Select(Path.GetFileName));
        Assert.Contains(plain, p => p.EndsWith(".mds.zstd", StringComparison.Ordinal));
        for (int i = 0; i < plain.Count; i++)
        {
            Assert.Equal(File.ReadAllBytes(plain[i]), File.ReadAllBytes(ahead[i]));
        }
        // And the samples are the documents' tokens with EOS between them.
        var tokenizer = TokenizerFactory.Create(settings.Tokenizer);
        var expected = texts.SelectMany(t => tokenizer.Encode(t)).ToList();
        using var reader = MdsReader.Open(dir.File("ahead"));
        var stream = new List<int>();
        for (long i = 0; i < reader.SampleCount; i++)
        {
            stream.AddRange(reader.GetSample(i).GetArray<int>("tokens").ToArray());
        }
        Assert.Equal(expected.Take(stream.Count), stream);
    }

    [Fact]
    public void Read_ahead_keeps_order_and_every_document()
    {
        var source = Enumerable.Range(0, 10_000).Select(i => new Document(i.ToString(CultureInfo.InvariantCulture), "x", default));
        Assert.Equal(Enumerable.Range(0, 10_000), DocumentReadAhead.Read(source, CancellationToken.None).Select(d => int.Parse(d.Id, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Read_ahead_rethrows_the_sources_exception_after_the_documents_before_it()
    {
        static IEnumerable<Document> Failing()
        {
            for (int i = 0; i < 500; i++)
            {
                yield return new Document(i.ToString(CultureInfo.InvariantCulture), "x", default);
            }
            throw new InvalidDataException("bad record 501");
        }
        var seen = new List<string>();
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var d in DocumentReadAhead.Read(Failing(), CancellationToken.None))
            {
                seen.Add(d.Id);
            }
        });
        Assert.Equal("bad record 501", e.Message);
        Assert.Equal(500, seen.Count);
    }

    [Fact]
    public void A_consumer_that_stops_early_stops_the_reader()
    {
        bool disposed = false;
        long produced = 0;
        IEnumerable<Document> Endless()
        {
            try
            {
                for (long i = 0; ; i++)
                {
                    Interlocked.Increment(ref produced);
                    yield return new Document(i.ToString(CultureInfo.InvariantCulture), "x", default);
                }
            }
            finally
            {
                disposed = true;
            }
        }
        Assert.Equal(10, DocumentReadAhead.Read(Endless(), CancellationToken.None).Take(10).Count());
        Assert.True(disposed);
        Assert.True(Interlocked.Read(ref produced) < 1_000_000);
    }

    [Fact]
    public void Cancellation_stops_the_read()
    {
        using var cancel = new CancellationTokenSource();
        var source = Enumerable.Range(0, 1_000_000).Select(i => new Document(i.ToString(CultureInfo.InvariantCulture), "x", default));
        int n = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in DocumentReadAhead.Read(source, cancel.Token))
            {
                if (++n == 100)
                {
                    cancel.Cancel();
                }
            }
        });
        Assert.True(n < 1_000_000);
    }

    private sealed class Outputs(string directory) : ITaskOutputs
    {
        public string Directory => directory;

        public string PartName => "part-00000";

        public string ReserveDirectory(string name)
        {
            string path = Path.Combine(directory, name);
            System.IO.Directory.CreateDirectory(path);
            return path;
        }

        public string ReserveFile(string name) => Path.Combine(directory, name);
    }
}
