using System.CommandLine;
using DataPipeline.Report;

namespace DataPipeline.Jobs.Cli;

/// <summary>datapipe report RUN_DIR: the run's HTML report (one self-contained file).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("RUN_DIR") { Description = "a run's output folder (the one holding stats.json)" };
        var output = new Option<string?>("--output", "-o") { Description = "where to write the report (default: RUN_DIR/report.html)" };
        var sample = new Option<int>("--sample") { Description = "documents sampled from each stage's input and output for the length and language charts", DefaultValueFactory = _ => new ReportOptions().SampleDocuments };
        var command = new Command("report", "Write a run's report: one HTML file with the funnel, removals with examples, languages, lengths, tokens and timings (charts embedded; opens offline).")
        {
            runDir, output, sample,
        };
        command.SetAction(parse => CommandRunner.Guard(_ =>
        {
            if (parse.GetValue(sample) < 0)
            {
                throw new ConfigException("--sample must be 0 or more");
            }
            var result = ReportBuilder.Write(parse.GetValue(runDir)!, parse.GetValue(output), new ReportOptions { SampleDocuments = parse.GetValue(sample) });
            Print(result, Console.Out);
            return ExitCodes.Success;
        }));
        return command;
    }

    public static void Print(ReportResult result, TextWriter output)
    {
        output.WriteLine($"report: {Display(result.Path)} ({result.Bytes / 1e6:F1} MB, {result.Charts} charts, {result.Elapsed.TotalSeconds:F1} s)");
    }

    private static string Display(string path)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
