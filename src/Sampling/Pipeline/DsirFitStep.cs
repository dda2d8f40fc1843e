using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;
using DataPipeline.Sampling.Dsir.Metrics;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// Pass 2 of a DSIR stage, one task: sums the counts tasks' raw n-gram counts, counts the target files' n-grams,
/// fits both distributions and <c>log_diff</c> as DSIR's <c>fit_importance_estimator</c> does, resolves k, and
/// writes <see cref="FitSummary"/> and the distributions for the later passes.
/// </summary>
/// <remarks>
/// Deliberate difference: the raw distribution is fitted on every document of the stage's input. DSIR's default
/// <c>num_tokens_to_fit='auto'</c> stops after 100,000 × buckets n-grams (10^9 for 10,000 buckets, about 4 GB of
/// text); below that, which covers the golden set, the two are the same.
/// </remarks>
public sealed class DsirFitStep(DsirSettings settings, string countsRoot) : IStandaloneStep
{
    public string Name => "dsir_fit";

    public int TaskCount => 1;

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context) =>
        throw new InvalidOperationException("the dsir fit pass reads no documents");

    /// <summary>The counts tasks' results, every rank 0..T−1 present.</summary>
    public static (FeatureCounts Raw, TaskCounts[] Tasks) ReadCounts(string countsRoot, int numBuckets)
    {
        var files = Directory.Exists(countsRoot) ? Directory.GetFiles(countsRoot, "part-*.json").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length == 0)
        {
            throw new DataPipelineException($"dsir fit: no counts task output in {countsRoot}");
        }
        var raw = new FeatureCounts(numBuckets);
        var tasks = new TaskCounts[files.Length];
        for (int r = 0; r < files.Length; r++)
        {
            var part = DsirFiles.Part(r);
            if (Path.GetFileName(files[r]) != part + ".json")
            {
                throw new DataPipelineException($"dsir fit: the counts output of task {r} is missing (found {Path.GetFileName(files[r])})");
            }
            tasks[r] = DsirFiles.ReadJson<TaskCounts>(files[r]);
            FeatureCounts counts;
            try
            {
                counts = FeatureCounts.Load(Path.Combine(countsRoot, part + ".counts"));
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FileNotFoundException)
            {
                throw new DataPipelineException($"dsir fit: the counts of task {r} cannot be read ({e.Message}); rerun the stage with --overwrite");
            }
            if (counts.NumBuckets != numBuckets)
            {
                throw new DataPipelineException($"dsir fit: task {r} counted {counts.NumBuckets} buckets, the step says {numBuckets}; rerun the stage with --overwrite");
            }
            raw.Merge(counts);
        }
        return (raw, tasks);
    }

    /// <summary>The n-gram counts of every target document (files in path order, documents in file order).</summary>
    public static FeatureCounts CountTarget(DsirSettings settings, CancellationToken cancellation)
    {
        IReadOnlyList<InputFile> files;
        try
        {
            files = InputResolver.Resolve(settings.Target, settings.BaseDirectory);
        }
        catch (DataPipelineException e)
        {
            throw new DataPipelineException("dsir target: " + e.Message);
        }
        var options = new ReaderOptions { TextField = settings.TargetTextField };
        var featurizer = new DsirFeaturizer(settings.Features);
        var features = new DocumentFeatures(settings.Features.NumBuckets);
        var counts = new FeatureCounts(settings.Features.NumBuckets);
        var stats = new TaskStats();
        var errors = new ReadErrorPolicy(failFast: true, stats, null);
        foreach (var file in files)
        {
            var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), options);
            foreach (var document in reader.Read(InputSlice.WholeFile(file.FullPath, file.Size), file, new FileStats { Path = file.DisplayPath }, errors, null))
            {
                cancellation.ThrowIfCancellationRequested();
                featurizer.Featurize(document, features);
                counts.Add(features);
            }
        }
        return counts;
    }

    public void RunTask(StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dsir fit pass runs inside a task");
        var (raw, tasks) = ReadCounts(countsRoot, settings.Features.NumBuckets);
        var target = CountTarget(settings, context.Cancellation);
        if (target.Total == 0 && settings.TargetSmoothing == 0)
        {
            throw new DataPipelineException($"dsir: the target files ({string.Join(", ", settings.Target)}) have no text to fit a distribution on");
        }
        if (raw.Total == 0)
        {
            throw new DataPipelineException("dsir: the stage's input has no text to fit the raw distribution on");
        }
        var model = DsirImportanceModel.Fit(raw, target, settings.TargetSmoothing);
        double kl = FeatureKl.Divergence(model.TargetProbs, model.RawProbs, DsirImportanceModel.LogEpsilon);
        var summary = new FitSummary
        {
            Buckets = settings.Features.NumBuckets,
            Ngrams = settings.Features.Ngrams,
            TaskDocuments = tasks.Select(t => t.Documents).ToArray(),
            TaskEligible = tasks.Select(t => t.Eligible).ToArray(),
            Size = settings.Describe(),
            K = settings.SizeKind == DsirSizeKind.Tokens ? -1 : settings.ResolveK(raw.Documents),
            RawNgrams = raw.Total,
            TargetDocuments = target.Documents,
            TargetNgrams = target.Total,
            KlTargetRaw = kl,
            CountsDir = Path.GetRelativePath(outputs.Directory, countsRoot),
        };
        if (summary.K > int.MaxValue)
        {
            throw new DataPipelineException($"dsir: k = {summary.K} is more than one selection can hold ({int.MaxValue})");
        }
        DsirFiles.WriteFloat64(outputs.ReserveFile(DsirFiles.LogDiffFile), model.LogDiff);
        DsirFiles.WriteFloat64(outputs.ReserveFile(DsirFiles.RawProbsFile), model.RawProbs);
        DsirFiles.WriteFloat64(outputs.ReserveFile(DsirFiles.TargetProbsFile), model.TargetProbs);
        DsirFiles.WriteJson(outputs.ReserveFile(DsirFiles.FitFile), summary);
        var stats = context.Stats;
        stats.Add("raw_documents", raw.Documents);
        stats.Add("raw_eligible", summary.TaskEligible.Sum());
        stats.Add("raw_ngrams", raw.Total);
        stats.Add("target_documents", target.Documents);
        stats.Add("target_ngrams", target.Total);
        stats.Add("kl_target_raw", kl);
    }
}
