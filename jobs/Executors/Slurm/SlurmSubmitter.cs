using System.Globalization;
using System.Text.Json;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>
/// Submits a pipeline to Slurm: per stage one array job over the tasks that have no completion
/// marker yet, chained with afterok, plus a job after the array where the stage has once-per-stage
/// work or is the last (stats.json). Rerunning it submits only what is missing.
/// </summary>
public sealed class SlurmSubmitter(RunSettings settings, string pipelinePath, SlurmOptions options, SlurmCli cli, TextWriter output)
{
    private readonly SlurmRunRecord _record = new(settings.Layout);

    /// <summary>Submits what is missing; returns the job ids submitted (none when the run is complete).</summary>
    public IReadOnlyList<string> Submit(bool overwrite)
    {
        var layout = settings.Layout;
        if (layout.HasRun)
        {
            // Two submissions of one run at once would run the same tasks twice.
            var active = cli.Active(_record.ReadJobs().Select(j => j.JobId));
            if (active.Count > 0)
            {
                throw new DataPipelineException(
                    $"{layout.Root} still has jobs in the queue ({string.Join(", ", active.Order(StringComparer.Ordinal))}); wait for them (datapipe status {layout.Root}) or cancel them (datapipe cancel {layout.Root}) before submitting again");
            }
        }
        // Under Slurm a rerun of the same command is the resume: it submits only unfinished tasks.
        RunFolder.Prepare(settings, resume: !overwrite, overwrite);
        var tasks = PlanTasks();
        Directory.CreateDirectory(_record.Dir);

        var scripts = new SlurmScripts(options, SlurmScripts.CurrentDatapipe(), TaskArgs());
        var submitted = new List<string>();
        string? previous = null;
        for (int i = 0; i < settings.Config.Stages.Count; i++)
        {
            var stage = settings.Config.Stages[i];
            int t = tasks[i];
            bool last = i == settings.Config.Stages.Count - 1;
            var pending = Enumerable.Range(0, t).Where(r => !layout.IsDone(stage.Name, r)).ToList();
            Directory.CreateDirectory(_record.LogDir(stage.Name));
            if (pending.Count > 0)
            {
                File.WriteAllText(_record.RanksFile(stage.Name), string.Join('\n', pending) + "\n");
                var script = _record.ArrayScript(stage.Name);
                File.WriteAllText(script, scripts.Array(JobName(stage.Name), stage.Name, t, pending.Count, _record.RanksFile(stage.Name), _record.LogDir(stage.Name)));
                previous = Record(stage.Name, SlurmRunRecord.Job.ArrayKind, cli.Submit(script, previous), pending);
                submitted.Add(previous);
                output.WriteLine($"[{stage.Name}] job {previous}: {pending.Count} of {t} tasks{(pending.Count < t ? $" ({t - pending.Count} already complete)" : "")}");
            }
            else
            {
                output.WriteLine($"[{stage.Name}] all {t} tasks already complete");
            }
            bool finalize = (HasFinalizer(stage) && (pending.Count > 0 || !IsFinalized(stage.Name)))
                || (last && (submitted.Count > 0 || !StatsComplete()));
            if (finalize)
            {
                var script = _record.FinalizeScript(stage.Name);
                File.WriteAllText(script, scripts.Finalize(JobName(stage.Name) + "-final", stage.Name, t, _record.LogDir(stage.Name)));
                previous = Record(stage.Name, SlurmRunRecord.Job.FinalizeKind, cli.Submit(script, previous), []);
                submitted.Add(previous);
                output.WriteLine($"[{stage.Name}] job {previous}: {(last ? "finalize and write stats.json" : "finalize")} after the tasks");
            }
        }
        if (submitted.Count == 0)
        {
            output.WriteLine($"nothing to submit: every task of every stage is complete in {layout.Root}");
        }
        else
        {
            output.WriteLine($"submitted {submitted.Count} jobs; scripts and logs in {_record.Dir}; watch with: datapipe status {layout.Root}");
        }
        return submitted;
    }

    /// <summary>
    /// T per stage, fixed at the first submission. A stage with <c>tasks: 0</c> cannot be planned
    /// from its inputs before the stage before it ran, so: stage 0 takes one per input file (as the
    /// local executor does), a later stage the previous stage's T (one per part it will read).
    /// </summary>
    private int[] PlanTasks()
    {
        var first = StagePlan.Create(settings, 0);
        var inputs = first.Files.Select(f => f.FullPath + ":" + f.Size.ToString(CultureInfo.InvariantCulture)).ToList();
        var planned = new int[settings.Config.Stages.Count];
        for (int i = 0; i < planned.Length; i++)
        {
            var stage = settings.Config.Stages[i];
            int inputOf = stage.InputOf is { } of ? settings.Config.Stages.FindIndex(s => s.Name == of) : -1;
            planned[i] = stage.Tasks > 0 ? stage.Tasks : inputOf >= 0 ? planned[inputOf] : i == 0 ? first.Tasks : planned[i - 1];
        }
        var recorded = _record.ReadPlan();
        if (recorded is not null)
        {
            bool same = recorded.Inputs.SequenceEqual(inputs)
                && recorded.Stages.Select(s => s.Stage).SequenceEqual(settings.Config.Stages.Select(s => s.Name))
                && recorded.Stages.Zip(settings.Config.Stages).All(p => p.Second.Tasks == 0 || p.Second.Tasks == p.First.Tasks);
            if (!same)
            {
                throw new DataPipelineException(
                    $"the pipeline's stages, task counts or inputs no longer match the run in {settings.Layout.Root} (see {_record.PlanPath}); " +
                    "resubmitting would mix two different runs. Use --overwrite to start over");
            }
            return recorded.Stages.Select(s => s.Tasks).ToArray();
        }
        _record.WritePlan(new SlurmRunRecord.Plan(settings.Config.Stages.Select((s, i) => new SlurmRunRecord.StagePlanEntry(s.Name, planned[i])).ToList(), inputs));
        return planned;
    }

    /// <summary>Arguments every task and finalize command shares: the pipeline, the folder, and the overrides this run was given.</summary>
    private List<string> TaskArgs() =>
        [Path.GetFullPath(pipelinePath), "--output", settings.Layout.Root, "--format", settings.Config.Format, "--on-error", settings.Config.OnError];

    private string JobName(string stage) => "dp-" + settings.Config.Name + "-" + stage;

    private string Record(string stage, string kind, string jobId, IReadOnlyList<int> ranks)
    {
        _record.Append(new SlurmRunRecord.Job(stage, kind, jobId, ranks, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)));
        return jobId;
    }

    private bool HasFinalizer(Core.Config.StageConfig stage) =>
        stage.Steps.Select(s => settings.Steps.Create(s, settings.Config.BaseDirectory)).OfType<IStageFinalizer>().Any();

    private bool IsFinalized(string stage) => StageFinalizer.IsFinalized(settings, stage);

    private bool StatsComplete()
    {
        if (!File.Exists(settings.Layout.StatsPath))
        {
            return false;
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(settings.Layout.StatsPath));
        return doc.RootElement.TryGetProperty("complete", out var c) && c.ValueKind == JsonValueKind.True;
    }
}
