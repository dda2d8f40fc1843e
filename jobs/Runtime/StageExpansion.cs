using DataPipeline.Core.Config;
using DataPipeline.Core.Errors;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// Turns a stage whose first step needs a global pass over the stage's whole input (dedup, DSIR) into the
/// stages its algorithm needs, each an ordinary stage to every executor — own tasks, markers, resume, Slurm
/// array — so nothing else in the runtime knows about them. One <see cref="IStageExpander"/> per step type
/// says what a stage starting with that step becomes; this class finds such stages, checks the rules every
/// expander shares (the step comes first, once per stage, the pass names are free) and puts the result together.
/// </summary>
public static class StageExpansion
{
    /// <summary>Every expander the runtime knows, by the step type that triggers it.</summary>
    public static readonly IReadOnlyList<IStageExpander> Expanders = [new DedupStageExpander(), new DsirStageExpander()];

    public static void Expand(RunSettings settings)
    {
        var config = settings.Config;
        if (config.Stages.Any(s => s.InputOf is not null))
        {
            return; // already expanded (a config object is expanded once, by the first RunSettings built on it)
        }
        if (!config.Stages.Any(s => s.Steps.Any(step => ExpanderOf(step) is not null)))
        {
            return;
        }
        var names = config.Stages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var expanded = new List<StageConfig>();
        for (int i = 0; i < config.Stages.Count; i++)
        {
            var stage = config.Stages[i];
            int at = stage.Steps.FindIndex(step => ExpanderOf(step) is not null);
            if (at < 0)
            {
                expanded.Add(stage);
                continue;
            }
            var expander = ExpanderOf(stage.Steps[at])!;
            string type = expander.StepType;
            if (at > 0)
            {
                throw new DataPipelineException(
                    $"stage '{stage.Name}': '{type}' must be the first step of its stage (it reads the stage's whole input before the stage runs); " +
                    "move the steps before it into a stage of their own");
            }
            if (stage.Steps.Skip(1).Any(step => ExpanderOf(step) is { } other && other.StepType == type))
            {
                throw new DataPipelineException($"stage '{stage.Name}': one '{type}' step per stage");
            }
            if (stage.Steps.Skip(1).FirstOrDefault(step => ExpanderOf(step) is not null) is { } second)
            {
                throw new DataPipelineException(
                    $"stage '{stage.Name}': '{second.Keys.First()}' must be the first step of its stage, and '{type}' already is; put it in a stage of its own");
            }
            var context = new StageExpansionContext(settings, stage, UserSettings(type, stage.Steps[0]), IsLast: i == config.Stages.Count - 1);
            var passes = expander.Expand(context);
            foreach (var pass in passes)
            {
                if (names.Contains(pass.Name))
                {
                    throw new DataPipelineException($"stage '{stage.Name}': its {type} passes need the stage name '{pass.Name}', which the pipeline already uses");
                }
            }
            expanded.AddRange(passes);
            expanded.Add(stage);
        }
        config.Stages = expanded;
    }

    private static IStageExpander? ExpanderOf(Dictionary<string, object?> step) =>
        step.Count == 1 ? Expanders.FirstOrDefault(e => step.ContainsKey(e.StepType)) : null;

    private static Dictionary<object, object?> UserSettings(string type, Dictionary<string, object?> step)
    {
        var settings = step[type] switch
        {
            null => new Dictionary<object, object?>(),
            IDictionary<object, object?> d => new Dictionary<object, object?>(d),
            var other => throw new DataPipelineException($"step '{type}': settings must be a map, not '{other}'"),
        };
        if (settings.Keys.Any(k => k is string s && s.StartsWith('_')))
        {
            throw new DataPipelineException($"step '{type}': settings starting with '_' are internal to the runtime");
        }
        return settings;
    }

    /// <summary>A one-key step map <c>{type: settings}</c>: the user's settings plus the runtime's injected <c>_</c>-prefixed ones.</summary>
    public static Dictionary<string, object?> Step(string type, Dictionary<object, object?> user, params (string Key, string Value)[] injected)
    {
        var settings = new Dictionary<object, object?>(user);
        foreach (var (k, v) in injected)
        {
            settings[k] = v;
        }
        return new Dictionary<string, object?> { [type] = settings };
    }
}

/// <summary>What an expander sees of the stage it expands.</summary>
/// <param name="Settings">The run (its layout gives the passes' folders).</param>
/// <param name="Stage">The stage; its first step is the expander's. The expander rewrites that step and sets <see cref="StageConfig.InputOf"/>.</param>
/// <param name="User">The settings the pipeline file gave the step (none starting with '_').</param>
/// <param name="IsLast">Whether the stage is the pipeline's last (with flat output its files land in the output folder itself).</param>
public sealed record StageExpansionContext(RunSettings Settings, StageConfig Stage, Dictionary<object, object?> User, bool IsLast)
{
    /// <summary>Where a file the user asked for goes: the output folder itself for the last stage of a one-shot verb, else the pass's folder.</summary>
    public string UserFile(string passStage, string fileName) =>
        Settings.FlatOutput && IsLast ? Path.Combine(Settings.Layout.Root, fileName) : Path.Combine(Settings.Layout.StageDir(passStage), fileName);
}

/// <summary>
/// Expands a stage that starts with one step type into the passes that run before it. The stage itself stays
/// last (the expander rewrites its first step with the settings that find the passes' outputs, and usually
/// sets <see cref="StageConfig.InputOf"/> so it re-reads its first pass's input, split the same way).
/// </summary>
public interface IStageExpander
{
    /// <summary>The step type, as a pipeline file names it.</summary>
    string StepType { get; }

    /// <summary>The passes to run before the stage, in order; rewrites the stage's first step.</summary>
    IReadOnlyList<StageConfig> Expand(StageExpansionContext context);
}
