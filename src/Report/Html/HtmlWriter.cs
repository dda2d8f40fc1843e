using System.Globalization;
using System.Net;
using System.Text;
using DataPipeline.Report.Charts;

namespace DataPipeline.Report.Html;

/// <summary>Appends HTML fragments; every piece of text from the run goes through <see cref="Escape"/>.</summary>
public sealed class HtmlWriter
{
    private readonly StringBuilder _sb = new();

    /// <summary>Charts embedded so far (the tests and the command report them).</summary>
    public List<Chart> Charts { get; } = [];

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    public HtmlWriter Raw(string html)
    {
        _sb.Append(html);
        return this;
    }

    public HtmlWriter Heading(int level, string text, string? id = null)
    {
        _sb.Append(CultureInfo.InvariantCulture, $"<h{level}{(id is null ? "" : $" id=\"{Escape(id)}\"")}>{Escape(text)}</h{level}>\n");
        return this;
    }

    public HtmlWriter Paragraph(string text, string? cssClass = null)
    {
        _sb.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Escape(text)).Append("</p>\n");
        return this;
    }

    /// <summary>A table; cells are text (escaped). Columns listed in <paramref name="numeric"/> are right-aligned.</summary>
    public HtmlWriter Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? numeric = null, Func<int, string?>? rowClass = null)
    {
        _sb.Append("<table>\n");
        // A key/value table (all headers empty) reads better without an empty header row.
        if (headers.Any(h => h.Length > 0))
        {
            _sb.Append("<thead><tr>");
            for (int i = 0; i < headers.Count; i++)
            {
                _sb.Append(numeric?.Contains(i) == true ? "<th class=\"num\">" : "<th>").Append(Escape(headers[i])).Append("</th>");
            }
            _sb.Append("</tr></thead>\n");
        }
        _sb.Append("<tbody>\n");
        int r = 0;
        foreach (var row in rows)
        {
            var cls = rowClass?.Invoke(r++);
            _sb.Append(cls is null ? "<tr>" : $"<tr class=\"{cls}\">");
            for (int i = 0; i < row.Count; i++)
            {
                _sb.Append(numeric?.Contains(i) == true ? "<td class=\"num\">" : "<td>").Append(Escape(row[i])).Append("</td>");
            }
            _sb.Append("</tr>\n");
        }
        _sb.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>Embeds a chart as a base64 PNG: the report is one file that needs no network.</summary>
    public HtmlWriter Image(Chart chart)
    {
        Charts.Add(chart);
        _sb.Append(CultureInfo.InvariantCulture,
            $"<figure><img class=\"chart\" width=\"{chart.Width}\" height=\"{chart.Height}\" alt=\"{Escape(chart.AltText)}\" title=\"{Escape(chart.Title)}\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(chart.Png)).Append("\"></figure>\n");
        return this;
    }

    public HtmlWriter Details(string summary, Action<HtmlWriter> body)
    {
        _sb.Append("<details><summary>").Append(Escape(summary)).Append("</summary>\n");
        body(this);
        _sb.Append("</details>\n");
        return this;
    }

    public override string ToString() => _sb.ToString();
}
