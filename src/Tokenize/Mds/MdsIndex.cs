using System.Buffers;
using System.Text.Json;

namespace DataPipeline.Tokenize.Mds;

/// <summary>Reading a dataset's index.json, and merging per-task sub-datasets into one index.</summary>
public static class MdsIndex
{
    public const string FileName = "index.json";

    private static readonly string[] FileKeys = ["raw_data", "zip_data", "raw_meta", "zip_meta"];

    public static IReadOnlyList<MdsShardInfo> Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No MDS index at '{path}'.", path);
        }
        return MdsIndexJson.Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Merges the index.json of every immediate subfolder of <paramref name="root"/> (in sorted path
    /// order, as upstream's <c>merge_index(root)</c> lists them) into <c>root/index.json</c>.
    /// </summary>
    public static void Merge(string root)
    {
        var files = Directory.EnumerateDirectories(root)
            .Select(d => Path.GetFileName(d) + "/" + FileName)
            .Where(rel => File.Exists(Path.Combine(root, rel)))
            .Order(CodePointComparer.Instance)
            .Select(rel => Path.Combine(root, rel))
            .ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No '*/{FileName}' under '{root}' to merge.");
        }
        Merge(files, root);
    }

    /// <summary>
    /// Upstream's <c>_merge_index_from_list</c>: concatenates the shard lists in the given order
    /// (duplicates dropped), prefixes each file basename with the name of the folder its index.json
    /// sits in, and writes <c>{"version": 2, "shards": [...]}</c> with <c>json.dump</c> defaults:
    /// not key-sorted, and each shard keeps the key order its own index.json had.
    /// </summary>
    public static void Merge(IEnumerable<string> indexFiles, string root)
    {
        ArgumentNullException.ThrowIfNull(indexFiles);
        var buffer = new ArrayBufferWriter<byte>(4096);
        var w = new PythonJsonWriter(buffer);
        w.BeginObject();
        w.PropertyName("version");
        w.Int(MdsShardConfig.Version);
        w.PropertyName("shards");
        w.BeginArray();
        foreach (string file in indexFiles.Select(f => f.TrimEnd('/').Trim()).Distinct(StringComparer.Ordinal))
        {
            string prefix = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? "";
            // Parse strictly first, so that a broken part fails the merge with its own name.
            var bytes = File.ReadAllBytes(file);
            MdsIndexJson.Parse(bytes, file);
            using var doc = JsonDocument.Parse(bytes);
            foreach (var shard in doc.RootElement.GetProperty("shards").EnumerateArray())
            {
                WriteShard(w, shard, prefix);
            }
        }
        w.EndArray();
        w.EndObject();
        Directory.CreateDirectory(root);
        string target = Path.Combine(root, FileName);
        File.WriteAllBytes(target + ".tmp", buffer.WrittenSpan.ToArray());
        File.Move(target + ".tmp", target, overwrite: true);
    }

    private static void WriteShard(PythonJsonWriter w, JsonElement shard, string prefix)
    {
        w.BeginObject();
        foreach (var p in shard.EnumerateObject())
        {
            w.PropertyName(p.Name);
            bool isFile = Array.IndexOf(FileKeys, p.Name) >= 0 && p.Value.ValueKind == JsonValueKind.Object && p.Value.EnumerateObject().Any();
            if (!isFile)
            {
                PythonJsonElement.Write(w, p.Value, sortKeys: false);
                continue;
            }
            w.BeginObject();
            foreach (var f in p.Value.EnumerateObject())
            {
                w.PropertyName(f.Name);
                if (f.Name == "basename")
                {
                    w.String(JoinLikePython(prefix, f.Value.GetString() ?? ""));
                }
                else
                {
                    PythonJsonElement.Write(w, f.Value, sortKeys: false);
                }
            }
            w.EndObject();
        }
        w.EndObject();
    }

    // os.path.join: an absolute second part wins, an empty first part adds nothing.
    private static string JoinLikePython(string a, string b) =>
        b.StartsWith('/') ? b : a.Length == 0 ? b : a.EndsWith('/') ? a + b : a + "/" + b;
}
