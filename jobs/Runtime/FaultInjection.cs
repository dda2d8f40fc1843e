using System.Globalization;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// Fault injection for the executor tests. DATAPIPE_INJECT_FAIL=STAGE:RANK[:ONCE_FILE] makes that
/// task fail after it has written its first document (so a temporary file exists when it dies).
/// With ONCE_FILE the task fails only while that file does not exist, and creates it as it fails:
/// a rerun then succeeds, as after a transient fault on a real cluster.
/// </summary>
internal static class FaultInjection
{
    private static readonly string? Spec = Environment.GetEnvironmentVariable("DATAPIPE_INJECT_FAIL");

    public static void MaybeFail(string stage, int rank)
    {
        if (string.IsNullOrEmpty(Spec))
        {
            return;
        }
        var parts = Spec.Split(':', 3);
        if (parts.Length < 2 || parts[0] != stage || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int r) || r != rank)
        {
            return;
        }
        if (parts.Length == 3)
        {
            try
            {
                // CreateNew: of two attempts racing, exactly one sees the file missing and fails.
                using var once = new FileStream(parts[2], FileMode.CreateNew);
            }
            catch (IOException)
            {
                return;
            }
        }
        throw new RunFailedException($"injected failure (DATAPIPE_INJECT_FAIL={Spec}) in task {rank} of stage '{stage}'");
    }
}
