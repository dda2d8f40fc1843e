using System.Text.Json;
using System.Text.Json.Serialization;
using DataPipeline.Core.Config;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// A stage resolved against its inputs: the files it reads, its task count T, and the slices of
/// each task. Planning is deterministic, so every executor and every rerun sees the same tasks.
/// </summary>
public sealed class StagePlan
{
    private StagePlan(StageConfig stage, int index, IReadOnlyList<InputFile> files, int tasks, IReadOnlyList<InputSlice>[] slices, ReaderOptions reader)
    {
        Stage = stage;
        Index = index;
        Files = files;
        _byPath = files.ToDictionary(f => f.FullPath, StringComparer.Ordinal);
        Tasks = tasks;
        Slices = slices;
        Reader = reader;
    }

    public StageConfig Stage { get; }

    public int Index { get; }

    public IReadOnlyList<InputFile> Files { get; }

    public int Tasks { get; }

    public IReadOnlyList<InputSlice>[] Slices { get; }

    public ReaderOptions Reader { get; }

    public long TotalInputBytes => Files.Sum(f => f.Size);

    /// <summary>Plans stage <paramref name="index"/>; a later stage reads the parts the previous stage wrote.</summary>
    public static StagePlan Create(RunSettings settings, int index, int? worldSizeOverride = null, int minimumTasks = 1)
    {
        var stage = settings.Config.Stages[index];
        IReadOnlyList<InputFile> files;
        ReaderOptions reader;
        if (IsStandalone(settings, stage))
        {
            // A stage of its own (a dedup bucket or cluster pass): no documents, T fixed by its step.
            int fixedTasks = stage.Tasks;
            if (worldSizeOverride is not null && worldSizeOverride != fixedTasks)
            {
                throw new DataPipelineException($"stage '{stage.Name}' has {fixedTasks} tasks, but --world-size {worldSizeOverride} was given");
            }
            var none = Enumerable.Range(0, fixedTasks).Select(_ => (IReadOnlyList<InputSlice>)[]).ToArray();
            return new StagePlan(stage, index, [], fixedTasks, none, settings.Reader);
        }
        // The last pass of a dedup stage reads exactly what its signature pass read.
        int inputIndex = stage.InputOf is { } of ? settings.Config.Stages.FindIndex(s => s.Name == of) : index;
        if (inputIndex < 0)
        {
            throw new DataPipelineException($"stage '{stage.Name}' reads the input of stage '{stage.InputOf}', which the pipeline does not have");
        }
        if (inputIndex == 0)
        {
            if (settings.Config.Input.Paths.Count == 0)
            {
                throw new DataPipelineException("the pipeline has no input paths (input.paths in the file, or --input)");
            }
            // An output folder inside an input folder (-i data -o data/out) must not become input: a
            // later pass re-reading the input would otherwise see the run's own files.
            var outputRoot = settings.Layout.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            files = InputResolver.Resolve(settings.Config.Input.Paths, settings.Config.BaseDirectory)
                .Where(f => !f.FullPath.StartsWith(outputRoot, StringComparison.Ordinal)).ToList();
            if (files.Count == 0)
            {
                throw new DataPipelineException($"no input files: {string.Join(", ", settings.Config.Input.Paths)} match nothing outside the output folder {settings.Layout.Root}");
            }
            reader = settings.Reader;
        }
        else
        {
            var previous = settings.Config.Stages[inputIndex - 1];
            var dir = settings.StageOutputDir(previous);
            files = Directory.Exists(dir)
                ? InputResolver.Resolve([dir], settings.Config.BaseDirectory).Where(f => Path.GetFileName(f.FullPath).StartsWith("part-", StringComparison.Ordinal)).ToList()
                : [];
            reader = settings.IntermediateReader;
        }
        int tasks = worldSizeOverride ?? (stage.Tasks > 0 ? stage.Tasks : Math.Max(minimumTasks, Math.Max(1, files.Count)));
        if (stage.Tasks > 0 && worldSizeOverride is not null && worldSizeOverride != stage.Tasks)
        {
            throw new DataPipelineException($"stage '{stage.Name}' has tasks: {stage.Tasks} in the pipeline, but --world-size {worldSizeOverride} was given");
        }
        var slices = Partitioner.Partition(files.Select(f => (f.FullPath, f.Size)).ToList(), tasks,
            (path, size, pieces) => InputFormats.Split(path, size, pieces, reader.Format));
        return new StagePlan(stage, index, files, tasks, slices, reader);
    }

    /// <summary>Whether the stage is one standalone step (<see cref="IStandaloneStep"/>): tasks without document input.</summary>
    public static bool IsStandalone(RunSettings settings, StageConfig stage) =>
        stage.Steps.Count == 1 && settings.Steps.Create(stage.Steps[0], settings.Config.BaseDirectory) is IStandaloneStep;

    // A lookup, not a scan: a stage over 100,000 files has as many slices, each asking once.
    private readonly Dictionary<string, InputFile> _byPath;

    public InputFile FileOf(InputSlice slice) => _byPath[slice.Path];

    /// <summary>What a resumed run must agree on with the run it continues.</summary>
    public sealed record Fingerprint(
        [property: JsonPropertyName("stage")] string Stage,
        [property: JsonPropertyName("tasks")] int Tasks,
        [property: JsonPropertyName("format")] string Format,
        [property: JsonPropertyName("inputs")] IReadOnlyList<string> Inputs);

    public Fingerprint GetFingerprint(RunSettings settings) =>
        new(Stage.Name, Tasks, settings.Format.Name, Index == 0 ? Files.Select(f => f.FullPath + ":" + f.Size).ToList() : []);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(IEnumerable<Fingerprint> prints) => JsonSerializer.Serialize(prints, Indented);
}
