namespace DataPipeline.Ingest.Reading;

/// <summary>How to turn records into documents.</summary>
public sealed class ReaderOptions
{
    public string TextField { get; init; } = "text";

    public string IdField { get; init; } = "id";

    /// <summary>auto (from the file name), jsonl, parquet, arrow or text.</summary>
    public string Format { get; init; } = "auto";

    /// <summary>Records longer than this are quarantined as document_too_large rather than read.</summary>
    public long MaxRecordBytes { get; init; } = 1L << 30;
}
