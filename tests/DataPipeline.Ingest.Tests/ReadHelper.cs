using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Ingest.Tests;

/// <summary>Reads files the way a task does, collecting documents, bad records and faults.</summary>
internal sealed class ReadHelper : IQuarantineSink
{
    public List<InputException> Bad { get; } = [];

    public TaskStats Stats { get; } = new();

    public FileStats File { get; private set; } = new();

    public void Write(InputException error, ReadOnlySpan<byte> raw) => Bad.Add(error);

    public List<Document> Read(string path, InputSlice? slice = null, ReaderOptions? options = null, bool failFast = false)
    {
        options ??= new ReaderOptions();
        var info = new FileInfo(path);
        var file = new InputFile(info.FullName, info.Name, info.Name, info.Length);
        File = new FileStats { Path = info.Name };
        var reader = InputFormats.CreateReader(InputFormats.Detect(path, options.Format), options);
        return reader.Read(slice ?? InputSlice.WholeFile(info.FullName, info.Length), file, File, new ReadErrorPolicy(failFast, Stats, this), null).ToList();
    }
}
