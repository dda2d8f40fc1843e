using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>The sbatch settings of a run: the pipeline's <c>slurm:</c> section with command-line values on top.</summary>
public sealed record SlurmOptions
{
    public string? Partition { get; init; }

    public string? Time { get; init; }

    public int CpusPerTask { get; init; }

    public string? Mem { get; init; }

    public string? Qos { get; init; }

    public string? Account { get; init; }

    public int MaxParallel { get; init; }

    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    public string? Setup { get; init; }

    /// <summary>Merges: a value given on the command line wins over the pipeline file's; extra arguments add up.</summary>
    public static SlurmOptions From(SlurmConfig? file, SlurmOptions cli)
    {
        file ??= new SlurmConfig();
        return new SlurmOptions
        {
            Partition = cli.Partition ?? file.Partition,
            Time = cli.Time ?? file.Time,
            CpusPerTask = cli.CpusPerTask > 0 ? cli.CpusPerTask : file.CpusPerTask,
            Mem = cli.Mem ?? file.Mem,
            Qos = cli.Qos ?? file.Qos,
            Account = cli.Account ?? file.Account,
            MaxParallel = cli.MaxParallel > 0 ? cli.MaxParallel : file.MaxParallel,
            ExtraArgs = [.. file.ExtraArgs, .. cli.ExtraArgs],
            Setup = cli.Setup ?? file.Setup,
        };
    }

    /// <summary>The #SBATCH arguments every job of the run shares.</summary>
    public IEnumerable<string> CommonArgs()
    {
        if (Partition is not null)
        {
            yield return "--partition=" + Partition;
        }
        if (Time is not null)
        {
            yield return "--time=" + Time;
        }
        if (CpusPerTask > 0)
        {
            yield return "--cpus-per-task=" + CpusPerTask;
        }
        if (Mem is not null)
        {
            yield return "--mem=" + Mem;
        }
        if (Qos is not null)
        {
            yield return "--qos=" + Qos;
        }
        if (Account is not null)
        {
            yield return "--account=" + Account;
        }
        // A failed task must cancel the stages after it, not leave them pending forever
        // (clusters without DependencyParameters=kill_invalid_depend do the latter).
        yield return "--kill-on-invalid-dep=yes";
        foreach (var a in ExtraArgs)
        {
            yield return a;
        }
    }
}
