using System.Globalization;
using System.Text;
using AngleSharp.Html.Parser;

namespace DataPipeline.Jobs.Tests;

public class ReportLanguageTests
{
    /// <summary>A small run whose documents carry language metadata, as a language-id step will add it.</summary>
    private static string WriteRun(TempDir dir, params string[] runArgs)
    {
        var lines = new StringBuilder();
        string[] languages = ["en", "en", "en", "de", "fr", "cs"];
        for (int i = 0; i < 120; i++)
        {
            var text = string.Concat(Enumerable.Repeat($"Sentence number {i} of a test document <b>&amp; more. ", 1 + i % 9));
            var score = (0.5 + (i % 50) / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
            lines.Append(CultureInfo.InvariantCulture, $"{{\"id\": \"d{i}\", \"text\": \"{text}\", \"language\": \"{languages[i % languages.Length]}\", \"language_score\": {score}}}\n");
        }
        File.WriteAllText(dir.File("docs.jsonl"), lines.ToString());
        File.WriteAllText(dir.File("p.yaml"), """
            name: lang
            input: {paths: [docs.jsonl]}
            output: out
            format: jsonl
            keep_removed: true
            stages:
              - name: filter
                tasks: 2
                steps:
                  - length_filter: {min_chars: 200}
            """);
        var r = Cli.Run(dir.Path, ["run", "p.yaml", "--quiet", .. runArgs]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout;
    }

    [Fact]
    public void No_report_flag_skips_the_report_and_report_verb_writes_it_with_a_language_section()
    {
        using var dir = new TempDir();
        var stdout = WriteRun(dir, "--no-report");
        Assert.DoesNotContain("report:", stdout);
        Assert.False(File.Exists(dir.File("out/report.html")));

        var r = Cli.Run(dir.Path, "report", "out", "--output", "r/lang.html");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("report: r/lang.html", r.Stdout);
        var doc = new HtmlParser().ParseDocument(File.ReadAllText(dir.File("r/lang.html")));
        var languages = doc.GetElementById("languages");
        Assert.NotNull(languages);
        Assert.Equal(4, languages.QuerySelectorAll("img").Length); // distribution + score histogram, before and after the filter
        Assert.Contains("Language score", languages.InnerHtml);
        // No tokenize stage: the section is left out and said to be.
        Assert.Null(doc.GetElementById("tokens"));
        Assert.Contains("no tokenize stage", doc.GetElementById("not-in-this-run")!.TextContent);
        // The removed documents' "<b>&amp;" comes back as text, not markup.
        var pre = doc.GetElementById("removals")!.QuerySelector("pre")!;
        Assert.Contains("<b>&amp;", pre.TextContent);
        Assert.Equal(0, pre.ChildElementCount);
    }

    [Fact]
    public void Report_of_a_folder_without_a_run_is_a_clear_error()
    {
        using var dir = new TempDir();
        var r = Cli.Run(dir.Path, "report", ".");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("holds no stats.json", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
