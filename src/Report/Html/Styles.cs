namespace DataPipeline.Report.Html;

/// <summary>The report's stylesheet, inline so that the file stands alone.</summary>
internal static class Styles
{
    public const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { background: #1f3b57; color: #fff; padding: 12px 24px; }
        header h1 { margin: 0 0 6px 0; font-size: 22px; }
        nav a { color: #cfe3f7; margin-right: 14px; font-size: 14px; text-decoration: none; }
        main { max-width: 960px; margin: 0 auto; padding: 8px 24px 24px; }
        section { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 4px 18px 14px; margin: 16px 0; }
        h2 { font-size: 19px; border-bottom: 1px solid #eee; padding-bottom: 4px; }
        h3 { font-size: 16px; margin-top: 22px; }
        table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13px; }
        th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
        th { background: #f2f4f7; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.stage td { font-weight: bold; background: #f7f9fb; }
        tr.step td:first-child { padding-left: 26px; white-space: pre; }
        figure { margin: 8px 0 16px; }
        img.chart { max-width: 100%; height: auto; border: 1px solid #eee; }
        p.note { color: #555; font-size: 13px; }
        details { margin: 4px 0; }
        summary { cursor: pointer; font-family: monospace; font-size: 13px; }
        .example { margin: 6px 0 10px 16px; }
        .example .meta { color: #666; font-size: 12px; font-family: monospace; }
        pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; border: 1px solid #e5e5e5; padding: 6px 8px; font-size: 12px; margin: 2px 0; }
        footer { color: #777; font-size: 12px; text-align: center; padding: 12px; }
        """;
}
