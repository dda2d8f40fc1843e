using DataPipeline.Core.Stats;
using DataPipeline.Report.Charts;
using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>Documents, bytes and (where a step counts them) tokens entering and leaving every stage and step.</summary>
public sealed class FunnelSection : IReportSection
{
    public string Id => "funnel";

    public string Title => "Funnel: what enters and leaves each stage and step";

    public string? Skip(ReportContext context) => context.Stages.Count == 0 ? "no stage finished" : null;

    public void Write(ReportContext context, HtmlWriter html)
    {
        html.Paragraph("Stage rows (bold) are totals over the stage's tasks; the indented rows below are its steps in order. " +
            "\"kept\" is documents out as a share of documents in. A tokenize step turns documents into fixed-length samples, so its documents out are 0 and its tokens are shown instead.");
        var rows = new List<IReadOnlyList<string>>();
        var stageRows = new HashSet<int>();
        foreach (var stage in context.Stages)
        {
            stageRows.Add(rows.Count);
            var (tin, tout) = Tokens(stage.Steps);
            rows.Add(Row(stage.Name, stage.DocumentsIn, stage.DocumentsOut, stage.BytesIn, stage.BytesOut, tin, tout));
            foreach (var step in stage.Steps)
            {
                var (sin, sout) = Tokens([step]);
                rows.Add(Row("    " + step.Name, step.DocumentsIn, step.DocumentsOut, step.BytesIn, step.BytesOut, sin, sout));
            }
        }
        html.Table(["stage / step", "docs in", "docs out", "kept", "MB in", "MB out", "tokens in", "tokens out"], rows,
            new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 }, r => stageRows.Contains(r) ? "stage" : "step");

        // The chart follows documents through the steps that remove them (a tokenize step would drop to 0).
        var labels = new List<string>();
        var values = new List<double>();
        foreach (var stage in context.Stages.Where(s => s.DocumentsOut > 0 || s.Removed.Count > 0))
        {
            labels.Add($"{stage.Name}: input");
            values.Add(stage.DocumentsIn);
            foreach (var step in stage.Steps)
            {
                labels.Add($"{stage.Name}: after {step.Name}");
                values.Add(step.DocumentsOut);
            }
        }
        if (labels.Count > 0)
        {
            html.Image(ChartMaker.Bars("Documents remaining after each step", "documents", labels, values, horizontal: true,
                "documents remaining: " + string.Join(", ", labels.Zip(values, (l, v) => $"{l} {Format.Count(v)}"))));
        }
    }

    private static (double? In, double? Out) Tokens(IEnumerable<StepStats> steps)
    {
        double? tin = null, tout = null;
        foreach (var s in steps)
        {
            if (s.Counters is { } c)
            {
                if (c.TryGetValue("input_tokens", out var i))
                {
                    tin = (tin ?? 0) + i;
                }
                if (c.TryGetValue("tokens_written", out var o))
                {
                    tout = (tout ?? 0) + o;
                }
            }
        }
        return (tin, tout);
    }

    private static string[] Row(string name, long din, long dout, long bin, long bout, double? tin, double? tout) =>
    [
        name, Format.Count(din), Format.Count(dout), din > 0 && dout > 0 ? Format.Percent((double)dout / din) : "—",
        Format.Number(bin / 1e6), Format.Number(bout / 1e6),
        tin is { } a ? Format.Count(a) : "—", tout is { } b ? Format.Count(b) : "—",
    ];
}
