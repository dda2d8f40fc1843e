using DataPipeline.Core.Errors;

namespace DataPipeline.Filtering.FastText;

/// <summary>
/// Where model files installed by <c>scripts/setup.sh</c> are found: the project's <c>models/</c>
/// folder, looked for above the running program (a checkout's build output, or an installed copy
/// with <c>models/</c> beside it) and then above the current folder.
/// </summary>
public static class ModelFiles
{
    /// <summary>The language-id model's path inside the project.</summary>
    public const string LidRelativePath = "models/lid.176.ftz";

    /// <summary>The first existing <paramref name="relativePath"/> above the program's folder or the current folder, or null.</summary>
    public static string? Find(string relativePath)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    /// <summary>The language-id model, or an error that says how to install it.</summary>
    public static string RequireLid() =>
        Find(LidRelativePath) ?? throw new DataPipelineException(
            $"the language-id model {LidRelativePath} was not found above {AppContext.BaseDirectory} or the current folder; " +
            "run scripts/setup.sh (it installs lid.176.ftz from the npm package fasttext.wasm.js@1.0.0), or give the step a model: path");
}
