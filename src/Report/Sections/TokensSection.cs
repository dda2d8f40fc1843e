using DataPipeline.Core.Stats;
using DataPipeline.Report.Charts;
using DataPipeline.Report.Data;
using DataPipeline.Report.Html;

namespace DataPipeline.Report.Sections;

/// <summary>Tokenization: tokens per document and per sample, padding and truncation rates, and the MDS shards written.</summary>
public sealed class TokensSection : IReportSection
{
    public string Id => "tokens";

    public string Title => "Tokens and shards";

    public string? Skip(ReportContext context) => TokenStages(context).Any() ? null : "no tokenize stage in this run";

    public void Write(ReportContext context, HtmlWriter html)
    {
        foreach (var stage in TokenStages(context))
        {
            var c = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var step in stage.Steps.Where(s => s.Counters is not null))
            {
                foreach (var (k, v) in step.Counters!)
                {
                    c[k] = c.GetValueOrDefault(k) + v;
                }
            }
            var summary = stage.Summary ?? [];
            double docs = c.GetValueOrDefault("documents_tokenized");
            double inputTokens = c.GetValueOrDefault("input_tokens");
            double written = summary.GetValueOrDefault("tokens_written", c.GetValueOrDefault("tokens_written"));
            double samples = summary.GetValueOrDefault("samples", c.GetValueOrDefault("samples"));
            double padding = c.GetValueOrDefault("padding_tokens");
            html.Heading(3, $"Stage '{stage.Name}'");
            html.Table(["figure", "value", "what it means"],
            [
                ["documents tokenized", Format.Count(docs), ""],
                ["tokens from documents", Format.Count(inputTokens), "before packing"],
                ["tokens per document (mean)", docs > 0 ? Format.Number(inputTokens / docs) : "—", ""],
                ["samples written", Format.Count(samples), ""],
                ["sequence length", summary.TryGetValue("sequence_length", out var L) ? Format.Count(L) : "—", "tokens per sample, padding included"],
                ["real tokens per sample (mean)", samples > 0 ? Format.Number((written - padding) / samples) : "—", "tokens written less padding"],
                ["tokens written", Format.Count(written), ""],
                ["padding rate", summary.TryGetValue("padding_rate", out var p) ? Format.Percent(p) : "—", "padding tokens / tokens written"],
                ["truncation rate", summary.TryGetValue("truncation_rate", out var t) ? Format.Percent(t) : "—", "document tokens not written (cut by packing, or the last incomplete sample) / tokens from documents"],
            ], new HashSet<int> { 1 });

            var shards = MdsIndex.TryRead(context.Run.OutputDir(stage));
            if (shards is null || shards.Count == 0)
            {
                html.Paragraph("No MDS index.json in the stage's folder (a Megatron dataset, or the stage did not finish): no shard list.", "note");
                continue;
            }
            long zipped = shards.Sum(s => s.ZipBytes ?? s.RawBytes);
            html.Paragraph($"{shards.Count} shard(s) in {stage.Output}/index.json: {Format.Count(shards.Sum(s => s.Samples))} samples, " +
                $"{Format.MB(shards.Sum(s => s.RawBytes))} uncompressed, {Format.MB(zipped)} on disk.");
            var labels = shards.Select((s, i) => shards.Count <= 30 ? s.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            html.Image(ChartMaker.Bars($"Shard sizes on disk in '{stage.Output}'", "MB on disk (compressed where compressed)", labels,
                [.. shards.Select(s => (s.ZipBytes ?? s.RawBytes) / 1e6)], horizontal: true,
                "shard sizes: " + string.Join(", ", shards.Select(s => $"{s.Name} {s.ZipBytes ?? s.RawBytes} bytes"))));
        }
    }

    private static IEnumerable<StageStats> TokenStages(ReportContext context) => context.Stages.Where(s => ReportContext.HasStep(s, "tokenize"));
}
