using System.Text.Json;
using DataPipeline.Tokenize.Mds;
using DataPipeline.Tokenize.Megatron;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Jobs.Tests;

/// <summary>The tokenize verb end to end: the shards it writes hold exactly the corpus's token stream.</summary>
public class TokenizeTests
{
    private static readonly TextTokenizer Cl100k = TokenizerFactory.Create(TokenizerSpec.Named("cl100k_base"));

    private static (TempDir Dir, List<List<string>> TextsPerFile) Inputs(int files, int perFile)
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("in"));
        var lines = Corpus.SampleLines(files * perFile);
        var texts = new List<List<string>>();
        for (int f = 0; f < files; f++)
        {
            var chunk = lines.Skip(f * perFile).Take(perFile).ToList();
            File.WriteAllLines(dir.File($"in/f{f}.jsonl"), chunk);
            texts.Add(chunk.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList());
        }
        return (dir, texts);
    }

    [Fact]
    public void Concat_mds_samples_concatenated_give_back_each_tasks_token_stream()
    {
        var (dir, texts) = Inputs(3, 40);
        using (dir)
        {
            const int L = 256;
            var r = Cli.Run(dir.Path, "tokenize", "--input", "in", "--output", "mds", "--tokenizer", "cl100k_base", "--seq-len", L.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tasks", "3", "-q");
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("tokens_written", r.Stdout);
            long total = 0;
            for (int part = 0; part < 3; part++)
            {
                // One task per input file: its samples are that file's documents, each followed by EOS, cut into windows of L.
                var stream = texts[part].SelectMany(t => Cl100k.Encode(t)).ToList();
                Assert.Equal(Cl100k.EosId, stream[^1]);
                using var reader = MdsReader.Open(dir.File($"mds/part-{part:D5}"));
                var samples = new List<int>();
                for (long i = 0; i < reader.SampleCount; i++)
                {
                    var tokens = reader.GetSample(i).GetArray<int>("tokens");
                    Assert.Equal(L, tokens.Length);
                    samples.AddRange(tokens.ToArray());
                }
                Assert.Equal(stream.Count / L * L, samples.Count);
                Assert.Equal(stream.Take(samples.Count), samples);
                total += reader.SampleCount;
            }
            using var merged = MdsReader.Open(dir.File("mds"));
            Assert.Equal(total, merged.SampleCount);
            var stats = Corpus.Stats(dir.File("mds")).GetProperty("stages")[0].GetProperty("summary");
            Assert.Equal(total * L, stats.GetProperty("tokens_written").GetDouble());

            var inspect = Cli.Run(dir.Path, "inspect", "mds", "--tokenizer", "cl100k_base");
            Assert.True(inspect.ExitCode == 0, inspect.ToString());
            Assert.Contains($"MDS dataset, {total:N0} samples", inspect.Stdout);
            Assert.Contains("decoded: ", inspect.Stdout);
        }
    }

    [Fact]
    public void Megatron_holds_one_sequence_per_document_with_eod()
    {
        var (dir, texts) = Inputs(2, 25);
        using (dir)
        {
            var r = Cli.Run(dir.Path, "tokenize", "--input", "in", "--output", "meg", "--tokenizer", "cl100k_base", "--format", "megatron", "--append-eod", "--tasks", "2", "-q");
            Assert.True(r.ExitCode == 0, r.ToString());
            using var reader = MegatronReader.Open(dir.File("meg/tokens"));
            var all = texts.SelectMany(t => t).ToList();
            Assert.Equal(all.Count, reader.DocumentCount);
            Assert.Equal(all.Count, reader.SequenceCount);
            Assert.Equal(MegatronDType.Int32, reader.DType); // cl100k's 100,277 ids do not fit uint16
            for (int i = 0; i < all.Count; i++)
            {
                Assert.Equal(Cl100k.Encode(all[i]).Select(x => (long)x), reader.ReadSequence(i));
            }
            Assert.Contains("Megatron indexed dataset", Cli.Run(dir.Path, "inspect", "meg").Stdout);
        }
    }

    [Fact]
    public void Bestfit_needs_a_pad_id_and_says_so()
    {
        var (dir, _) = Inputs(1, 5);
        using (dir)
        {
            var r = Cli.Run(dir.Path, "tokenize", "--input", "in", "--output", "bf", "--tokenizer", "cl100k_base", "--packing", "bestfit", "-q");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("pad", r.Stderr, StringComparison.OrdinalIgnoreCase);
            var ok = Cli.Run(dir.Path, "tokenize", "--input", "in", "--output", "bf", "--tokenizer", "cl100k_base", "--packing", "bestfit", "--pad-id", "100257", "--seq-len", "512", "-q", "--overwrite");
            Assert.True(ok.ExitCode == 0, ok.ToString());
            Assert.Contains("padding_rate", File.ReadAllText(dir.File("bf/stats.json")));
        }
    }
}
