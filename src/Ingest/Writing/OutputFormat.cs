using DataPipeline.Core.Compression;
using DataPipeline.Core.Errors;

namespace DataPipeline.Ingest.Writing;

/// <summary>The document formats a stage can write.</summary>
public sealed record OutputFormat(string Name, string Extension, Codec Codec, bool IsParquet)
{
    public static readonly OutputFormat Jsonl = new("jsonl", ".jsonl", Codec.None, false);
    public static readonly OutputFormat JsonlGz = new("jsonl.gz", ".jsonl.gz", Codec.Gzip, false);
    public static readonly OutputFormat JsonlZst = new("jsonl.zst", ".jsonl.zst", Codec.Zstd, false);
    public static readonly OutputFormat Parquet = new("parquet", ".parquet", Codec.None, true);

    public static readonly IReadOnlyList<OutputFormat> All = [Jsonl, JsonlGz, JsonlZst, Parquet];

    public static OutputFormat Parse(string name) =>
        All.FirstOrDefault(f => f.Name == name)
        ?? throw new DataPipelineException($"unknown output format '{name}'; use one of {string.Join(", ", All.Select(f => f.Name))}");

    public override string ToString() => Name;
}

/// <summary>Writes one file of documents. <see cref="Complete"/> finishes the file; disposing without it abandons it.</summary>
public interface IDocumentWriter : IDisposable
{
    void Write(Core.Documents.Document document);

    void Complete();

    long DocumentsWritten { get; }
}

public static class DocumentWriters
{
    public static IDocumentWriter Create(string path, OutputFormat format, string idField = "id", string textField = "text") =>
        format.IsParquet
            ? new ParquetDocumentWriter(path, idField, textField)
            : new JsonlWriter(path, format.Codec, idField, textField);
}
