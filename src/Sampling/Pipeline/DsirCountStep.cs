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
/// <remarks>It also writes every document's sparse features (<see cref="DsirFeatureFile"/>), which the weights pass
/// reads instead of featurizing the text again.</remarks>
public sealed class DsirCountStep(DsirSettings settings) : ISinkStep, IDisposable
{
    private FeatureCounts? _counts;
    private DsirFeatureFile.Writer? _features;
    private long _eligible;

    public string Name => "dsir_counts";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var featurizer = new DsirFeaturizer(settings.Features);
        var features = new DocumentFeatures(settings.Features.NumBuckets);
        _counts = new FeatureCounts(settings.Features.NumBuckets);
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dsir counts pass runs inside a task");
        _features = new DsirFeatureFile.Writer(outputs.ReserveFile(outputs.PartName + DsirFeatureFile.Extension));
        foreach (var document in documents)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            featurizer.Featurize(document, features);
            _counts.Add(features);
            _features.Write(features);
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
        if (_features is null)
        {
            new DsirFeatureFile.Writer(outputs.ReserveFile(outputs.PartName + DsirFeatureFile.Extension)).Dispose();
        }
        Dispose();
        counts.Save(outputs.ReserveFile(outputs.PartName + ".counts"));
        DsirFiles.WriteJson(outputs.ReserveFile(outputs.PartName + ".json"), new TaskCounts { Documents = counts.Documents, Eligible = _eligible, Ngrams = counts.Total });
        context.Stats.Add("documents", counts.Documents);
        context.Stats.Add("eligible", _eligible);
        context.Stats.Add("ngrams", counts.Total);
    }

    public void Dispose()
    {
        _features?.Dispose();
        _features = null;
    }
}
