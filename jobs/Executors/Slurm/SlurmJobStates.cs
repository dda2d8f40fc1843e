namespace DataPipeline.Jobs.Executors.Slurm;

/// <summary>
/// The state of each array index (or of a plain job) as Slurm reports it: scontrol for jobs the
/// controller still holds (MinJobAge, 300 s by default, after they end), sacct for older ones
/// where accounting is on. A job neither knows is "UNKNOWN".
/// </summary>
public sealed class SlurmJobStates(SlurmCli cli)
{
    public const string Unknown = "UNKNOWN";

    /// <summary>Index (-1 for a job that is not an array) → state, such as PENDING, RUNNING, COMPLETED, FAILED, CANCELLED.</summary>
    public Dictionary<int, string> Of(string jobId)
    {
        var states = FromScontrol(jobId);
        return states.Count > 0 ? states : FromSacct(jobId);
    }

    private Dictionary<int, string> FromScontrol(string jobId)
    {
        var states = new Dictionary<int, string>();
        var r = cli.Run("scontrol", "show", "job", "-o", jobId);
        if (r.ExitCode != 0)
        {
            return states;
        }
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string? state = null, ids = null;
            foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (field.StartsWith("JobState=", StringComparison.Ordinal))
                {
                    state = field["JobState=".Length..];
                }
                else if (field.StartsWith("ArrayTaskId=", StringComparison.Ordinal))
                {
                    ids = field["ArrayTaskId=".Length..];
                }
            }
            if (state is not null)
            {
                foreach (var i in ids is null ? [-1] : ExpandIndices(ids))
                {
                    states[i] = state;
                }
            }
        }
        return states;
    }

    private Dictionary<int, string> FromSacct(string jobId)
    {
        var states = new Dictionary<int, string>();
        if (!SlurmCli.IsOnPath("sacct"))
        {
            return states;
        }
        // -X: the allocation only, not its steps; "12_3|FAILED", "12_[4-7]|PENDING", "13|COMPLETED".
        var r = cli.Run("sacct", "-n", "-P", "-X", "-j", jobId, "-o", "JobID,State");
        if (r.ExitCode != 0)
        {
            return states;
        }
        foreach (var line in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length < 2)
            {
                continue;
            }
            var state = parts[1].Split(' ')[0]; // "CANCELLED by 0"
            int u = parts[0].IndexOf('_', StringComparison.Ordinal);
            foreach (var i in u < 0 ? [-1] : ExpandIndices(parts[0][(u + 1)..].Trim('[', ']')))
            {
                states[i] = state;
            }
        }
        return states;
    }

    /// <summary>"3", "0-7%2", "1,3,5-6" → the indices.</summary>
    public static IEnumerable<int> ExpandIndices(string spec)
    {
        var list = spec.Split('%')[0];
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            if (ends.Length == 2 && int.TryParse(ends[0], out int a) && int.TryParse(ends[1], out int b))
            {
                for (int i = a; i <= b; i++)
                {
                    yield return i;
                }
            }
            else if (int.TryParse(part, out int one))
            {
                yield return one;
            }
        }
    }
}
