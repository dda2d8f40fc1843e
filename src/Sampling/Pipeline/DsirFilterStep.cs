using System.Buffers.Binary;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;
using DataPipeline.Sampling.Dsir.Metrics;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// The last pass of a DSIR stage (a map task over the same input, split the same way, as the counts pass): keeps
/// the documents the select pass chose for this task (a document chosen by several draws with replacement is
/// written once per draw), drops the others with reason <c>not_selected</c> (or <c>below_min_length</c> for those
/// DSIR's length filter never lets be chosen), and with <c>write_weights</c> puts <c>log_importance_weight</c>
/// into every document's metadata. Counts the kept documents' n-grams, so that once every task has committed
/// the stage's summary gets KL(target‖raw), KL(target‖selected) and their difference, DSIR's "KL reduction".
/// </summary>
public sealed class DsirFilterStep(DsirSettings settings, string fitRoot, string selectRoot, string weightsRoot) : IPipelineStep, IStageFinalizer
{
    public string Name => "dsir";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dsir filter runs inside a task");
        var fit = DsirFiles.ReadJson<FitSummary>(Path.Combine(fitRoot, DsirFiles.FitFile));
        fit.CheckTasks("filter", context.WorldSize);
        var selected = DsirFiles.ReadInt64s(Path.Combine(selectRoot, DsirFiles.Part(context.Rank) + ".sel"));
        var weightsPath = Path.Combine(weightsRoot, DsirFiles.Part(context.Rank) + ".weights");
        using var weights = File.Exists(weightsPath)
            ? new FileStream(weightsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)
            : throw new DataPipelineException($"dsir: {weightsPath} is missing; the weights pass has not run (rerun the stage with --overwrite)");
        if (weights.Length != fit.TaskDocuments[context.Rank] * 16)
        {
            throw new DataPipelineException($"dsir: {weightsPath} does not hold the weights of task {context.Rank}'s {fit.TaskDocuments[context.Rank]} documents; rerun the stage with --overwrite");
        }
        var featurizer = new DsirFeaturizer(settings.Features);
        var features = new DocumentFeatures(settings.Features.NumBuckets);
        var counts = new FeatureCounts(settings.Features.NumBuckets);
        var record = new byte[16];
        long index = 0, tokens = 0;
        int next = 0;
        foreach (var document in documents)
        {
            if (index >= fit.TaskDocuments[context.Rank])
            {
                fit.CheckDocuments("filter", context.Rank, index + 1); // more documents than the counts pass read: throws
            }
            weights.ReadExactly(record);
            double weight = BinaryPrimitives.ReadDoubleLittleEndian(record);
            long length = BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(8));
            if (settings.WriteWeights)
            {
                document.Metadata.Set("log_importance_weight", weight);
            }
            int copies = 0;
            while (next < selected.Length && selected[next] == index)
            {
                copies++;
                next++;
            }
            if (copies == 0)
            {
                context.Reject(document, Name, DsirExampleLength.IsEligible(length, settings.MinLength) ? "not_selected" : "below_min_length");
            }
            else
            {
                featurizer.Featurize(document, features);
                for (int c = 0; c < copies; c++)
                {
                    counts.Add(features);
                    tokens += length;
                    yield return document;
                }
            }
            index++;
        }
        fit.CheckDocuments("filter", context.Rank, index);
        if (next != selected.Length)
        {
            throw new DataPipelineException($"dsir: task {context.Rank} selected positions beyond its input; rerun the stage with --overwrite");
        }
        var path = outputs.ReserveFile(DsirFiles.SelectedCounts(context.Rank));
        counts.Save(path);
        context.Stats.Add("selected_tokens", tokens);
    }

    /// <summary>KL(target‖raw), KL(target‖selected) and the reduction, over all tasks' kept documents.</summary>
    public IReadOnlyDictionary<string, double>? FinalizeStage(string stageOutputDirectory, IReadOnlyList<TaskStats> tasks)
    {
        var selected = new FeatureCounts(settings.Features.NumBuckets);
        for (int r = 0; r < tasks.Count; r++)
        {
            var path = Path.Combine(stageOutputDirectory, DsirFiles.SelectedCounts(r));
            if (!File.Exists(path))
            {
                throw new DataPipelineException($"dsir: {path} is missing; rerun the stage with --overwrite");
            }
            selected.Merge(FeatureCounts.Load(path));
        }
        var fit = DsirFiles.ReadJson<FitSummary>(Path.Combine(fitRoot, DsirFiles.FitFile));
        var figures = new Dictionary<string, double>
        {
            ["dsir_kl_target_raw"] = fit.KlTargetRaw,
            ["dsir_selected_documents"] = selected.Documents,
        };
        if (selected.Total > 0)
        {
            var target = DsirFiles.ReadFloat64(Path.Combine(fitRoot, DsirFiles.TargetProbsFile));
            double kl = FeatureKl.Divergence(target, FeatureKl.Distribution(selected), DsirImportanceModel.LogEpsilon);
            figures["dsir_kl_target_selected"] = kl;
            figures["dsir_kl_reduction"] = fit.KlTargetRaw - kl;
        }
        return figures;
    }
}
