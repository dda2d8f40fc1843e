using System.Diagnostics;
using System.Text;
using DataPipeline.Core.Execution;
using DataPipeline.Report.Data;
using DataPipeline.Report.Html;
using DataPipeline.Report.Sections;

namespace DataPipeline.Report;

/// <summary>What a report came to: where it is, how big, which sections it has and which it left out (with why).</summary>
public sealed record ReportResult(string Path, long Bytes, int Charts, IReadOnlyList<string> Sections, IReadOnlyList<string> Skipped, TimeSpan Elapsed);

/// <summary>Builds the run report: one self-contained HTML file (charts embedded as PNG, no scripts, no network).</summary>
public static class ReportBuilder
{
    public const string DefaultFileName = "report.html";

    /// <summary>Every section, in the order a reader follows the data through the pipeline.</summary>
    public static IReadOnlyList<IReportSection> AllSections() =>
    [
        new OverviewSection(),
        new FunnelSection(),
        new RemovalsSection(),
        new LanguageSection(),
        new LengthSection(),
        new CountersSection("dedup", "Duplicate clusters", "dedup", "dedup", "minhash"),
        new CountersSection("dsir", "Importance sampling (DSIR)", "DSIR", "dsir"),
        new TokensSection(),
        new TimingsSection(),
    ];

    /// <summary>The report's default path in a run folder.</summary>
    public static string DefaultPath(string runDir) => Path.Combine(new RunLayout(runDir).Root, DefaultFileName);

    public static ReportResult Write(string runDir, string? outputPath = null, ReportOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        var run = RunData.Load(runDir);
        var context = new ReportContext(run, options ?? new ReportOptions());
        var body = new HtmlWriter();
        var included = new List<IReportSection>();
        var skipped = new List<(IReportSection Section, string Why)>();
        foreach (var section in AllSections())
        {
            if (section.Skip(context) is { } why)
            {
                skipped.Add((section, why));
                continue;
            }
            included.Add(section);
            body.Raw($"<section id=\"{section.Id}\">\n").Heading(2, section.Title);
            section.Write(context, body);
            body.Raw("</section>\n");
        }
        var html = Page(run, included, skipped, body.ToString());
        var path = Path.GetFullPath(outputPath ?? DefaultPath(runDir));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(html);
        // Written whole under a temporary name and renamed, so a reader never sees half a report.
        TaskCommit.WriteAtomically(path, bytes);
        return new ReportResult(path, bytes.Length, body.Charts.Count, [.. included.Select(s => s.Id)],
            [.. skipped.Select(s => $"{s.Section.Id}: {s.Why}")], clock.Elapsed);
    }

    private static string Page(RunData run, List<IReportSection> included, List<(IReportSection Section, string Why)> skipped, string body)
    {
        var title = $"DataPipeline report: {run.Stats.Pipeline}";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(HtmlWriter.Escape(title)).Append("</title>\n<style>\n").Append(Styles.Css).Append("</style>\n</head>\n<body>\n")
          .Append("<header><h1>").Append(HtmlWriter.Escape(title)).Append("</h1>\n<nav>");
        foreach (var s in included)
        {
            sb.Append("<a href=\"#").Append(s.Id).Append("\">").Append(HtmlWriter.Escape(s.Title)).Append("</a> ");
        }
        sb.Append("</nav></header>\n<main>\n").Append(body);
        if (skipped.Count > 0)
        {
            sb.Append("<section id=\"not-in-this-run\">\n<h2>Not in this run</h2>\n<ul>\n");
            foreach (var (section, why) in skipped)
            {
                sb.Append("<li>").Append(HtmlWriter.Escape($"{section.Title}: {why}.")).Append("</li>\n");
            }
            sb.Append("</ul>\n</section>\n");
        }
        sb.Append("</main>\n<footer>Made by <code>datapipe report</code> from ").Append(HtmlWriter.Escape(run.Layout.StatsPath))
          .Append(". Figures come from stats.json; charts of lengths and languages from document samples.</footer>\n</body>\n</html>\n");
        return sb.ToString();
    }
}
