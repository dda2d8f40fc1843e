using System.Text;
using System.Text.RegularExpressions;
using DataPipeline.Core.Errors;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Ingest.Inputs;

/// <summary>
/// Expands the user's input paths (files, folders, globs with <c>*</c>, <c>?</c> and <c>**</c>)
/// into a sorted, de-duplicated list of files. A folder stands for every file below it. Hidden
/// files (a name starting with '.') are skipped: that is where unfinished outputs live.
/// </summary>
public static class InputResolver
{
    public static IReadOnlyList<InputFile> Resolve(IEnumerable<string> patterns, string baseDirectory)
    {
        var found = new SortedDictionary<string, InputFile>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var files = Expand(pattern, baseDirectory);
            if (files.Count == 0)
            {
                throw new DataPipelineException($"no input file matches '{pattern}'");
            }
            foreach (var f in files)
            {
                found.TryAdd(f.FullPath, f);
            }
        }
        return [.. found.Values];
    }

    private static List<InputFile> Expand(string pattern, string baseDirectory)
    {
        string full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDirectory, pattern);
        int wild = full.IndexOfAny(['*', '?', '[']);
        var result = new List<InputFile>();
        if (wild < 0)
        {
            full = Path.GetFullPath(full);
            if (File.Exists(full))
            {
                result.Add(Make(full, Path.GetDirectoryName(full)!));
            }
            else if (Directory.Exists(full))
            {
                foreach (var f in Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden }))
                {
                    if (!IsHidden(f, full))
                    {
                        result.Add(Make(Path.GetFullPath(f), full));
                    }
                }
            }
            return result;
        }
        int slash = full.LastIndexOf('/', wild);
        string root = Path.GetFullPath(slash <= 0 ? "/" : full[..slash]);
        string rel = full[(slash + 1)..];
        if (!Directory.Exists(root))
        {
            return result;
        }
        var regex = new Regex("^" + GlobToRegex(rel) + "$", RegexOptions.CultureInvariant);
        bool recursive = rel.Contains('/', StringComparison.Ordinal) || rel.Contains("**", StringComparison.Ordinal);
        foreach (var f in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = recursive, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root, f).Replace('\\', '/');
            if (regex.IsMatch(relative) && !IsHidden(f, root))
            {
                result.Add(Make(Path.GetFullPath(f), root));
            }
        }
        return result;
    }

    private static bool IsHidden(string file, string root) =>
        Path.GetRelativePath(root, file).Split('/', '\\').Any(part => part.StartsWith('.'));

    private static InputFile Make(string fullPath, string root)
    {
        var cwd = Directory.GetCurrentDirectory();
        var display = Path.GetRelativePath(cwd, fullPath);
        if (display.StartsWith("..", StringComparison.Ordinal))
        {
            display = fullPath;
        }
        var idName = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
        return new InputFile(fullPath, display, idName, new FileInfo(fullPath).Length);
    }

    /// <summary><c>**/</c> matches any number of folders, <c>*</c> and <c>?</c> stay inside one name.</summary>
    public static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < glob.Length; i++)
        {
            char c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                bool slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }
        return sb.ToString();
    }
}
