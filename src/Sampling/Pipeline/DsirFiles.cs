using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DataPipeline.Core.Errors;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// The files the DSIR passes hand each other, all named by the task that wrote them so a rerun of that task
/// replaces them:
/// <code>
/// NAME.counts/part-RRRRR.counts     the task's summed raw n-gram counts (FeatureCounts format)
/// NAME.counts/part-RRRRR.json       documents, eligible documents and n-grams the task saw (TaskCounts)
/// NAME.counts/part-RRRRR.features   every document's sparse (bucket, count) features, in order (DsirFeatureFile)
/// NAME.fit/fit.json                 the resolved plan: per-task document counts, k, totals, KL(target‖raw) (FitSummary)
/// NAME.fit/log_diff.bin, raw_probs.bin, target_probs.bin   float64 little-endian, as the golden files
/// NAME.weights/part-RRRRR.weights   per document: float64 log importance weight, int64 DSIR length
/// NAME.weights/part-RRRRR.top       the task's candidates, best first: float64 key, int64 global index, int64 length
/// NAME.weights/part-RRRRR.ids.jsonl with write_weights: id and weight per document (gathered into weights.jsonl)
/// NAME.select/part-RRRRR.sel        int64 positions within task R of the selected documents, ascending (repeats with replacement)
/// NAME/dsir/selected-RRRRR.counts   the n-gram counts of the documents task R kept (for KL(target‖selected))
/// </code>
/// </summary>
public static class DsirFiles
{
    public const string FitFile = "fit.json";
    public const string LogDiffFile = "log_diff.bin";
    public const string RawProbsFile = "raw_probs.bin";
    public const string TargetProbsFile = "target_probs.bin";
    public const string SelectedCountsDir = "dsir";

    public static string Part(int rank) => "part-" + rank.ToString("D5", CultureInfo.InvariantCulture);

    public static string SelectedCounts(int rank) => Path.Combine(SelectedCountsDir, "selected-" + rank.ToString("D5", CultureInfo.InvariantCulture) + ".counts");

    public static void WriteFloat64(string path, ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }
        File.WriteAllBytes(path, bytes);
    }

    public static double[] ReadFloat64(string path)
    {
        var bytes = ReadRequired(path);
        if (bytes.Length % 8 != 0)
        {
            throw new DataPipelineException($"dsir: {path} is not a float64 vector ({bytes.Length} bytes)");
        }
        var values = new double[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
        }
        return values;
    }

    public static byte[] ReadRequired(string path) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new DataPipelineException($"dsir: {path} is missing; the pass that writes it has not run (rerun the stage with --overwrite)");

    public static T ReadJson<T>(string path) =>
        JsonSerializer.Deserialize<T>(ReadRequired(path)) ?? throw new DataPipelineException($"dsir: {path} is empty");

    public static void WriteJson<T>(string path, T value) =>
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, Indented));

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes int64 values, little-endian, no header.</summary>
    public static void WriteInt64s(string path, ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }
        File.WriteAllBytes(path, bytes);
    }

    public static long[] ReadInt64s(string path)
    {
        var bytes = ReadRequired(path);
        if (bytes.Length % 8 != 0)
        {
            throw new DataPipelineException($"dsir: {path} is corrupt ({bytes.Length} bytes)");
        }
        var values = new long[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * 8));
        }
        return values;
    }

    /// <summary>One candidate of a task's top-k: its key, global position and DSIR length.</summary>
    public readonly record struct Candidate(double Key, long Index, long Length);

    public static void WriteCandidates(string path, IReadOnlyList<Candidate> candidates)
    {
        var bytes = new byte[candidates.Count * 24];
        for (int i = 0; i < candidates.Count; i++)
        {
            var span = bytes.AsSpan(i * 24);
            BinaryPrimitives.WriteDoubleLittleEndian(span, candidates[i].Key);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], candidates[i].Index);
            BinaryPrimitives.WriteInt64LittleEndian(span[16..], candidates[i].Length);
        }
        File.WriteAllBytes(path, bytes);
    }

    public static List<Candidate> ReadCandidates(string path)
    {
        var bytes = ReadRequired(path);
        if (bytes.Length % 24 != 0)
        {
            throw new DataPipelineException($"dsir: {path} is corrupt ({bytes.Length} bytes)");
        }
        var list = new List<Candidate>(bytes.Length / 24);
        for (int i = 0; i < bytes.Length; i += 24)
        {
            list.Add(new Candidate(BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i)), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i + 8)),
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i + 16))));
        }
        return list;
    }
}

/// <summary>What one counts task saw.</summary>
public sealed class TaskCounts
{
    [JsonPropertyName("documents")]
    public long Documents { get; set; }

    [JsonPropertyName("eligible")]
    public long Eligible { get; set; }

    [JsonPropertyName("ngrams")]
    public long Ngrams { get; set; }
}

/// <summary>The fit pass's result that the later passes plan by.</summary>
public sealed class FitSummary
{
    [JsonPropertyName("buckets")]
    public int Buckets { get; set; }

    [JsonPropertyName("ngrams")]
    public int Ngrams { get; set; }

    /// <summary>Documents each counts task read, by rank: the weights and filter passes must read the same.</summary>
    [JsonPropertyName("task_documents")]
    public long[] TaskDocuments { get; set; } = [];

    /// <summary>Eligible documents each counts task read: where each task's share of numpy's Gumbel stream starts.</summary>
    [JsonPropertyName("task_eligible")]
    public long[] TaskEligible { get; set; } = [];

    [JsonPropertyName("size")]
    public string Size { get; set; } = "";

    /// <summary>k resolved from k or fraction; -1 for a token budget.</summary>
    [JsonPropertyName("k")]
    public long K { get; set; }

    [JsonPropertyName("raw_ngrams")]
    public long RawNgrams { get; set; }

    [JsonPropertyName("target_documents")]
    public long TargetDocuments { get; set; }

    [JsonPropertyName("target_ngrams")]
    public long TargetNgrams { get; set; }

    [JsonPropertyName("kl_target_raw")]
    public double KlTargetRaw { get; set; }

    /// <summary>The counts pass's folder, relative to the fit pass's (so outputs do not depend on where the run is), whose per-task <c>.features</c> files the weights pass reads instead of featurizing again.</summary>
    [JsonPropertyName("counts_dir")]
    public string? CountsDir { get; set; }

    public long DocumentsBefore(int rank) => TaskDocuments.Take(rank).Sum();

    public long EligibleBefore(int rank) => TaskEligible.Take(rank).Sum();

    public void CheckTasks(string pass, int worldSize)
    {
        if (TaskDocuments.Length != worldSize)
        {
            throw new DataPipelineException(
                $"dsir {pass}: the counts pass ran as {TaskDocuments.Length} tasks but this pass has {worldSize}; the passes must split the input the same way (rerun the stage with --overwrite)");
        }
    }

    public void CheckDocuments(string pass, int rank, long seen)
    {
        if (seen != TaskDocuments[rank])
        {
            throw new DataPipelineException(
                $"dsir {pass}: task {rank} read {seen} documents but the counts pass read {TaskDocuments[rank]}; the input changed between the passes (rerun the stage with --overwrite)");
        }
    }
}
