using DataPipeline.Report.Charts;
using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>Wall-clock time and throughput per stage.</summary>
public sealed class TimingsSection : IReportSection
{
    public string Id => "timings";

    public string Title => "Timings and throughput";

    public string? Skip(ReportContext context) => context.Stages.Count == 0 ? "no stage finished" : null;

    public void Write(ReportContext context, HtmlWriter html)
    {
        html.Paragraph("Wall-clock time is the stage's elapsed time in the run that completed it; task time is the sum over its tasks " +
            "(larger than wall-clock when tasks ran in parallel). Throughput is input over wall-clock time.");
        html.Table(["stage", "tasks", "wall-clock", "task time", "parallelism", "documents / s", "MB / s (text in)"],
            context.Stages.Select(s => (IReadOnlyList<string>)
            [
                s.Name, Format.Count(s.Tasks), Format.Seconds(s.Seconds), Format.Seconds(s.TaskSeconds),
                s.Seconds > 0 ? Format.Number(s.TaskSeconds / s.Seconds, "0.0") + "×" : "—",
                Format.Rate(s.DocumentsIn, s.Seconds, "docs/s"), Format.Rate(s.BytesIn / 1e6, s.Seconds, "MB/s"),
            ]), new HashSet<int> { 1, 2, 3, 4, 5, 6 });
        html.Image(ChartMaker.Bars("Wall-clock time per stage", "seconds", [.. context.Stages.Select(s => s.Name)],
            [.. context.Stages.Select(s => s.Seconds)], horizontal: true,
            "seconds per stage: " + string.Join(", ", context.Stages.Select(s => $"{s.Name} {s.Seconds:F1}"))));
    }
}
