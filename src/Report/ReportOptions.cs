namespace DataPipeline.Report;

/// <summary>Bounds that keep a report fast on a large run.</summary>
public sealed record ReportOptions
{
    /// <summary>Documents sampled from a stage's input and from its output for the length and language charts.</summary>
    public int SampleDocuments { get; init; } = 5000;

    /// <summary>Removed documents shown per step and reason.</summary>
    public int ExamplesPerReason { get; init; } = 3;

    /// <summary>Bytes of removed documents read per stage while looking for examples.</summary>
    public long RemovedBytesPerStage { get; init; } = 48L << 20;
}
