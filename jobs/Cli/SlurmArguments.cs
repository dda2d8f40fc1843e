using System.CommandLine;
using DataPipeline.Core.Config;
using DataPipeline.Jobs.Executors.Slurm;

namespace DataPipeline.Jobs.Cli;

/// <summary>The options of <c>run --executor slurm</c>; each overrides the pipeline file's <c>slurm:</c> value.</summary>
internal sealed class SlurmArguments
{
    private readonly Option<string?> _partition = new("--partition") { Description = "slurm: partition of every job" };
    private readonly Option<string?> _time = new("--time") { Description = "slurm: time limit per task (sbatch form, e.g. 02:00:00)" };
    private readonly Option<int> _cpus = new("--cpus-per-task") { Description = "slurm: CPUs per task" };
    private readonly Option<string?> _mem = new("--mem") { Description = "slurm: memory per task (e.g. 4G)" };
    private readonly Option<string?> _qos = new("--qos") { Description = "slurm: quality of service" };
    private readonly Option<string?> _account = new("--account") { Description = "slurm: account to charge" };
    private readonly Option<int> _maxParallel = new("--max-parallel") { Description = "slurm: most tasks of a stage running at once (the %N of --array)" };
    private readonly Option<string[]> _extra = new("--sbatch-arg") { Description = "slurm: a further sbatch argument, e.g. --sbatch-arg=--constraint=ssd (repeatable)", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _setup = new("--setup") { Description = "slurm: shell line each job runs first (e.g. 'module load dotnet')" };
    private readonly Option<bool> _wait = new("--wait") { Description = "slurm: wait until the run's jobs left the queue, print its status, exit 0 only if it completed" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _partition, _time, _cpus, _mem, _qos, _account, _maxParallel, _extra, _setup, _wait })
        {
            command.Options.Add(o);
        }
    }

    public SlurmOptions Options(ParseResult parse, SlurmConfig? file) => SlurmOptions.From(file, new SlurmOptions
    {
        Partition = parse.GetValue(_partition),
        Time = parse.GetValue(_time),
        CpusPerTask = parse.GetValue(_cpus),
        Mem = parse.GetValue(_mem),
        Qos = parse.GetValue(_qos),
        Account = parse.GetValue(_account),
        MaxParallel = parse.GetValue(_maxParallel),
        ExtraArgs = parse.GetValue(_extra) ?? [],
        Setup = parse.GetValue(_setup),
    });

    public bool Wait(ParseResult parse) => parse.GetValue(_wait);
}
