using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>What run this is: pipeline, when it finished, whether it completed, how long it took.</summary>
public sealed class OverviewSection : IReportSection
{
    public string Id => "overview";

    public string Title => "Run";

    public string? Skip(ReportContext context) => null;

    public void Write(ReportContext context, HtmlWriter html)
    {
        var s = context.Run.Stats;
        var first = context.Stages.Count > 0 ? context.Stages[0] : null;
        var last = context.Stages.Count > 0 ? context.Stages[^1] : null;
        html.Table(["", ""],
        [
            ["pipeline", s.Pipeline],
            ["run folder", context.Run.Layout.Root],
            ["finished (UTC)", s.FinishedUtc],
            ["status", s.Complete ? "complete" : "INCOMPLETE: some stage did not finish; figures cover what completed"],
            ["wall-clock time", Format.Seconds(s.Seconds)],
            ["stages", string.Join(" → ", context.Stages.Select(st => $"{st.Name} ({st.Tasks} tasks)"))],
            ["documents read", first is null ? "—" : Format.Count(first.DocumentsIn) + " (" + Format.MB(first.BytesIn) + " of text)"],
            ["bad records", Format.Count(context.Stages.Sum(st => st.Errors.Values.Sum()))],
        ]);
        if (last is not null && context.Stages.Count > 1)
        {
            html.Paragraph($"The last stage, '{last.Name}', read {Format.Count(last.DocumentsIn)} documents.");
        }
    }
}
