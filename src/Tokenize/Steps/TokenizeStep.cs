using System.Globalization;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Tokenize.Mds;
using DataPipeline.Tokenize.Megatron;
using DataPipeline.Tokenize.Packing;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Steps;

/// <summary>
/// Tokenizes the stage's documents, packs them to the sequence length and writes streaming shards:
/// each task writes its own sub-dataset <c>part-RRRRR/</c>, and once every task has committed the
/// stage merges them (MDS: one top-level index.json over the parts, as upstream's merge_index;
/// Megatron: <c>tokens.bin/.idx</c> built with add_index over the parts in rank order).
/// </summary>
public sealed class TokenizeStep(TokenizeSettings settings) : ISinkStep, IStageFinalizer, IDisposable
{
    public const string MdsColumn = "tokens";
    public const string MegatronPrefix = "tokens";

    private DocumentEncoder? _encoder;
    private SequencePacker? _packer;
    private MdsWriter? _mds;
    private MegatronWriter? _megatron;
    private long _documents;
    private long _megatronTokens;

    public string Name => "tokenize";

    public TokenizeSettings Settings => settings;

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("tokenize writes shards and must run inside a task");
        _encoder = TokenizerPool.Rent(settings.Tokenizer);
        var encoder = _encoder;
        var directory = outputs.ReserveDirectory(outputs.PartName);
        var ids = new List<int>(4096);
        if (settings.Format == "megatron")
        {
            _megatron = new MegatronWriter(Path.Combine(directory, MegatronPrefix), MegatronDTypes.Optimal(VocabularySize(settings.Tokenizer, encoder.Tokenizer)));
        }
        else
        {
            _mds = new MdsWriter(directory, [new(MdsColumn, "ndarray:int32")],
                new MdsWriterOptions { Compression = settings.Compression, SizeLimit = settings.ShardSize, Hashes = settings.Hashes });
            _packer = SequencePacker.Create(new PackingOptions
            {
                SequenceLength = settings.SequenceLength,
                Mode = settings.Packing,
                PadId = settings.PadId,
                LongDocuments = settings.LongDocuments,
                KeepRemainder = settings.KeepRemainder,
            }, new MdsSink(_mds));
        }
        foreach (var document in settings.ReadAhead ? DocumentReadAhead.Read(documents, context.Cancellation) : documents)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            ids.Clear();
            if (document.TryGetUtf8(out var utf8))
            {
                encoder.Encode(utf8.Span, ids);
            }
            else
            {
                encoder.Encode(document.Text, ids);
            }
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids);
            if (_megatron is not null)
            {
                _megatron.AddDocument(span, [span.Length]);
                _megatronTokens += span.Length;
            }
            else
            {
                _packer!.Add(span);
            }
            _documents++;
        }
        yield break;
    }

    public void Complete(StepContext context)
    {
        var stats = context.Stats;
        if (_packer is not null)
        {
            _packer.Finish();
            _mds!.Finish();
            var p = _packer.Stats;
            stats.Add("documents_tokenized", p.Documents);
            stats.Add("input_tokens", p.InputTokens);
            stats.Add("tokens_written", p.TokensWritten);
            stats.Add("samples", p.Samples);
            stats.Add("padding_tokens", p.PaddingTokens);
            stats.Add("truncated_tokens", p.TruncatedTokens);
            stats.Add("remainder_tokens", p.RemainderTokens);
        }
        else if (_megatron is not null)
        {
            _megatron.Finish();
            stats.Add("documents_tokenized", _documents);
            stats.Add("input_tokens", _megatronTokens);
            stats.Add("tokens_written", _megatronTokens);
            stats.Add("samples", _documents);
        }
        else
        {
            throw new InvalidOperationException("tokenize completed before it ran");
        }
    }

    public IReadOnlyDictionary<string, double>? FinalizeStage(string stageOutputDirectory, IReadOnlyList<TaskStats> tasks)
    {
        var parts = Enumerable.Range(0, tasks.Count).Select(r => Path.Combine(stageOutputDirectory, "part-" + r.ToString("D5", CultureInfo.InvariantCulture))).ToList();
        var missing = parts.Where(p => !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new DataPipelineException($"cannot merge the token shards: {missing.Count} part folder(s) missing, first {missing[0]}");
        }
        if (settings.Format == "megatron")
        {
            using var merged = new MegatronWriter(Path.Combine(stageOutputDirectory, MegatronPrefix), MegatronDTypes.Optimal(VocabularySize(settings.Tokenizer, TokenizerFactory.Create(settings.Tokenizer))));
            foreach (var part in parts)
            {
                merged.AddIndex(Path.Combine(part, MegatronPrefix));
            }
            merged.Finish();
        }
        else
        {
            MdsIndex.Merge(parts.Select(p => Path.Combine(p, MdsIndex.FileName)), stageOutputDirectory);
        }
        var totals = new StepStats();
        foreach (var t in tasks)
        {
            foreach (var s in t.Steps.Where(s => s.Name == Name))
            {
                totals.MergeFrom(s);
            }
        }
        double Get(string k) => totals.Counters?.GetValueOrDefault(k) ?? 0;
        double samples = Get("samples");
        double input = Get("input_tokens");
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["tokens_written"] = Get("tokens_written"),
            ["samples"] = samples,
            ["sequence_length"] = settings.Format == "mds" ? settings.SequenceLength : 0,
            ["padding_rate"] = samples == 0 || settings.Format != "mds" ? 0 : Get("padding_tokens") / (samples * settings.SequenceLength),
            ["truncation_rate"] = input == 0 ? 0 : (Get("truncated_tokens") + Get("remainder_tokens")) / input,
        };
    }

    /// <summary>Largest id + 1 over the vocabulary and special tokens: what Megatron's dtype choice (upstream: vocab_size) looks at.</summary>
    public static long VocabularySize(TokenizerSpec spec, TextTokenizer tokenizer)
    {
        if (tokenizer.VocabularySize is { } size)
        {
            return size;
        }
        long specials = spec.SpecialTokens is { Count: > 0 } sp ? sp.Values.Max() + 1 : 0;
        return spec.Kind switch
        {
            // The bundled encodings' sizes, special tokens included (tiktoken does not expose its ranks).
            TokenizerKind.NamedTiktoken => spec.Encoding switch
            {
                "cl100k_base" => 100_277,
                "o200k_base" => 200_019,
                _ => 50_257, // r50k_base, gpt2
            },
            // One rank per line in a tiktoken file.
            TokenizerKind.TiktokenFile => Math.Max(specials, File.ReadLines(spec.VocabFile!).LongCount(l => l.Length > 0)),
            _ => throw new DataPipelineException($"cannot tell the vocabulary size of {tokenizer.Description}"),
        };
    }

    public void Dispose()
    {
        _mds?.Dispose();
        _megatron?.Dispose();
        if (_encoder is not null)
        {
            TokenizerPool.Return(settings.Tokenizer, _encoder);
            _encoder = null;
        }
    }

    private sealed class MdsSink(MdsWriter writer) : IPackedSampleSink
    {
        private readonly MdsRow _row = writer.NewRow();

        public void Write(ReadOnlySpan<int> tokens, ReadOnlySpan<int> segmentEnds)
        {
            _row.Clear();
            _row.SetArray(MdsColumn, tokens);
            writer.Write(_row);
        }
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("tokenize", "tokenize, pack to seq_len and write MDS (default) or Megatron shards; per-task parts merged at the end", p =>
            new TokenizeStep(TokenizeSettings.From(p, p.BaseDirectory)));
}
