using DataPipeline.Core.Stats;
using DataPipeline.Report.Data;

namespace DataPipeline.Report.Sections;

/// <summary>What every section reads: the run, the options, and document samples read once and shared.</summary>
public sealed class ReportContext(RunData run, ReportOptions options)
{
    private readonly Dictionary<(int Stage, bool Input), DocumentSample> _samples = [];

    public RunData Run { get; } = run;

    public ReportOptions Options { get; } = options;

    public IReadOnlyList<StageStats> Stages => Run.Stats.Stages;

    /// <summary>A sample of the documents a stage read (<paramref name="input"/>) or wrote.</summary>
    public DocumentSample Sample(int stage, bool input)
    {
        if (!_samples.TryGetValue((stage, input), out var sample))
        {
            var files = input ? Run.InputFiles(stage) : Run.DocumentParts(Stages[stage]);
            _samples[(stage, input)] = sample = DocumentSample.Read(files, Options.SampleDocuments);
        }
        return sample;
    }

    /// <summary>Stages that write documents (not shards): the ones whose documents can be sampled.</summary>
    public IEnumerable<int> DocumentStages() => Enumerable.Range(0, Stages.Count).Where(i => Run.DocumentParts(Stages[i]).Count > 0);

    public static bool HasStep(StageStats stage, params string[] nameParts) =>
        stage.Steps.Any(s => nameParts.Any(p => s.Name.Contains(p, StringComparison.OrdinalIgnoreCase)));
}
