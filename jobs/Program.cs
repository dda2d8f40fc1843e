using System.CommandLine;
using DataPipeline.Jobs.Cli;

namespace DataPipeline.Jobs;

/// <summary>
/// The datapipe command. Exit codes: 0 success; 1 the run failed (a task failed, or bad input
/// with --on-error fail); 2 bad usage or configuration; 130 interrupted.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("datapipe: turn raw text corpora into training data for language models (ingest, filter, dedup, sample, tokenize, shard).")
        {
            RunCommand.Create(),
            TaskCommand.Create(),
            StatusCommand.Create(),
            CancelCommand.Create(),
            ConvertCommand.Create(),
            FilterCommand.Create(),
            TokenizeCommand.Create(),
            DedupCommand.Create(),
            SampleCommand.Create(),
            MixCommand.Create(),
            InspectCommand.Create(),
            ReportCommand.Create(),
            StepsCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine("error: " + error.Message);
            }
            Console.Error.WriteLine("see 'datapipe --help' or 'datapipe VERB --help'");
            return ExitCodes.Usage;
        }
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
