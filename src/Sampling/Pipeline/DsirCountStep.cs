using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// Pass 1 of a DSIR stage (a map task): the hashed n-gram counts of the task's documents, summed, and how many
/// documents it read and how many of them DSIR's length filter lets through. Integer sums: the fit pass adds the
/// tasks' counts into exactly what one sequential pass over the input gives.
/// </summary>
public sealed class DsirCountStep(DsirSettings settings) : ISinkStep
{
    private FeatureCounts? _counts;
    private long _eligible;

    public string Name => "dsir_counts";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var featurizer = new DsirFeaturizer(settings.Features);
        var features = new DocumentFeatures(settings.Features.NumBuckets);
        _counts = new FeatureCounts(settings.Features.NumBuckets);
        foreach (var document in documents)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            featurizer.Featurize(document, features);
            _counts.Add(features);
            if (DsirExampleLength.IsEligible(DsirExampleLength.Of(features.TotalNgrams, settings.Features.Ngrams), settings.MinLength))
            {
                _eligible++;
            }
        }
        yield break;
    }

    public void Complete(StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dsir counts pass runs inside a task");
        var counts = _counts ?? new FeatureCounts(settings.Features.NumBuckets);
        counts.Save(outputs.ReserveFile(outputs.PartName + ".counts"));
        DsirFiles.WriteJson(outputs.ReserveFile(outputs.PartName + ".json"), new TaskCounts { Documents = counts.Documents, Eligible = _eligible, Ngrams = counts.Total });
        context.Stats.Add("documents", counts.Documents);
        context.Stats.Add("eligible", _eligible);
        context.Stats.Add("ngrams", counts.Total);
    }
}
