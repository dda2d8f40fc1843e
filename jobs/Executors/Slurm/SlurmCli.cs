using System.Diagnostics;
using DataPipeline.Core.Errors;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>Runs Slurm's client commands (sbatch, squeue, scontrol, sacct, scancel) and returns what they print.</summary>
public sealed class SlurmCli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Whether a command is on PATH; Slurm's clients are only ever found there.</summary>
    public static bool IsOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    public static void Require(string tool, string what)
    {
        if (!IsOnPath(tool))
        {
            throw new DataPipelineException($"{what} needs Slurm's '{tool}' command, and it is not on PATH; run it where Slurm's client commands are installed (a cluster's login node)");
        }
    }

    public Result Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new DataPipelineException($"could not start {tool}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            throw new DataPipelineException($"{tool} {string.Join(' ', args)} did not answer in 2 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Submits a script; returns the job id (sbatch --parsable prints "ID" or "ID;CLUSTER").</summary>
    public string Submit(string script, string? afterOk)
    {
        var args = new List<string> { "--parsable" };
        if (afterOk is not null)
        {
            args.Add("--dependency=afterok:" + afterOk);
        }
        args.Add(script);
        var r = Run("sbatch", [.. args]);
        var id = r.Stdout.Trim().Split(';')[0];
        if (r.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            throw new DataPipelineException($"sbatch {script} failed (exit {r.ExitCode}): {(r.Stderr + r.Stdout).Trim()}");
        }
        return id;
    }

    /// <summary>Of the given job ids (array job ids), those still in the queue, pending or running.</summary>
    public HashSet<string> Active(IEnumerable<string> jobIds)
    {
        var ours = jobIds.ToHashSet(StringComparer.Ordinal);
        if (ours.Count == 0)
        {
            return [];
        }
        // All jobs, then filter: squeue -j with an id the controller has already forgotten fails.
        var r = Run("squeue", "-h", "-o", "%F");
        if (r.ExitCode != 0)
        {
            throw new DataPipelineException("squeue failed: " + (r.Stderr + r.Stdout).Trim());
        }
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(ours.Contains).ToHashSet(StringComparer.Ordinal);
    }
}
