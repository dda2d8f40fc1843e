using DataPipeline.Core.Errors;

namespace DataPipeline.Core.Steps;

/// <summary>
/// Maps the step types a pipeline file names to the code that builds them. Each stage library
/// registers its own steps; the CLI puts the registries together.
/// </summary>
public sealed class StepRegistry
{
    private readonly SortedDictionary<string, (string Description, Func<StepParameters, IPipelineStep> Factory)> _steps = new(StringComparer.Ordinal);

    public void Register(string type, string description, Func<StepParameters, IPipelineStep> factory)
    {
        if (!_steps.TryAdd(type, (description, factory)))
        {
            throw new InvalidOperationException($"step type '{type}' registered twice");
        }
    }

    public IEnumerable<(string Type, string Description)> Types => _steps.Select(kv => (kv.Key, kv.Value.Description));

    public bool Contains(string type) => _steps.ContainsKey(type);

    /// <summary>Builds a step from its one-key YAML map (<c>{type: {settings}}</c> or <c>{type: null}</c>).</summary>
    public IPipelineStep Create(IReadOnlyDictionary<string, object?> stepEntry, string? baseDirectory = null)
    {
        if (stepEntry.Count != 1)
        {
            throw new DataPipelineException($"each step must be a map with one key, the step type; got keys {string.Join(", ", stepEntry.Keys)}");
        }
        var (type, settings) = stepEntry.First();
        if (!_steps.TryGetValue(type, out var entry))
        {
            throw new DataPipelineException($"unknown step type '{type}'; known types: {string.Join(", ", _steps.Keys)}");
        }
        var dict = settings switch
        {
            null => null,
            IDictionary<object, object?> d => d,
            _ => throw new DataPipelineException($"step '{type}': settings must be a map, not '{settings}'"),
        };
        var parameters = new StepParameters(type, dict) { BaseDirectory = baseDirectory ?? Directory.GetCurrentDirectory() };
        var step = entry.Factory(parameters);
        parameters.EnsureAllUsed();
        return step;
    }
}
