using DataPipeline.Core.Errors;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// What runs once after all tasks of a stage committed, when the tasks ran as separate processes
/// (a Slurm array, a Spark job): the stage's finalizer, and after the last stage the run's
/// stats.json, summary.txt and report.html, written exactly as the local runner writes them.
/// </summary>
public static class StageCompletion
{
    public static void Run(RunSettings settings, int stageIndex, int worldSize, TextWriter output)
    {
        var stage = settings.Config.Stages[stageIndex];
        var missing = Enumerable.Range(0, worldSize).Where(r => !settings.Layout.IsDone(stage.Name, r)).ToList();
        if (missing.Count > 0)
        {
            throw new RunFailedException($"stage '{stage.Name}' cannot be finalized: {missing.Count} of its {worldSize} tasks have not completed (ranks {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", ..." : "")})");
        }
        var plan = StagePlan.Create(settings, stageIndex, worldSizeOverride: worldSize);
        StageFinalizer.Run(settings, plan);
        if (stageIndex < settings.Config.Stages.Count - 1)
        {
            return;
        }
        // No one process saw the stages run: a stage's seconds are its longest task's (the
        // stage's wall time when its tasks ran side by side), the run's their sum.
        var stageSeconds = settings.Config.Stages.ToDictionary(s => s.Name, s =>
        {
            var markers = RunStatsWriter.ReadMarkers(settings.Layout, s.Name);
            return markers.Count == 0 ? 0 : markers.Max(m => m.Seconds);
        });
        var stats = RunStatsWriter.Write(settings, new Dictionary<string, int>(), stageSeconds, stageSeconds.Values.Sum(), complete: true);
        output.Write(Summary.Render(stats, settings.Layout));
        // The report, as a local run writes it; a failure to draw it never fails the run.
        try
        {
            var report = DataPipeline.Report.ReportBuilder.Write(settings.Layout.Root);
            output.WriteLine($"report: {report.Path} ({report.Bytes / 1e6:F1} MB, {report.Charts} charts)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"warning: report not written ({Executors.ErrorText.Of(e)}); retry with 'datapipe report {settings.Layout.Root}'");
        }
    }
}

/// <summary>A run cannot go on because some of its tasks failed or never ran (exit code 1, not a usage error).</summary>
public sealed class RunFailedException(string message) : DataPipelineException(message);
