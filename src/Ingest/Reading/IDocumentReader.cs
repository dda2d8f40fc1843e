using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;

namespace DataPipeline.Ingest.Reading;

/// <summary>Reads the documents of one input slice, streaming, reporting bad input to the policy.</summary>
public interface IDocumentReader
{
    /// <param name="slice">What to read.</param>
    /// <param name="file">Display name and id base of the file.</param>
    /// <param name="stats">The file's counters (records, documents, errors, fault), updated as it is read.</param>
    /// <param name="errors">What to do with bad records and faults (count and quarantine, or throw).</param>
    /// <param name="progress">Called with the number of input bytes consumed since the last call.</param>
    IEnumerable<Document> Read(InputSlice slice, InputFile file, FileStats stats, ReadErrorPolicy errors, Action<long>? progress);
}

/// <summary>An input file: its path, the name used in messages, and the name stable ids are built from.</summary>
public sealed record InputFile(string FullPath, string DisplayPath, string IdName, long Size);
