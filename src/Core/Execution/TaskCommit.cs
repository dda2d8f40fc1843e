using System.Text.Json;
using DataPipeline.Core.Stats;

namespace DataPipeline.Core.Execution;

/// <summary>
/// The commit protocol of one task. Every output is written under a hidden temporary name
/// (<c>.part-00003.jsonl.zst.tmp</c>), flushed to disk, then renamed into place; only after every
/// rename does the completion marker appear, itself written the same way. A task killed at any
/// point leaves either no visible output or outputs without a marker, and a rerun of that task
/// first removes whatever the dead attempt left (its outputs are named by rank).
/// </summary>
public sealed class TaskCommit
{
    private readonly List<(string Temp, string Final)> _files = [];
    private readonly RunLayout _layout;
    private readonly string _stage;
    private readonly int _rank;

    public TaskCommit(RunLayout layout, string stage, int rank)
    {
        _layout = layout;
        _stage = stage;
        _rank = rank;
    }

    /// <summary>
    /// Reserves an output: returns the temporary path to write; it becomes <paramref name="finalPath"/> on
    /// commit. A side file that may never be written passes <paramref name="createDirectory"/> false and
    /// creates the folder itself on first write, so a clean run leaves no empty folders.
    /// </summary>
    public string Reserve(string finalPath, bool createDirectory = true)
    {
        var dir = Path.GetDirectoryName(finalPath)!;
        if (createDirectory)
        {
            Directory.CreateDirectory(dir);
        }
        var temp = TempPath(finalPath);
        _files.Add((temp, finalPath));
        return temp;
    }

    /// <summary>Reserves an output folder: a fresh temporary folder that is renamed to <paramref name="finalDirectory"/> on commit.</summary>
    public string ReserveDirectory(string finalDirectory)
    {
        var temp = TempPath(finalDirectory);
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
        Directory.CreateDirectory(temp);
        _directories.Add((temp, finalDirectory));
        return temp;
    }

    private readonly List<(string Temp, string Final)> _directories = [];

    public static string TempPath(string finalPath) =>
        Path.Combine(Path.GetDirectoryName(finalPath)!, "." + Path.GetFileName(finalPath) + ".tmp");

    /// <summary>
    /// Removes what an earlier attempt of this task may have left: its temporaries, and finished files
    /// in <paramref name="outputDirs"/> whose name starts with this rank's part prefix.
    /// </summary>
    public void CleanPrevious(IEnumerable<string> outputDirs)
    {
        string prefix = "part-" + RunLayout.RankName(_rank) + ".";
        foreach (var dir in outputDirs.Distinct())
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(file);
                if (name.StartsWith(prefix, StringComparison.Ordinal) || name.StartsWith("." + prefix, StringComparison.Ordinal))
                {
                    File.Delete(file);
                }
            }
            string bare = prefix.TrimEnd('.');
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                if (name == bare || name == "." + bare + ".tmp" || name.StartsWith(prefix, StringComparison.Ordinal) || name.StartsWith("." + prefix, StringComparison.Ordinal))
                {
                    Directory.Delete(sub, recursive: true);
                }
            }
        }
        var marker = _layout.MarkerPath(_stage, _rank);
        if (File.Exists(marker))
        {
            File.Delete(marker);
        }
    }

    /// <summary>Renames every reserved temporary that exists into place, then writes the marker.</summary>
    public void Commit(TaskStats stats)
    {
        foreach (var (temp, final) in _files)
        {
            if (File.Exists(temp))
            {
                FsyncFile(temp);
                File.Move(temp, final, overwrite: true);
                stats.Outputs.Add(Path.GetRelativePath(_layout.Root, final).Replace('\\', '/'));
            }
        }
        foreach (var (temp, final) in _directories)
        {
            if (Directory.Exists(temp))
            {
                if (Directory.Exists(final))
                {
                    Directory.Delete(final, recursive: true);
                }
                Directory.Move(temp, final);
                stats.Outputs.Add(Path.GetRelativePath(_layout.Root, final).Replace('\\', '/') + "/");
            }
        }
        var marker = _layout.MarkerPath(_stage, _rank);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        WriteAtomically(marker, JsonSerializer.SerializeToUtf8Bytes(stats, RunStats.JsonOptions));
    }

    /// <summary>Deletes the temporaries of a failed attempt.</summary>
    public void Abort()
    {
        foreach (var (temp, _) in _directories)
        {
            try
            {
                if (Directory.Exists(temp))
                {
                    Directory.Delete(temp, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left for the next attempt's CleanPrevious.
            }
        }
        foreach (var (temp, _) in _files)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // Left for the next attempt's CleanPrevious.
            }
        }
    }

    /// <summary>Writes a small file so that readers see the old content or the new, never a part.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var temp = TempPath(path);
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(content);
            f.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void FsyncFile(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        f.Flush(flushToDisk: true);
    }
}
