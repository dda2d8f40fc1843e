using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering;
using DataPipeline.Jobs.Executors;

namespace DataPipeline.Jobs.Cli;

/// <summary>
/// Runs a verb's body with the error boundary every verb shares: our own errors print as one
/// clear line (never a bare stack trace), Ctrl-C cancels cleanly, anything unexpected is reported
/// as a bug with its type and message.
/// </summary>
internal static class CommandRunner
{
    public static int Guard(Func<CancellationToken, int> body)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("\ninterrupted: stopping tasks (completed tasks are kept; rerun with --resume)");
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return body(cts.Token);
        }
        catch (InputException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (Runtime.RunFailedException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (DataPipelineException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("error: " + ErrorText.Of(e));
            if (Environment.GetEnvironmentVariable("DATAPIPE_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }
            return ExitCodes.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Every step type the CLI knows: each stage library registers its own.</summary>
    public static StepRegistry AllSteps()
    {
        var registry = new StepRegistry();
        FilteringSteps.Register(registry);
        Dedup.DedupSteps.Register(registry);
        Sampling.SamplingSteps.Register(registry);
        Tokenize.Steps.TokenizeStep.Register(registry);
        return registry;
    }
}

/// <summary>A usage or configuration problem (exit code 2).</summary>
internal sealed class ConfigException(string message) : DataPipelineException(message);
