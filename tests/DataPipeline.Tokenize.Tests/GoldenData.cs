namespace DataPipeline.Tokenize.Tests;

/// <summary>
/// Finds the shared/ folder that sits beside the repository (X/main and X/shared; CI clones main
/// elsewhere with shared beside it) by walking up from the test binaries.
/// </summary>
internal static class GoldenData
{
    public static string Golden(params string[] parts) => SharedFolder.Golden(parts);
}
