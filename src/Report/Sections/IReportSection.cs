using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>One part of the report. A section that does not apply to a run is left out, and named in the report's footer.</summary>
public interface IReportSection
{
    /// <summary>The anchor id (stable: tests and links use it).</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>Null when the section applies; otherwise why it is left out ("no dedup stage in this run").</summary>
    string? Skip(ReportContext context);

    void Write(ReportContext context, HtmlWriter html);
}
