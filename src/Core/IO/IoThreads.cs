namespace DataPipeline.Core.IO;

/// <summary>
/// The one switch for a task's helper threads: reading ahead (<see cref="ReadAheadStream"/>), parsing
/// ahead (<see cref="Prefetch"/>) and writing behind (<see cref="WriteBehindStream"/>). On unless
/// <c>DATAPIPE_READ_AHEAD=0</c>, which keeps all of a task's work on its own thread (e.g. for a run
/// pinned to one core, or to measure per-core speed).
/// </summary>
public static class IoThreads
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("DATAPIPE_READ_AHEAD") != "0";
}
