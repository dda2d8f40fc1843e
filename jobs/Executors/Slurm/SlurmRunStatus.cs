using DataPipeline.Core.Errors;
using DataPipeline.Core.Execution;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>
/// Where a Slurm run stands, per stage: tasks done (completion marker, the only proof of a task),
/// and for the others what Slurm says of their latest attempt: failed, running, pending, cancelled
/// (a dependency that can never be met), or not submitted.
/// </summary>
public sealed class SlurmRunStatus(RunLayout layout, SlurmCli cli)
{
    public sealed record StageStatus(string Stage, int Tasks, int Done, List<int> Failed, int Running, int Pending, int Cancelled, int Unsubmitted, List<string> Jobs, string? FinalizeState);

    public List<StageStatus> Read()
    {
        var record = new SlurmRunRecord(layout);
        var plan = record.ReadPlan() ?? throw new DataPipelineException($"{layout.Root} holds no Slurm run ({record.PlanPath} is missing)");
        var jobs = record.ReadJobs();
        var states = new SlurmJobStates(cli);
        var result = new List<StageStatus>();
        foreach (var (stage, t) in plan.Stages.Select(s => (s.Stage, s.Tasks)))
        {
            var ofStage = jobs.Where(j => j.Stage == stage).ToList();
            // The latest array job holding a rank is that rank's latest attempt.
            var latest = new Dictionary<int, (string Job, int Index)>();
            foreach (var job in ofStage.Where(j => j.Kind == SlurmRunRecord.Job.ArrayKind))
            {
                for (int i = 0; i < job.Ranks.Count; i++)
                {
                    latest[job.Ranks[i]] = (job.JobId, i);
                }
            }
            var cache = new Dictionary<string, Dictionary<int, string>>(StringComparer.Ordinal);
            string StateOf(string job, int index)
            {
                if (!cache.TryGetValue(job, out var s))
                {
                    cache[job] = s = states.Of(job);
                }
                return s.GetValueOrDefault(index) ?? s.GetValueOrDefault(-1) ?? SlurmJobStates.Unknown;
            }
            int done = 0, running = 0, pending = 0, cancelled = 0, unsubmitted = 0;
            var failed = new List<int>();
            for (int r = 0; r < t; r++)
            {
                if (layout.IsDone(stage, r))
                {
                    done++;
                    continue;
                }
                if (!latest.TryGetValue(r, out var at))
                {
                    unsubmitted++;
                    continue;
                }
                switch (StateOf(at.Job, at.Index))
                {
                    case "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "SUSPENDED" or "RESV_DEL_HOLD":
                        pending++;
                        break;
                    case "RUNNING" or "CONFIGURING" or "COMPLETING" or "STAGE_OUT" or "SIGNALING" or "RESIZING":
                        running++;
                        break;
                    case "CANCELLED":
                        cancelled++;
                        break;
                    case SlurmJobStates.Unknown:
                        unsubmitted++;
                        break;
                    default: // FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, BOOT_FAIL, DEADLINE, PREEMPTED, or COMPLETED without a marker
                        failed.Add(r);
                        break;
                }
            }
            var finalize = ofStage.LastOrDefault(j => j.Kind == SlurmRunRecord.Job.FinalizeKind);
            result.Add(new StageStatus(stage, t, done, failed, running, pending, cancelled, unsubmitted,
                ofStage.Select(j => j.JobId + (j.Kind == SlurmRunRecord.Job.FinalizeKind ? " (finalize)" : "")).ToList(),
                finalize is null ? null : StateOf(finalize.JobId, -1)));
        }
        return result;
    }

    public static void Print(IEnumerable<StageStatus> stages, SlurmRunRecord record, TextWriter output)
    {
        foreach (var s in stages)
        {
            output.WriteLine($"{s.Stage}: {s.Tasks} tasks: {s.Done} done, {s.Failed.Count} failed, {s.Running} running, {s.Pending} pending, {s.Cancelled} cancelled, {s.Unsubmitted} not submitted");
            if (s.Jobs.Count > 0)
            {
                output.WriteLine($"  jobs: {string.Join(", ", s.Jobs)}{(s.FinalizeState is null ? "" : "; finalize " + s.FinalizeState)}");
            }
            foreach (var r in s.Failed.Take(10))
            {
                output.WriteLine($"  failed: rank {r}, log {record.TaskLog(s.Stage, r)}");
            }
            if (s.Failed.Count > 10)
            {
                output.WriteLine($"  ... and {s.Failed.Count - 10} more failed");
            }
        }
    }
}
