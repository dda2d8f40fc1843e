using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DataPipeline.Core.Execution;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>
/// What a Slurm run keeps in OUT/slurm/, beside its outputs (the folder must be on a filesystem
/// every node sees):
/// <code>
/// plan.json                        T of each stage, fixed at the first submission, and the inputs it was planned on
/// jobs.jsonl                       one line per submitted job: stage, kind, job id, the ranks of its array indices
/// STAGE.sbatch, STAGE.ranks        the stage's latest array script and its index -> rank list (sbatch it again by hand)
/// STAGE.finalize.sbatch            the job after the array: stage finalizer, and stats.json after the last stage
/// logs/STAGE/rank-RRRRR.log        each task's output, appended by every attempt
/// logs/STAGE/slurm-JOB_INDEX.out   what Slurm itself prints for a job
/// </code>
/// </summary>
public sealed class SlurmRunRecord(RunLayout layout)
{
    public string Dir { get; } = Path.Combine(layout.Root, "slurm");

    public string PlanPath => Path.Combine(Dir, "plan.json");

    public string JobsPath => Path.Combine(Dir, "jobs.jsonl");

    public string ArrayScript(string stage) => Path.Combine(Dir, stage + ".sbatch");

    public string RanksFile(string stage) => Path.Combine(Dir, stage + ".ranks");

    public string FinalizeScript(string stage) => Path.Combine(Dir, stage + ".finalize.sbatch");

    public string LogDir(string stage) => Path.Combine(Dir, "logs", stage);

    public string TaskLog(string stage, int rank) => Path.Combine(LogDir(stage), "rank-" + RunLayout.RankName(rank) + ".log");

    public bool Exists => File.Exists(PlanPath);

    public sealed record StagePlanEntry(
        [property: JsonPropertyName("stage")] string Stage,
        [property: JsonPropertyName("tasks")] int Tasks);

    public sealed record Plan(
        [property: JsonPropertyName("stages")] IReadOnlyList<StagePlanEntry> Stages,
        [property: JsonPropertyName("inputs")] IReadOnlyList<string> Inputs);

    public sealed record Job(
        [property: JsonPropertyName("stage")] string Stage,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("job_id")] string JobId,
        [property: JsonPropertyName("ranks")] IReadOnlyList<int> Ranks,
        [property: JsonPropertyName("submitted_utc")] string SubmittedUtc)
    {
        public const string ArrayKind = "array";
        public const string FinalizeKind = "finalize";
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public Plan? ReadPlan() => Exists ? JsonSerializer.Deserialize<Plan>(File.ReadAllBytes(PlanPath)) : null;

    public void WritePlan(Plan plan)
    {
        Directory.CreateDirectory(Dir);
        TaskCommit.WriteAtomically(PlanPath, JsonSerializer.SerializeToUtf8Bytes(plan, Indented));
    }

    public IReadOnlyList<Job> ReadJobs() =>
        File.Exists(JobsPath)
            ? File.ReadAllLines(JobsPath).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Job>(l)!).ToList()
            : [];

    /// <summary>Appends right after sbatch answers, so status and cancel know a job even if this process dies next.</summary>
    public void Append(Job job) => File.AppendAllText(JobsPath, JsonSerializer.Serialize(job) + "\n", Encoding.UTF8);
}
