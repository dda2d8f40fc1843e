using System.Text.Json;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Stats;

namespace DataPipeline.Report.Data;

/// <summary>A finished (or interrupted) run folder: its stats.json and where its side files are.</summary>
public sealed class RunData
{
    private RunData(RunLayout layout, RunStats stats)
    {
        Layout = layout;
        Stats = stats;
    }

    public RunLayout Layout { get; }

    public RunStats Stats { get; }

    public static RunData Load(string runDir)
    {
        var layout = new RunLayout(runDir);
        if (!File.Exists(layout.StatsPath))
        {
            throw new DataPipelineException($"{layout.Root} holds no stats.json: not a run folder, or the run has not finished a stage yet");
        }
        RunStats? stats;
        try
        {
            stats = JsonSerializer.Deserialize<RunStats>(File.ReadAllBytes(layout.StatsPath));
        }
        catch (JsonException e)
        {
            throw new DataPipelineException($"{layout.StatsPath} is not valid stats.json: {e.Message}");
        }
        return new RunData(layout, stats ?? throw new DataPipelineException($"{layout.StatsPath} is empty"));
    }

    /// <summary>The folder a stage wrote its outputs to.</summary>
    public string OutputDir(StageStats stage) => Path.GetFullPath(Path.Combine(Layout.Root, string.IsNullOrEmpty(stage.Output) ? stage.Name : stage.Output));

    /// <summary>The stage's document parts (JSONL or Parquet), in rank order; empty for a stage that writes shards.</summary>
    public IReadOnlyList<string> DocumentParts(StageStats stage) => PartFiles.In(OutputDir(stage));

    /// <summary>
    /// The files a stage read: the previous stage's parts, or for the first stage the run's input
    /// files as stats.json names them (absolute, or relative to where the run was started, which
    /// is unknown here: tried against the working directory and the folders above the run).
    /// </summary>
    public IReadOnlyList<string> InputFiles(int stageIndex)
    {
        // The files the stage itself read, as its tasks recorded them: right also for the last pass of a
        // dedup or DSIR stage, which re-reads its first pass's input rather than the stage before it.
        var found = new List<string>();
        foreach (var f in Stats.Stages[stageIndex].Files)
        {
            if (Resolve(f.Path) is { } path)
            {
                found.Add(path);
            }
        }
        if (found.Count > 0 || stageIndex == 0)
        {
            return found;
        }
        for (int i = stageIndex - 1; i >= 0; i--)
        {
            var parts = DocumentParts(Stats.Stages[i]);
            if (parts.Count > 0)
            {
                return parts;
            }
        }
        return found;
    }

    public IReadOnlyList<string> RemovedParts(StageStats stage)
    {
        var dir = Path.Combine(Layout.Root, "removed", stage.Name);
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir, "part-*.jsonl").Order(StringComparer.Ordinal)]
            : [];
    }

    private string? Resolve(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : null;
        }
        var candidates = new List<string> { Directory.GetCurrentDirectory() };
        for (var dir = new DirectoryInfo(Layout.Root); dir is not null; dir = dir.Parent)
        {
            candidates.Add(dir.FullName);
        }
        return candidates.Select(c => Path.Combine(c, path)).FirstOrDefault(File.Exists);
    }
}
