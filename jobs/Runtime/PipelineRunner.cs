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
    public void PrepareOutput(bool resume, bool overwrite) => RunFolder.Prepare(settings, resume, overwrite);

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

    private RunStats WriteStats(double seconds, Dictionary<string, double> stageSeconds, bool complete) =>
        RunStatsWriter.Write(settings, _stageTasks, stageSeconds, seconds, complete);
}
