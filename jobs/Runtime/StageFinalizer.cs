using System.Text;
using System.Text.Json;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// Runs the once-per-stage work of a stage's steps (merging shard indexes, say) after all its tasks
/// committed, and records it with its own marker so a resumed run does not redo it.
/// </summary>
public static class StageFinalizer
{
    private static string MarkerPath(RunSettings settings, string stage) => Path.Combine(settings.Layout.StateDir, "finalized", stage + ".json");

    public static void Run(RunSettings settings, StagePlan plan)
    {
        var finalizers = plan.Stage.Steps.Select(s => settings.Steps.Create(s, settings.Config.BaseDirectory)).OfType<IStageFinalizer>().ToList();
        var marker = MarkerPath(settings, plan.Stage.Name);
        if (finalizers.Count == 0 || File.Exists(marker))
        {
            return;
        }
        var tasks = Enumerable.Range(0, plan.Tasks).Select(r => settings.Layout.ReadMarker(plan.Stage.Name, r)!).ToList();
        var summary = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var f in finalizers)
        {
            var figures = f.FinalizeStage(settings.StageOutputDir(plan.Stage), tasks);
            if (figures is not null)
            {
                foreach (var (k, v) in figures)
                {
                    summary[k] = v;
                }
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        TaskCommit.WriteAtomically(marker, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(summary)));
    }

    /// <summary>Whether the stage's once-per-stage work is done (or it has none).</summary>
    public static bool IsFinalized(RunSettings settings, string stage) =>
        File.Exists(MarkerPath(settings, stage))
        || !settings.Config.Stages.First(s => s.Name == stage).Steps.Select(s => settings.Steps.Create(s, settings.Config.BaseDirectory)).OfType<IStageFinalizer>().Any();

    public static SortedDictionary<string, double>? ReadSummary(RunSettings settings, string stage)
    {
        var marker = MarkerPath(settings, stage);
        if (!File.Exists(marker))
        {
            return null;
        }
        var summary = JsonSerializer.Deserialize<SortedDictionary<string, double>>(File.ReadAllBytes(marker));
        return summary is { Count: > 0 } ? summary : null;
    }
}
