namespace DataPipeline.Jobs.Tests;

/// <summary>
/// A test that needs a Slurm cluster. scripts/test.sh brings up a single-node one and exports
/// SLURM_CONF; the test is skipped, saying why, only where there is no sbatch to submit with.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        bool hasSbatch = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(System.IO.Path.Combine(d, "sbatch")));
        if (!hasSbatch)
        {
            Skip = "Slurm tests skipped: sbatch is not installed (scripts/test.sh installs slurm-wlm and starts a local cluster when it can; " +
                   (Environment.GetEnvironmentVariable("DATAPIPE_SLURM_SKIP_REASON") ?? "it was not run") + ")";
        }
        else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SLURM_CONF")) && !File.Exists("/etc/slurm/slurm.conf"))
        {
            Skip = "Slurm tests skipped: sbatch is installed but no cluster is configured (set SLURM_CONF, or run scripts/test.sh, which starts one)";
        }
    }
}
