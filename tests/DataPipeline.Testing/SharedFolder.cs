namespace DataPipeline.Testing;

/// <summary>
/// The shared/ folder that sits beside the repository checkout (X/main and X/shared; CI clones
/// main elsewhere with shared beside it), found by walking up from the test binaries.
/// </summary>
public static class SharedFolder
{
    private static readonly Lazy<string> SharedRoot = new(Find);

    public static string Root => SharedRoot.Value;

    public static string Golden(params string[] parts) => Path.Combine([Root, "golden", .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "golden")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            $"No 'shared' folder with golden/ found in any parent of {AppContext.BaseDirectory}. " +
            "The golden files live in shared/golden beside the repository checkout (X/main and X/shared).");
    }
}
