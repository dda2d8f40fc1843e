using System.Diagnostics;
using System.Text;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Stats;
using DataPipeline.Jobs.Executors;

namespace DataPipeline.Jobs.Runtime;

/// <summary>Runs a pipeline stage after stage with the local executor, then writes stats.json and the summary.</summary>
public sealed class PipelineRunner(RunSettings settings, LocalExecutor executor, TextWriter output)
{
    private readonly Dictionary<string, int> _stageTasks = new(StringComparer.Ordinal);

    /// <summary>Prepares the output folder: a new run refuses a folder holding another run unless told to overwrite it.</summary>
    public void PrepareOutput(bool resume, bool overwrite)
    {
        var layout = settings.Layout;
        if (layout.HasRun && !resume)
        {
            if (!overwrite)
            {
                throw new DataPipelineException($"{layout.Root} already holds a run; pass --resume to continue it, or --overwrite to start over");
            }
            DeleteRun(layout);
        }
        Directory.CreateDirectory(layout.StateDir);
        if (!File.Exists(layout.PipelineCopy))
        {
            TaskCommit.WriteAtomically(layout.PipelineCopy, Encoding.UTF8.GetBytes(settings.Config.SourceText));
        }
    }

    /// <summary>Removes what a run wrote (its state, stage folders, side files), and nothing else in the folder.</summary>
    private void DeleteRun(RunLayout layout)
    {
        foreach (var stage in settings.Config.Stages)
        {
            var dir = settings.StageOutputDir(stage);
            if (dir == layout.Root)
            {
                // Outputs written straight into the folder (convert, tokenize): the parts, and what a
                // stage finalizer merged from them. Nothing else in the folder is touched.
                static bool Ours(string name) =>
                    name.StartsWith("part-", StringComparison.Ordinal) || name.StartsWith(".part-", StringComparison.Ordinal) ||
                    name is "index.json" or "tokens.bin" or "tokens.idx";
                foreach (var f in Directory.EnumerateFiles(dir).Where(f => Ours(Path.GetFileName(f))))
                {
                    File.Delete(f);
                }
                foreach (var d in Directory.EnumerateDirectories(dir).Where(d => Ours(Path.GetFileName(d))))
                {
                    Directory.Delete(d, recursive: true);
                }
            }
            else if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        foreach (var dir in new[] { "quarantine", "removed" }.Select(d => Path.Combine(layout.Root, d)).Append(layout.StateDir))
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        File.Delete(layout.StatsPath);
        File.Delete(layout.SummaryPath);
        File.Delete(layout.ReportPath);
    }

    /// <summary>Runs every stage; returns the process exit code.</summary>
    public int Run(bool resume, CancellationToken cancellation, int minimumTasks = 1)
    {
        var clock = Stopwatch.StartNew();
        var layout = settings.Layout;
        var stageSeconds = new Dictionary<string, double>();
        _stageTasks.Clear();
        for (int i = 0; i < settings.Config.Stages.Count; i++)
        {
            var stageClock = Stopwatch.StartNew();
            var plan = StagePlan.Create(settings, i, minimumTasks: minimumTasks);
            CheckFingerprint(plan, resume);
            _stageTasks[plan.Stage.Name] = plan.Tasks;
            var todo = Enumerable.Range(0, plan.Tasks).Where(r => !layout.IsDone(plan.Stage.Name, r)).ToList();
            if (todo.Count < plan.Tasks)
            {
                output.WriteLine($"[{plan.Stage.Name}] {plan.Tasks - todo.Count} of {plan.Tasks} tasks already complete; running {todo.Count}");
            }
            var outcome = todo.Count == 0 ? new StageOutcome(plan.Stage.Name, []) : executor.RunStage(settings, plan, todo, cancellation);
            if (!outcome.Succeeded)
            {
                stageSeconds[plan.Stage.Name] = stageClock.Elapsed.TotalSeconds;
                WriteStats(clock.Elapsed.TotalSeconds, stageSeconds, complete: false);
                Console.Error.WriteLine("error: " + outcome.Describe());
                Console.Error.WriteLine($"completed tasks are kept; rerun with --resume to redo only the failed ones");
                return cancellation.IsCancellationRequested ? 130 : 1;
            }
            StageFinalizer.Run(settings, plan);
            stageSeconds[plan.Stage.Name] = stageClock.Elapsed.TotalSeconds;
        }
        var stats = WriteStats(clock.Elapsed.TotalSeconds, stageSeconds, complete: true);
        output.Write(Summary.Render(stats, layout));
        return 0;
    }

    private void CheckFingerprint(StagePlan plan, bool resume)
    {
        var path = Path.Combine(settings.Layout.StateDir, "plan-" + plan.Stage.Name + ".json");
        var current = StagePlan.Serialize([plan.GetFingerprint(settings)]);
        if (File.Exists(path))
        {
            var previous = File.ReadAllText(path);
            if (previous != current && resume)
            {
                throw new DataPipelineException(
                    $"stage '{plan.Stage.Name}' no longer matches the run in {settings.Layout.Root} (its inputs, task count or format changed); " +
                    "resuming would mix two different runs. Use --overwrite to start over");
            }
        }
        TaskCommit.WriteAtomically(path, Encoding.UTF8.GetBytes(current));
    }

    private RunStats WriteStats(double seconds, Dictionary<string, double> stageSeconds, bool complete)
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
            var markers = Directory.Exists(layout.MarkerDir(stage.Name))
                ? Directory.EnumerateFiles(layout.MarkerDir(stage.Name), "*.json")
                    .Select(f => System.Text.Json.JsonSerializer.Deserialize<TaskStats>(File.ReadAllBytes(f))!)
                    .ToList()
                : [];
            if (markers.Count == 0 && !stageSeconds.ContainsKey(stage.Name))
            {
                continue;
            }
            var s = StageStats.Combine(stage.Name, _stageTasks.GetValueOrDefault(stage.Name, markers.Count == 0 ? 0 : markers[0].WorldSize), markers);
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
}
