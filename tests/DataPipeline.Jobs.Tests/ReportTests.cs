using System.Diagnostics;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using SkiaSharp;

namespace DataPipeline.Jobs.Tests;

/// <summary>Runs the demo pipeline once (its report is written at the end of the run) for the report tests.</summary>
public sealed class DemoRunFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public DemoRunFixture()
    {
        var demo = Path.Combine(Cli.RepoRoot, "jobs", "pipelines", "demo.yaml");
        // From the repository root, as a user runs it: the run's input paths in stats.json are
        // relative to it, which is how the report finds the filter stage's input documents.
        RunResult = Cli.Run(Cli.RepoRoot, "run", demo, "--output", _dir.File("demo"), "--quiet");
        RunDir = _dir.File("demo");
        ReportPath = Path.Combine(RunDir, "report.html");
    }

    internal Cli.Result RunResult { get; }

    public string RunDir { get; }

    public string ReportPath { get; }

    public string Html => File.ReadAllText(ReportPath);

    public void Dispose() => _dir.Dispose();
}

public class ReportTests(DemoRunFixture demo) : IClassFixture<DemoRunFixture>
{
    private static IHtmlDocument Parse(string html, List<string>? errors = null)
    {
        var parser = new HtmlParser();
        if (errors is not null)
        {
            parser.Error += (_, e) => errors.Add(e.ToString() ?? "parse error");
        }
        return parser.ParseDocument(html);
    }

    [Fact]
    public void Run_writes_the_report_and_says_where_it_is()
    {
        Assert.True(demo.RunResult.ExitCode == 0, demo.RunResult.ToString());
        Assert.Contains("report: ", demo.RunResult.Stdout);
        Assert.Contains("report.html", demo.RunResult.Stdout);
        Assert.True(File.Exists(demo.ReportPath));
    }

    [Fact]
    public void Demo_report_has_every_section_that_applies_and_names_those_left_out()
    {
        var doc = Parse(demo.Html);
        foreach (var id in new[] { "overview", "funnel", "removals", "languages", "lengths", "dedup", "dsir", "tokens", "timings" })
        {
            Assert.True(doc.GetElementById(id) is not null, "missing section " + id);
        }
        // Its DSIR stage: the passes' counters and the KL figures over all tasks.
        var dsir = doc.GetElementById("dsir")!.TextContent;
        foreach (var figure in new[] { "select.fit: dsir_fit", "kl_target_raw", "select: over all tasks", "dsir_kl_target_selected", "dsir_kl_reduction" })
        {
            Assert.Contains(figure, dsir);
        }
        // Every section applies to the demo now: none is listed as left out.
        Assert.Null(doc.GetElementById("not-in-this-run"));

        var funnel = doc.GetElementById("funnel")!.TextContent;
        foreach (var step in new[] { "length_filter", "gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality", "tokenize" })
        {
            Assert.Contains(step, funnel);
        }
        var runStats = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.RunDir, "stats.json"))).RootElement;
        double tokensWritten = runStats.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "tokenize").GetProperty("summary").GetProperty("tokens_written").GetDouble();
        Assert.Contains(tokensWritten.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), funnel); // tokens written, from the tokenize step's counters
        var tokens = doc.GetElementById("tokens")!.TextContent;
        Assert.Contains("padding rate", tokens);
        Assert.Contains("truncation rate", tokens);
        Assert.Contains("2 shard(s)", tokens);
        // Lengths before the first stage come from the run's input files (2,400 documents), after each stage from its parts.
        var lengths = doc.GetElementById("lengths")!.TextContent;
        Assert.Contains("2,400", lengths);
        var stats = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.RunDir, "stats.json"))).RootElement;
        long filtered = stats.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "filter").GetProperty("documents_out").GetInt64();
        Assert.Contains(filtered.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), lengths);
    }

    [Fact]
    public void Removed_examples_are_escaped_and_cut_to_300_characters()
    {
        var doc = Parse(demo.Html);
        var removals = doc.GetElementById("removals")!;
        var details = removals.QuerySelectorAll("details");
        // One block per reason: every reason of the demo had at least one removed document kept.
        var stats = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.RunDir, "stats.json"))).RootElement;
        int reasons = stats.GetProperty("stages").EnumerateArray().Sum(s => s.GetProperty("removed").EnumerateObject().Count());
        Assert.True(reasons > 20, $"{reasons} removal reasons in the demo");
        Assert.Equal(reasons, details.Length);
        Assert.Contains(details, d => d.QuerySelector("summary")!.TextContent.StartsWith("length_filter/too_short", StringComparison.Ordinal));
        var previews = removals.QuerySelectorAll("pre").Select(p => p.TextContent).ToList();
        Assert.NotEmpty(previews);
        Assert.All(previews, p => Assert.True(p.Length <= 301, $"preview of {p.Length} characters"));
        // Escaping: the parsed text of every preview equals a prefix of some removed document, so
        // no '<' or '&' in a document turned into markup. Checked on the raw file: no tag inside a pre.
        foreach (var pre in removals.QuerySelectorAll("pre"))
        {
            Assert.Equal(0, pre.ChildElementCount);
        }
    }

    [Fact]
    public void Report_is_valid_self_contained_html_with_non_blank_charts()
    {
        var errors = new List<string>();
        var doc = Parse(demo.Html, errors);
        Assert.True(errors.Count == 0, "HTML parse errors: " + string.Join("; ", errors.Take(5)));
        Assert.Empty(doc.QuerySelectorAll("script, link, iframe"));
        var images = doc.QuerySelectorAll("img").ToList();
        Assert.True(images.Count >= 6, $"{images.Count} charts");
        foreach (var img in images)
        {
            var src = img.GetAttribute("src")!;
            Assert.StartsWith("data:image/png;base64,", src);
            using var bitmap = SKBitmap.Decode(Convert.FromBase64String(src["data:image/png;base64,".Length..]));
            Assert.NotNull(bitmap);
            Assert.Equal(int.Parse(img.GetAttribute("width")!, System.Globalization.CultureInfo.InvariantCulture), bitmap.Width);
            Assert.True(bitmap.Width >= 600 && bitmap.Height >= 200, $"{bitmap.Width}x{bitmap.Height}");
            Assert.True(DistinctColours(bitmap) >= 4, "blank chart: " + img.GetAttribute("title"));
            Assert.False(string.IsNullOrWhiteSpace(img.GetAttribute("alt")));
        }
        Assert.True(new FileInfo(demo.ReportPath).Length < 5_000_000);
    }

    [Fact]
    public void Report_loads_in_headless_chromium_without_console_errors()
    {
        var chromium = Chromium.Find();
        using var profile = new TempDir();
        var url = new Uri(demo.ReportPath).AbsoluteUri;
        var dump = Chromium.Run(chromium, profile.Path, "--dump-dom", url);
        Assert.True(dump.ExitCode == 0, dump.Stderr);
        Assert.Contains("id=\"funnel\"", dump.Stdout);
        Assert.Contains("id=\"timings\"", dump.Stdout);
        // Chromium logs every page console message as "CONSOLE(...)"; the report has no script,
        // so any such line is an error (a broken image, a blocked resource).
        var console = dump.Stderr.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal)).ToList();
        Assert.True(console.Count == 0, string.Join("\n", console));

        var shot = Path.Combine(profile.Path, "shot.png");
        var r = Chromium.Run(chromium, profile.Path, $"--screenshot={shot}", "--window-size=1400,2400", url);
        Assert.True(r.ExitCode == 0 && File.Exists(shot), r.Stderr);
        using var bitmap = SKBitmap.Decode(shot);
        Assert.Equal(1400, bitmap.Width);
        Assert.True(DistinctColours(bitmap) >= 16, "the screenshot is blank");
    }

    /// <summary>Distinct colours on a sparse grid: a blank image has one or two.</summary>
    private static int DistinctColours(SKBitmap bitmap)
    {
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 7)
        {
            for (int x = 0; x < bitmap.Width; x += 7)
            {
                colours.Add(bitmap.GetPixel(x, y));
            }
        }
        return colours.Count;
    }
}

/// <summary>Headless Chromium (Debian's chromium package, installed by scripts/setup.sh).</summary>
internal static class Chromium
{
    public static string Find()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }
        throw new InvalidOperationException("chromium not found on PATH: run scripts/setup.sh (it installs Debian's chromium package)");
    }

    public static Cli.Result Run(string chromium, string profile, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Root in a container: no sandbox; no GPU; nothing that reaches the network; a fresh profile.
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--hide-scrollbars", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + Path.Combine(profile, "chromium") })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish in 90 s");
        }
        return new Cli.Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
