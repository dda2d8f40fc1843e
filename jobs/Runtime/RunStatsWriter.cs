using System.Text;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Stats;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// Writes a run's stats.json and summary.txt from the completion markers in its output folder.
/// Shared by the local runner (at the end of its process) and the Slurm executor (in the job that
/// runs after the last stage), so both write the same files the same way.
/// </summary>
public static class RunStatsWriter
{
    /// <param name="stageTasks">T of each stage as planned; a stage missing here takes T from its markers.</param>
    /// <param name="stageSeconds">wall seconds per stage; a stage missing here and without markers is left out.</param>
    public static RunStats Write(RunSettings settings, IReadOnlyDictionary<string, int> stageTasks, IReadOnlyDictionary<string, double> stageSeconds, double seconds, bool complete)
    {
        var layout = settings.Layout;
        var run = new RunStats
        {
            Pipeline = settings.Config.Name,
            Output = layout.Root,
            FinishedUtc = DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            Seconds = seconds,
            Complete = complete,
        };
        foreach (var stage in settings.Config.Stages)
        {
            var markers = ReadMarkers(layout, stage.Name);
            if (markers.Count == 0 && !stageSeconds.ContainsKey(stage.Name))
            {
                continue;
            }
            var s = StageStats.Combine(stage.Name, stageTasks.GetValueOrDefault(stage.Name, markers.Count == 0 ? 0 : markers[0].WorldSize), markers);
            s.Seconds = stageSeconds.GetValueOrDefault(stage.Name);
            s.Output = Path.GetRelativePath(layout.Root, settings.StageOutputDir(stage)).Replace('\\', '/');
            s.Summary = StageFinalizer.ReadSummary(settings, stage.Name);
            if (markers.Any(m => m.Quarantine is not null))
            {
                s.Quarantine = "quarantine/" + stage.Name + "/";
            }
            run.Stages.Add(s);
        }
        TaskCommit.WriteAtomically(layout.StatsPath, Encoding.UTF8.GetBytes(run.ToJson()));
        TaskCommit.WriteAtomically(layout.SummaryPath, Encoding.UTF8.GetBytes(Summary.Render(run, layout)));
        return run;
    }

    /// <summary>The committed tasks' stats of a stage, in rank order.</summary>
    public static List<TaskStats> ReadMarkers(RunLayout layout, string stage) =>
        Directory.Exists(layout.MarkerDir(stage))
            ? Directory.EnumerateFiles(layout.MarkerDir(stage), "*.json").Order(StringComparer.Ordinal)
                .Select(f => System.Text.Json.JsonSerializer.Deserialize<TaskStats>(File.ReadAllBytes(f))!)
                .ToList()
            : [];
}
