using DataPipeline.Core.Config;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup;
using DataPipeline.Dedup.Pipeline;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// A stage that starts with a <c>dedup</c> step becomes the four stages its algorithm needs, as the design's
/// barriers say: <c>NAME.signatures</c> (T map tasks over the stage's input), <c>NAME.buckets</c> (one task per
/// band and hash-range worker), <c>NAME.clusters</c> (one task), then <c>NAME</c> itself, which re-reads the same
/// input split the same way, drops the duplicates and runs the stage's other steps.
/// </summary>
public sealed class DedupStageExpander : IStageExpander
{
    public string StepType => DedupSteps.Dedup;

    public IReadOnlyList<StageConfig> Expand(StageExpansionContext context)
    {
        var stage = context.Stage;
        var user = context.User;
        var layout = context.Settings.Layout;
        string signatures = stage.Name + ".signatures", buckets = stage.Name + ".buckets", clusters = stage.Name + ".clusters";
        var parsed = DedupSettings.Parse(new StepParameters(DedupSteps.Dedup, user));
        string removedFile = context.UserFile(clusters, "removed.jsonl");
        var passes = new List<StageConfig>
        {
            new() { Name = signatures, Tasks = stage.Tasks, Steps = [StageExpansion.Step(DedupSteps.Signatures, user)] },
            new()
            {
                Name = buckets,
                Tasks = parsed.BucketTasks,
                Steps = [StageExpansion.Step(DedupSteps.Buckets, user, (DedupSteps.SignaturesKey, layout.StageDir(signatures)))],
            },
            new()
            {
                Name = clusters,
                Tasks = 1,
                Steps = [StageExpansion.Step(DedupSteps.Clusters, user,
                    (DedupSteps.SignaturesKey, layout.StageDir(signatures)), (DedupSteps.PairsKey, layout.StageDir(buckets)), (DedupSteps.RemovedFileKey, removedFile))],
            },
        };
        stage.Steps[0] = StageExpansion.Step(DedupSteps.Dedup, user, (DedupSteps.ClustersKey, layout.StageDir(clusters)));
        stage.InputOf = signatures;
        return passes;
    }
}
