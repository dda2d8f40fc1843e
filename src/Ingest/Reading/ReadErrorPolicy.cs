using DataPipeline.Core.Errors;
using DataPipeline.Core.Stats;

namespace DataPipeline.Ingest.Reading;

/// <summary>
/// What readers do with bad input. With skip (the default) a bad record is counted by reason and
/// written to the quarantine sink, and a file that cannot be read to its end is recorded with the
/// fault; with fail the first of either is thrown as an <see cref="InputException"/>.
/// </summary>
public sealed class ReadErrorPolicy
{
    public ReadErrorPolicy(bool failFast, TaskStats stats, IQuarantineSink? quarantine)
    {
        FailFast = failFast;
        Stats = stats;
        Quarantine = quarantine;
    }

    public bool FailFast { get; }

    public TaskStats Stats { get; }

    public IQuarantineSink? Quarantine { get; }

    public void BadRecord(InputException error, ReadOnlySpan<byte> raw, FileStats file)
    {
        if (FailFast)
        {
            throw error;
        }
        Stats.Error(error.Reason);
        file.Records++;
        file.Errors++;
        Quarantine?.Write(error, raw);
    }

    public void FileFault(InputException error, FileStats file)
    {
        if (FailFast)
        {
            throw error;
        }
        Stats.FileFault(error.Reason);
        file.Fault = error.Message;
        Quarantine?.Write(error, []);
    }
}

/// <summary>Receives bad records: where they were, why, and their first bytes.</summary>
public interface IQuarantineSink
{
    void Write(InputException error, ReadOnlySpan<byte> raw);
}
