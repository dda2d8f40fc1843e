using System.Text;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Execution;

namespace DataPipeline.Jobs.Runtime;

/// <summary>Starting a run in an output folder, whatever executor then runs it.</summary>
public static class RunFolder
{
    /// <summary>Prepares the output folder: a new run refuses a folder holding another run unless told to overwrite it.</summary>
    public static void Prepare(RunSettings settings, bool resume, bool overwrite)
    {
        var layout = settings.Layout;
        if (layout.HasRun && !resume)
        {
            if (!overwrite)
            {
                throw new DataPipelineException($"{layout.Root} already holds a run; pass --resume to continue it, or --overwrite to start over");
            }
            DeleteRun(settings, layout);
        }
        Directory.CreateDirectory(layout.StateDir);
        if (!File.Exists(layout.PipelineCopy))
        {
            TaskCommit.WriteAtomically(layout.PipelineCopy, Encoding.UTF8.GetBytes(settings.Config.SourceText));
        }
    }

    /// <summary>Removes what a run wrote (its state, stage folders, side files), and nothing else in the folder.</summary>
    private static void DeleteRun(RunSettings settings, RunLayout layout)
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
        foreach (var dir in new[] { "quarantine", "removed", "slurm" }.Select(d => Path.Combine(layout.Root, d)).Append(layout.StateDir))
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
}
