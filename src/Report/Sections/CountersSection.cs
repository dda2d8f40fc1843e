using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>
/// A stage kind without charts of its own yet (dedup, DSIR): shows its steps' counters and the
/// stage's figures over all tasks when a run has such a stage, and is left out otherwise. When the stages land their own charts
/// (cluster sizes, importance weights) belong in a section of their own.
/// </summary>
public sealed class CountersSection(string id, string title, string what, params string[] stepNameParts) : IReportSection
{
    public string Id => id;

    public string Title => title;

    public string? Skip(ReportContext context) =>
        context.Stages.Any(s => ReportContext.HasStep(s, stepNameParts)) ? null : $"no {what} stage in this run";

    public void Write(ReportContext context, HtmlWriter html)
    {
        foreach (var stage in context.Stages.Where(s => ReportContext.HasStep(s, stepNameParts)))
        {
            foreach (var step in stage.Steps.Where(s => stepNameParts.Any(p => s.Name.Contains(p, StringComparison.OrdinalIgnoreCase))))
            {
                html.Heading(3, $"{stage.Name}: {step.Name}");
                var rows = new List<IReadOnlyList<string>>
                {
                    new[] { "documents in", Format.Count(step.DocumentsIn) },
                    new[] { "documents out", Format.Count(step.DocumentsOut) },
                };
                rows.AddRange(step.Removed.Select(kv => (IReadOnlyList<string>)["removed: " + kv.Key, Format.Count(kv.Value)]));
                rows.AddRange((step.Counters ?? []).Select(kv => (IReadOnlyList<string>)[kv.Key, Format.Number(kv.Value, "N2")]));
                html.Table(["figure", "value"], rows, new HashSet<int> { 1 });
            }
            // Figures computed once over all tasks (DSIR's KL divergences), from the stage's finalizer.
            if (stage.Summary is { Count: > 0 } summary)
            {
                html.Heading(3, $"{stage.Name}: over all tasks");
                html.Table(["figure", "value"], summary.Select(kv => (IReadOnlyList<string>)[kv.Key, Format.Number(kv.Value, "N4")]).ToList(), new HashSet<int> { 1 });
            }
        }
    }
}
