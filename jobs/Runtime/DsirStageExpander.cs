using DataPipeline.Core.Config;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Sampling;
using DataPipeline.Sampling.Pipeline;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// A stage that starts with a <c>dsir</c> step becomes five: <c>NAME.counts</c> (T map tasks: raw n-gram counts),
/// <c>NAME.fit</c> (one task: distributions and log_diff), <c>NAME.weights</c> (T map tasks over the same input:
/// weights and each task's candidates), <c>NAME.select</c> (one task: the global selection), then <c>NAME</c>
/// itself, which re-reads the same input split the same way, keeps the selected documents and runs the stage's
/// other steps.
/// </summary>
public sealed class DsirStageExpander : IStageExpander
{
    public string StepType => SamplingSteps.Dsir;

    public IReadOnlyList<StageConfig> Expand(StageExpansionContext context)
    {
        var stage = context.Stage;
        var user = context.User;
        var layout = context.Settings.Layout;
        string counts = stage.Name + ".counts", fit = stage.Name + ".fit", weights = stage.Name + ".weights", select = stage.Name + ".select";
        // Checks the settings and the target files before anything runs: a missing target or k, or a target
        // glob that matches nothing, is a configuration error (exit 2), not a failed task an hour in.
        var parameters = new StepParameters(SamplingSteps.Dsir, user) { BaseDirectory = context.Settings.Config.BaseDirectory };
        var parsed = DsirSettings.Parse(parameters);
        parameters.EnsureAllUsed();
        try
        {
            InputResolver.Resolve(parsed.Target, parsed.BaseDirectory);
        }
        catch (DataPipelineException e)
        {
            throw new DataPipelineException($"stage '{stage.Name}': dsir target: {e.Message}");
        }
        string weightsFile = context.UserFile(select, "weights.jsonl");
        var passes = new List<StageConfig>
        {
            new() { Name = counts, Tasks = stage.Tasks, Steps = [StageExpansion.Step(SamplingSteps.Counts, user)] },
            new() { Name = fit, Tasks = 1, Steps = [StageExpansion.Step(SamplingSteps.Fit, user, (SamplingSteps.CountsKey, layout.StageDir(counts)))] },
            new()
            {
                Name = weights,
                Tasks = stage.Tasks,
                InputOf = counts,
                Steps = [StageExpansion.Step(SamplingSteps.Weights, user, (SamplingSteps.FitKey, layout.StageDir(fit)))],
            },
            new()
            {
                Name = select,
                Tasks = 1,
                Steps = [StageExpansion.Step(SamplingSteps.Select, user,
                    (SamplingSteps.FitKey, layout.StageDir(fit)), (SamplingSteps.WeightsKey, layout.StageDir(weights)), (SamplingSteps.WeightsFileKey, weightsFile))],
            },
        };
        stage.Steps[0] = StageExpansion.Step(SamplingSteps.Dsir, user,
            (SamplingSteps.FitKey, layout.StageDir(fit)), (SamplingSteps.SelectKey, layout.StageDir(select)), (SamplingSteps.WeightsKey, layout.StageDir(weights)));
        stage.InputOf = counts;
        return passes;
    }
}
