using System.Diagnostics;

namespace DataPipeline.Jobs.Tests;

/// <summary>Runs the real datapipe program as a separate process, as a user or a scheduler would.</summary>
internal static class Cli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "datapipe.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Process Start(string workDir, IDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["TERM"] = "dumb";
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        return Process.Start(psi)!;
    }

    public static Result Run(string workDir, params string[] args) => RunWith(workDir, null, args);

    public static Result RunWith(string workDir, IDictionary<string, string>? env, params string[] args)
    {
        using var p = Start(workDir, env, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("datapipe " + string.Join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The repository's root (for the sample corpus and pipelines), found from the test binaries.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DataPipeline.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("repository root (DataPipeline.sln) not found above " + AppContext.BaseDirectory);
        }
    }
}
