using System.Globalization;
using System.Text.Json;
using DataPipeline.Core.Stats;

namespace DataPipeline.Core.Execution;

/// <summary>
/// Where a run keeps things in its output folder:
/// <code>
/// OUT/stats.json, OUT/summary.txt          the run's totals
/// OUT/report.html                          the run's HTML report (datapipe report)
/// OUT/&lt;stage&gt;/part-RRRRR.EXT             each stage's documents, one part per task
/// OUT/quarantine/&lt;stage&gt;/part-RRRRR.jsonl  bad input records, with file, position and reason
/// OUT/removed/&lt;stage&gt;/part-RRRRR.jsonl     removed documents with step and reason (keep_removed)
/// OUT/.datapipe/done/&lt;stage&gt;/RRRRR.json    completion markers (the task's stats)
/// OUT/.datapipe/pipeline.yaml              the pipeline the run was started with
/// </code>
/// </summary>
public sealed class RunLayout(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string StateDir => Path.Combine(Root, ".datapipe");

    public string PipelineCopy => Path.Combine(StateDir, "pipeline.yaml");

    public string StatsPath => Path.Combine(Root, "stats.json");

    public string SummaryPath => Path.Combine(Root, "summary.txt");

    public string ReportPath => Path.Combine(Root, "report.html");

    public string StageDir(string stage) => Path.Combine(Root, stage);

    public string MarkerDir(string stage) => Path.Combine(StateDir, "done", stage);

    public string MarkerPath(string stage, int rank) => Path.Combine(MarkerDir(stage), RankName(rank) + ".json");

    public string QuarantinePath(string stage, int rank) => Path.Combine(Root, "quarantine", stage, "part-" + RankName(rank) + ".jsonl");

    public string RemovedPath(string stage, int rank) => Path.Combine(Root, "removed", stage, "part-" + RankName(rank) + ".jsonl");

    public static string RankName(int rank) => rank.ToString("D5", CultureInfo.InvariantCulture);

    public static string PartName(int rank, string extension) => "part-" + RankName(rank) + extension;

    public bool IsDone(string stage, int rank) => File.Exists(MarkerPath(stage, rank));

    public TaskStats? ReadMarker(string stage, int rank)
    {
        var path = MarkerPath(stage, rank);
        if (!File.Exists(path))
        {
            return null;
        }
        return JsonSerializer.Deserialize<TaskStats>(File.ReadAllBytes(path));
    }

    /// <summary>Whether the folder holds any part of an earlier run.</summary>
    public bool HasRun => Directory.Exists(StateDir);
}
