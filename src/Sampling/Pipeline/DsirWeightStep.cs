using System.Buffers.Binary;
using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;
using DataPipeline.Sampling.Dsir.Resampling;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// Pass 3 of a DSIR stage (a map task over the same input, split the same way, as the counts pass): every
/// document's log importance weight and DSIR length, and the task's own best candidates — its top k by Gumbel
/// key, its best documents up to the token budget, or with replacement its best document per draw.
/// </summary>
/// <remarks>
/// A document's key depends only on its global position, never on the task split: without replacement it is
/// weight + the i-th draw of numpy's legacy Gumbel stream (<c>np.random.seed(seed)</c>, one draw per eligible
/// document in input order, as DSIR's <c>resample</c> with <c>num_proc=1</c>); task r skips the draws of the
/// eligible documents before it, whose number the counts pass recorded. With replacement the noise is
/// <see cref="CounterGumbel"/> keyed by (draw, global position) (DSIR itself has no sampling with replacement).
/// </remarks>
public sealed class DsirWeightStep(DsirSettings settings, string fitRoot) : ISinkStep, IDisposable
{
    private FitSummary? _fit;
    private TopK? _top;
    private List<DsirFiles.Candidate>? _all;
    private WithReplacementSampler? _draws;
    private FileStream? _weights;
    private FileStream? _ids;
    private DsirFeatureFile.Reader? _stored;
    private long _documents;
    private long _eligible;

    public string Name => "dsir_weights";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dsir weights pass runs inside a task");
        _fit = DsirFiles.ReadJson<FitSummary>(Path.Combine(fitRoot, DsirFiles.FitFile));
        _fit.CheckTasks("weights", context.WorldSize);
        double[] logDiff = DsirFiles.ReadFloat64(Path.Combine(fitRoot, DsirFiles.LogDiffFile));
        var model = DsirImportanceModel.FromLogDiff(logDiff);
        // The counts task of the same rank stored every document's features: read them instead of featurizing again.
        string? stored = _fit.CountsDir is null ? null : Path.Combine(fitRoot, _fit.CountsDir, DsirFiles.Part(context.Rank) + DsirFeatureFile.Extension);
        DsirFeaturizer? featurizer = null;
        if (stored is not null && File.Exists(stored))
        {
            _stored = new DsirFeatureFile.Reader(stored, settings.Features.NumBuckets);
        }
        else
        {
            featurizer = new DsirFeaturizer(settings.Features);
        }
        var features = new DocumentFeatures(settings.Features.NumBuckets);
        long first = _fit.DocumentsBefore(context.Rank);
        NumpyLegacyGumbel? noise = null;
        if (settings.WithReplacement)
        {
            _draws = new WithReplacementSampler((int)_fit.K, settings.Seed);
        }
        else
        {
            noise = new NumpyLegacyGumbel(settings.Seed);
            noise.Skip(_fit.EligibleBefore(context.Rank));
            if (settings.SizeKind == DsirSizeKind.Tokens)
            {
                _all = [];
            }
            else
            {
                _top = new TopK((int)_fit.K);
            }
        }
        _weights = new FileStream(outputs.ReserveFile(outputs.PartName + ".weights"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Utf8JsonWriter? json = null;
        if (settings.WriteWeights)
        {
            _ids = new FileStream(outputs.ReserveFile(outputs.PartName + ".ids.jsonl"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            json = new Utf8JsonWriter(_ids, new JsonWriterOptions { SkipValidation = true });
        }
        var record = new byte[16];
        foreach (var document in documents)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            double weight;
            long totalNgrams;
            if (_stored is not null)
            {
                weight = _stored.Next(logDiff, out totalNgrams);
            }
            else
            {
                featurizer!.Featurize(document, features);
                weight = model.LogImportanceWeight(features);
                totalNgrams = features.TotalNgrams;
            }
            long length = DsirExampleLength.Of(totalNgrams, settings.Features.Ngrams);
            BinaryPrimitives.WriteDoubleLittleEndian(record, weight);
            BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(8), length);
            _weights.Write(record);
            if (json is not null)
            {
                json.WriteStartObject();
                json.WriteString("id", document.Id);
                json.WriteNumber("log_importance_weight", weight);
                json.WriteEndObject();
                json.Flush();
                _ids!.WriteByte((byte)'\n');
                json.Reset();
            }
            long index = first + _documents;
            _documents++;
            if (!DsirExampleLength.IsEligible(length, settings.MinLength))
            {
                continue;
            }
            _eligible++;
            if (_draws is not null)
            {
                _draws.Offer(weight, index);
                continue;
            }
            // DSIR adds the noise array to the weights array: one IEEE addition per document.
            double key = weight + noise!.Next();
            if (_top is not null)
            {
                _top.Offer(key, index);
            }
            else
            {
                _all!.Add(new DsirFiles.Candidate(key, index, length));
            }
        }
        json?.Dispose();
        yield break;
    }

    public void Complete(StepContext context)
    {
        var outputs = context.Outputs!;
        var fit = _fit ?? throw new InvalidOperationException("the dsir weights pass completed before it ran");
        fit.CheckDocuments("weights", context.Rank, _documents);
        if (_stored is { AtEnd: false })
        {
            throw new DataPipelineException($"dsir weights: task {context.Rank} read fewer documents than its counts task stored features for (rerun the stage with --overwrite)");
        }
        List<DsirFiles.Candidate> candidates;
        if (_draws is not null)
        {
            candidates = [];
            foreach (var best in _draws.Best)
            {
                candidates.Add(new DsirFiles.Candidate(best.Key, best.Index, 0));
            }
        }
        else if (_top is not null)
        {
            candidates = _top.ByRank().Select(c => new DsirFiles.Candidate(c.Key, c.Index, 0)).ToList();
        }
        else
        {
            // A token budget: the task's best documents until their lengths reach the budget. The global selection
            // takes a prefix of every task's key order whose lengths stay within the budget, so it never needs more.
            var all = _all!;
            all.Sort(static (a, b) => new ScoredDocument(a.Key, a.Index).IsBetterThan(new ScoredDocument(b.Key, b.Index)) ? -1 : a.Index == b.Index ? 0 : 1);
            candidates = [];
            long total = 0;
            foreach (var c in all)
            {
                if (total > (long)settings.Size)
                {
                    break;
                }
                candidates.Add(c);
                total += c.Length;
            }
        }
        DsirFiles.WriteCandidates(outputs.ReserveFile(outputs.PartName + ".top"), candidates);
        _weights!.Flush();
        _ids?.Flush();
        Dispose();
        context.Stats.Add("documents", _documents);
        context.Stats.Add("eligible", _eligible);
        context.Stats.Add("candidates", candidates.Count(c => c.Index >= 0 && c.Index != long.MaxValue));
    }

    public void Dispose()
    {
        _weights?.Dispose();
        _ids?.Dispose();
        _stored?.Dispose();
        _stored = null;
        _weights = null;
        _ids = null;
    }
}
