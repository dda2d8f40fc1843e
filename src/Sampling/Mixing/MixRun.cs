using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;
using DataPipeline.Ingest.Writing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DataPipeline.Sampling.Mixing;

/// <summary>A mix file (<c>datapipe mix --config MIX.yaml</c>); README.md documents the format.</summary>
public sealed class MixConfig
{
    public List<MixSourceConfig> Sources { get; set; } = [];

    /// <summary>documents or tokens (whitespace-separated words).</summary>
    public string Unit { get; set; } = "documents";

    /// <summary>The mix's size in <see cref="Unit"/>; 0 = the sources' total size.</summary>
    public double Size { get; set; }

    public double Temperature { get; set; } = 1.0;

    public ulong Seed { get; set; }

    /// <summary>Output folder, relative to the mix file's folder; <c>--output</c> overrides it.</summary>
    public string? Output { get; set; }

    /// <summary>jsonl, jsonl.gz, jsonl.zst or parquet.</summary>
    public string Format { get; set; } = "jsonl.zst";

    public string TextField { get; set; } = "text";

    public string IdField { get; set; } = "id";

    [YamlIgnore]
    public string BaseDirectory { get; set; } = Directory.GetCurrentDirectory();

    public static MixConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new DataPipelineException($"mix file not found: {path}");
        }
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        MixConfig? config;
        try
        {
            config = deserializer.Deserialize<MixConfig>(File.ReadAllText(path));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException is null ? "" : " (" + e.InnerException.Message + ")";
            throw new DataPipelineException($"{path}, line {e.Start.Line}, column {e.Start.Column}: {e.Message}{inner}", e);
        }
        config ??= new MixConfig();
        config.BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        if (config.Sources.Count == 0)
        {
            throw new DataPipelineException($"{path}: the mix has no sources");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in config.Sources)
        {
            if (string.IsNullOrWhiteSpace(s.Name) || !names.Add(s.Name))
            {
                throw new DataPipelineException($"{path}: every source needs a name of its own ('{s.Name}')");
            }
            if (s.Paths.Count == 0)
            {
                throw new DataPipelineException($"{path}: source '{s.Name}' has no paths");
            }
        }
        return config;
    }

    public MixUnit ParsedUnit => Unit switch
    {
        "documents" => MixUnit.Documents,
        "tokens" => MixUnit.Tokens,
        _ => throw new DataPipelineException($"mix: unit must be 'documents' or 'tokens', not '{Unit}'"),
    };
}

public sealed class MixSourceConfig
{
    public string Name { get; set; } = "";

    /// <summary>Files, folders or globs, relative to the mix file's folder.</summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>Explicit weight (normalised over the sources); without it, p ∝ size^(1/temperature).</summary>
    public double? Weight { get; set; }
}

/// <summary>
/// Runs a mix in one process: reads every source once to measure it, plans the mix (<see cref="MixPlanner"/>),
/// draws each source's copies (<see cref="MixSampler"/>, seeded per source), then reads the sources again and writes
/// the chosen documents — source by source, each in its input order, a repeated document once per copy — with
/// metadata <c>mix_source</c>. Writes <c>mix.json</c> with the plan and what was written.
/// </summary>
public static class MixRun
{
    public static IReadOnlyList<MixSourceResult> Run(MixConfig config, string outputDir, CancellationToken cancellation)
    {
        var unit = config.ParsedUnit;
        var format = OutputFormat.Parse(config.Format);
        var reader = new ReaderOptions { TextField = config.TextField, IdField = config.IdField };
        var files = config.Sources.Select(s => InputResolver.Resolve(s.Paths, config.BaseDirectory)).ToList();
        var sizes = new List<List<long>>();
        var measured = new List<MixSourceSize>();
        for (int i = 0; i < config.Sources.Count; i++)
        {
            var perDoc = new List<long>();
            foreach (var d in Read(files[i], reader, cancellation))
            {
                perDoc.Add(unit == MixUnit.Documents ? 1 : Words(d.Text));
            }
            sizes.Add(perDoc);
            measured.Add(new MixSourceSize(config.Sources[i].Name, perDoc.Count, unit == MixUnit.Tokens ? perDoc.Sum() : perDoc.Count, config.Sources[i].Weight));
        }
        double target = config.Size > 0 ? config.Size : measured.Sum(m => unit == MixUnit.Documents ? m.Documents : m.Tokens);
        var plans = MixPlanner.Plan(measured, unit, config.Temperature, target);
        Directory.CreateDirectory(outputDir);
        var partPath = Path.Combine(outputDir, "part-00000" + format.Extension);
        var temp = Path.Combine(outputDir, ".part-00000" + format.Extension + ".tmp");
        var results = new List<MixSourceResult>();
        using (var writer = DocumentWriters.Create(temp, format, config.IdField, config.TextField))
        {
            for (int i = 0; i < config.Sources.Count; i++)
            {
                var copies = MixSampler.Copies(sizes[i], plans[i].Quota, MixSampler.SourceSeed(config.Seed, i));
                long docs = 0, units = 0, distinct = 0, position = 0;
                foreach (var d in Read(files[i], reader, cancellation))
                {
                    if (position >= copies.Length)
                    {
                        throw new DataPipelineException($"mix: source '{plans[i].Name}' changed while it was read");
                    }
                    int c = copies[position];
                    if (c > 0)
                    {
                        d.Metadata.Set("mix_source", plans[i].Name);
                        distinct++;
                        for (int k = 0; k < c; k++)
                        {
                            writer.Write(d);
                        }
                        docs += c;
                        units += c * sizes[i][(int)position];
                    }
                    position++;
                }
                results.Add(new MixSourceResult(plans[i], docs, distinct, units));
            }
            writer.Complete();
        }
        File.Move(temp, partPath, overwrite: true);
        var summary = new
        {
            unit = config.Unit,
            size = target,
            temperature = config.Temperature,
            seed = config.Seed,
            sources = results.Select(r => new
            {
                name = r.Plan.Name,
                available = r.Plan.Size,
                probability = r.Plan.Probability,
                quota = r.Plan.Quota,
                epochs = r.Plan.Epochs,
                documents_written = r.DocumentsWritten,
                distinct_documents = r.DistinctDocuments,
                units_written = r.UnitsWritten,
            }),
        };
        File.WriteAllText(Path.Combine(outputDir, "mix.json"), JsonSerializer.Serialize(summary, Indented));
        return results;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Whitespace-separated words: the mix's token measure.</summary>
    public static long Words(string text)
    {
        long n = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                n++;
            }
            inWord = !space;
        }
        return n;
    }

    private static IEnumerable<Document> Read(IReadOnlyList<InputFile> files, ReaderOptions options, CancellationToken cancellation)
    {
        var errors = new ReadErrorPolicy(failFast: true, new TaskStats(), null);
        foreach (var file in files)
        {
            var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), options);
            foreach (var d in reader.Read(InputSlice.WholeFile(file.FullPath, file.Size), file, new FileStats { Path = file.DisplayPath }, errors, null))
            {
                cancellation.ThrowIfCancellationRequested();
                yield return d;
            }
        }
    }
}

/// <summary>What one source put into the mix.</summary>
public sealed record MixSourceResult(MixSourcePlan Plan, long DocumentsWritten, long DistinctDocuments, long UnitsWritten);
