using System.Globalization;
using System.Text;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Stats;

namespace DataPipeline.Jobs.Runtime;

/// <summary>The short human summary printed at the end of a run and kept as summary.txt.</summary>
public static class Summary
{
    public static string Render(RunStats run, RunLayout layout)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"{(run.Complete ? "finished" : "INCOMPLETE")}: pipeline '{run.Pipeline}' in {run.Seconds:F1} s -> {Display(layout.Root)}");
        sb.AppendLine(ci, $"  {"stage",-16} {"tasks",5} {"docs in",12} {"docs out",12} {"removed",10} {"errors",8} {"MB in",9} {"MB out",9} {"seconds",8}");
        foreach (var s in run.Stages)
        {
            long removed = s.Removed.Values.Sum();
            long errors = s.Errors.Values.Sum();
            sb.AppendLine(ci, $"  {s.Name,-16} {s.Tasks,5} {s.DocumentsIn,12:N0} {s.DocumentsOut,12:N0} {removed,10:N0} {errors,8:N0} {s.BytesIn / 1e6,9:F1} {s.BytesOut / 1e6,9:F1} {s.Seconds,8:F1}");
            // One line per step: "removed by gopher_quality: 1,036 (gopher_below_alpha_threshold 907, ...)".
            foreach (var step in s.Removed.GroupBy(kv => kv.Key.Split('/')[0]).OrderByDescending(g => g.Sum(kv => kv.Value)))
            {
                var reasons = step.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key[(kv.Key.IndexOf('/') + 1)..]} {kv.Value:N0}");
                sb.AppendLine(ci, $"    removed by {step.Key}: {step.Sum(kv => kv.Value):N0} ({string.Join(", ", reasons)})");
            }
            if (errors > 0)
            {
                sb.AppendLine(ci, $"    bad records: {string.Join(", ", s.Errors.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}"))}; quarantined in {Display(Path.Combine(layout.Root, s.Quarantine ?? ""))}");
            }
            // Figures of steps that report counters but move no documents (the dedup passes).
            foreach (var step in s.Steps.Where(st => st.Counters is { Count: > 0 } && st.DocumentsIn == 0))
            {
                var shown = step.Counters!.Where(kv => !kv.Key.StartsWith("cluster_size_", StringComparison.Ordinal)).Take(8);
                sb.AppendLine(ci, $"    {step.Name}: {string.Join(", ", shown.Select(kv => $"{kv.Key} {Figure(kv.Value)}"))}");
            }
            if (s.Summary is { Count: > 0 } figures)
            {
                sb.AppendLine(ci, $"    {string.Join(", ", figures.Select(kv => kv.Key.EndsWith("_rate", StringComparison.Ordinal) ? $"{kv.Key} {kv.Value:P2}" : $"{kv.Key} {Figure(kv.Value)}"))}");
            }
            foreach (var f in s.Files.Where(f => f.Fault is not null).Take(10))
            {
                sb.AppendLine(ci, $"    file fault: {f.Fault}");
            }
            if (s.FileFaults.Values.Sum() > 10)
            {
                sb.AppendLine(ci, $"    ... {s.FileFaults.Values.Sum() - 10} more file faults in stats.json");
            }
        }
        sb.AppendLine(ci, $"  stats: {Display(layout.StatsPath)}");
        return sb.ToString();
    }

    /// <summary>A count as a whole number, any other figure (a KL divergence, a key) with four decimals.</summary>
    private static string Figure(double value) =>
        value.ToString(value == Math.Floor(value) || Math.Abs(value) >= 1e6 ? "N0" : "N4", CultureInfo.InvariantCulture);

    private static string Display(string path)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
