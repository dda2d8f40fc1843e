using System.Text.Json;

namespace DataPipeline.Ingest.Reading;

/// <summary>
/// The exceptions a damaged columnar file (Parquet, Arrow) raises from its decoder: reported as a
/// fault of that file, naming it, instead of failing the task. Anything else is a bug and propagates.
/// </summary>
internal static class ReadFaults
{
    public static bool IsReadFault(Exception e) =>
        e is IOException or InvalidDataException or InvalidOperationException or NotSupportedException
            or ArgumentException or OverflowException or IndexOutOfRangeException or JsonException;
}
