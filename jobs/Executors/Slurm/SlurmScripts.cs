using System.Text;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>
/// Writes the batch scripts: readable, self-contained, and submittable again by hand with plain
/// <c>sbatch FILE</c> (dependencies are given on datapipe's sbatch command line, not in the file,
/// so a hand resubmission does not wait on a job that finished long ago).
/// </summary>
public sealed class SlurmScripts(SlurmOptions options, string datapipe, IReadOnlyList<string> commonTaskArgs)
{
    /// <summary>
    /// The command that runs this very build of datapipe: the dotnet host and this dll, or the
    /// app host when started through it. Jobs must run the same code that planned them.
    /// </summary>
    public static string CurrentDatapipe()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(Program).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? Quote(host) + " " + Quote(dll) : Quote(host);
    }

    /// <summary>The array job of a stage: index i of 0..k-1 runs the rank on line i+1 of the ranks file.</summary>
    public string Array(string jobName, string stage, int worldSize, int count, string ranksFile, string logDir)
    {
        var sb = Header(jobName);
        sb.Append("#SBATCH --array=0-").Append(count - 1);
        if (options.MaxParallel > 0)
        {
            sb.Append('%').Append(options.MaxParallel);
        }
        sb.Append('\n');
        sb.Append("#SBATCH --output=").Append(Path.Combine(logDir, "slurm-%A_%a.out")).Append('\n');
        Options(sb);
        sb.Append($"# datapipe stage '{stage}': {count} of its {worldSize} tasks. Array index i runs the rank on line i+1 of\n");
        sb.Append($"# {ranksFile} (only tasks without a completion marker are submitted).\n");
        Setup(sb); // before set -u: site set-up scripts (module, conda) often read unset variables
        sb.Append("set -euo pipefail\n");
        sb.Append("RANK=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" ").Append(Quote(ranksFile)).Append(")\n");
        sb.Append("LOG=").Append(Quote(logDir)).Append("/rank-$(printf %05d \"$RANK\").log\n");
        sb.Append("echo \"== job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} on $(hostname) at $(date -u +%FT%TZ): rank $RANK\" >> \"$LOG\"\n");
        sb.Append("exec ").Append(datapipe).Append(" task ").Append(string.Join(' ', commonTaskArgs.Select(Quote)))
            .Append(" --stage ").Append(Quote(stage)).Append(" --world-size ").Append(worldSize)
            .Append(" --rank \"$RANK\" >> \"$LOG\" 2>&1\n");
        return sb.ToString();
    }

    /// <summary>The job after a stage's array: its once-per-stage work, and after the last stage the run's stats.</summary>
    public string Finalize(string jobName, string stage, int worldSize, string logDir)
    {
        var sb = Header(jobName);
        sb.Append("#SBATCH --output=").Append(Path.Combine(logDir, "finalize-%j.out")).Append('\n');
        Options(sb);
        sb.Append($"# datapipe stage '{stage}': runs once all {worldSize} tasks committed (stage finalizer; stats.json after the last stage).\n");
        Setup(sb); // before set -u: site set-up scripts (module, conda) often read unset variables
        sb.Append("set -euo pipefail\n");
        sb.Append("exec ").Append(datapipe).Append(" task ").Append(string.Join(' ', commonTaskArgs.Select(Quote)))
            .Append(" --stage ").Append(Quote(stage)).Append(" --world-size ").Append(worldSize).Append(" --finalize\n");
        return sb.ToString();
    }

    private static StringBuilder Header(string jobName) =>
        new StringBuilder("#!/bin/bash\n").Append("#SBATCH --job-name=").Append(jobName).Append('\n');

    private void Options(StringBuilder sb)
    {
        foreach (var a in options.CommonArgs())
        {
            sb.Append("#SBATCH ").Append(a).Append('\n');
        }
    }

    private void Setup(StringBuilder sb)
    {
        if (!string.IsNullOrWhiteSpace(options.Setup))
        {
            sb.Append(options.Setup.Trim()).Append('\n');
        }
    }

    /// <summary>Single-quotes a word for bash, whatever it holds.</summary>
    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or ',' or '+')
            ? s
            : "'" + s.Replace("'", "'\\''") + "'";
}
