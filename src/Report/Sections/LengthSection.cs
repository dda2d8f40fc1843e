using DataPipeline.Report.Charts;
using DataPipeline.Report.Data;
using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>Document length histograms (characters, words) before and after each stage that writes documents.</summary>
public sealed class LengthSection : IReportSection
{
    public string Id => "lengths";

    public string Title => "Document lengths before and after filtering";

    public string? Skip(ReportContext context) => context.DocumentStages().Any() ? null : "no stage wrote documents";

    public void Write(ReportContext context, HtmlWriter html)
    {
        html.Paragraph($"From a sample of up to {Format.Count(context.Options.SampleDocuments)} documents on each side, taken evenly from every input file and output part (and from 32 places spread through a large uncompressed JSONL file; a compressed file only from its head). " +
            "Bars are the share of each sample per bin, so the two curves compare although far fewer documents leave a filter than enter it. The x axis is logarithmic.");
        foreach (var i in context.DocumentStages())
        {
            var name = context.Stages[i].Name;
            var before = context.Sample(i, input: true);
            var after = context.Sample(i, input: false);
            var series = new List<(string Label, DocumentSample Sample)>();
            if (before.Count > 0)
            {
                series.Add(($"before '{name}'", before));
            }
            series.Add(($"after '{name}'", after));
            if (before.Count == 0)
            {
                html.Paragraph($"The input files of '{name}' were not found from here, so only its output is shown.", "note");
            }
            html.Heading(3, $"Stage '{name}'");
            html.Table(["", "documents sampled", "median characters", "median words"],
                series.Select(s => (IReadOnlyList<string>)[s.Label, Format.Count(s.Sample.Count), Format.Count(Median(s.Sample.Characters)), Format.Count(Median(s.Sample.Words))]),
                new HashSet<int> { 1, 2, 3 });
            html.Image(ChartMaker.Histogram($"Document length in characters, before and after '{name}'", "characters per document (log scale)",
                [.. series.Select(s => new Series(s.Label, s.Sample.Characters))], logX: true, bins: 40, $"character length histogram, {name}"));
            html.Image(ChartMaker.Histogram($"Document length in words, before and after '{name}'", "words per document (log scale)",
                [.. series.Select(s => new Series(s.Label, s.Sample.Words))], logX: true, bins: 40, $"word count histogram, {name}"));
        }
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
