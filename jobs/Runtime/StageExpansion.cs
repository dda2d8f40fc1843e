using DataPipeline.Core.Config;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup;
using DataPipeline.Dedup.Pipeline;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// Turns a stage that starts with a <c>dedup</c> step into the four stages its algorithm needs, as the
/// design's barriers say: <c>NAME.signatures</c> (T map tasks over the stage's input), <c>NAME.buckets</c>
/// (one task per band and hash-range worker), <c>NAME.clusters</c> (one task), then <c>NAME</c> itself,
/// which re-reads the same input split the same way, drops the duplicates and runs the stage's other
/// steps. Each is an ordinary stage to every executor — own tasks, markers, resume, Slurm array — so
/// nothing else in the runtime knows about dedup.
/// </summary>
public static class StageExpansion
{
    public static void Expand(RunSettings settings)
    {
        var config = settings.Config;
        if (config.Stages.Any(s => s.InputOf is not null))
        {
            return; // already expanded (a config object is expanded once, by the first RunSettings built on it)
        }
        if (!config.Stages.Any(s => s.Steps.Any(IsDedup)))
        {
            return;
        }
        var names = config.Stages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var expanded = new List<StageConfig>();
        for (int i = 0; i < config.Stages.Count; i++)
        {
            var stage = config.Stages[i];
            int at = stage.Steps.FindIndex(IsDedup);
            if (at < 0)
            {
                expanded.Add(stage);
                continue;
            }
            if (at > 0)
            {
                throw new DataPipelineException(
                    $"stage '{stage.Name}': 'dedup' must be the first step of its stage (it reads the stage's whole input before the stage runs); " +
                    "move the steps before it into a stage of their own");
            }
            if (stage.Steps.Skip(1).Any(IsDedup))
            {
                throw new DataPipelineException($"stage '{stage.Name}': one 'dedup' step per stage");
            }
            string signatures = stage.Name + ".signatures", buckets = stage.Name + ".buckets", clusters = stage.Name + ".clusters";
            foreach (var n in new[] { signatures, buckets, clusters })
            {
                if (names.Contains(n))
                {
                    throw new DataPipelineException($"stage '{stage.Name}': its dedup passes need the stage name '{n}', which the pipeline already uses");
                }
            }
            var user = UserSettings(stage.Steps[0]);
            var parsed = DedupSettings.Parse(new StepParameters(DedupSteps.Dedup, user));
            var layout = settings.Layout;
            string removedFile = settings.FlatOutput && i == config.Stages.Count - 1
                ? Path.Combine(layout.Root, "removed.jsonl")
                : Path.Combine(layout.StageDir(clusters), "removed.jsonl");

            expanded.Add(new StageConfig { Name = signatures, Tasks = stage.Tasks, Steps = [Step(DedupSteps.Signatures, user)] });
            expanded.Add(new StageConfig
            {
                Name = buckets,
                Tasks = parsed.BucketTasks,
                Steps = [Step(DedupSteps.Buckets, user, (DedupSteps.SignaturesKey, layout.StageDir(signatures)))],
            });
            expanded.Add(new StageConfig
            {
                Name = clusters,
                Tasks = 1,
                Steps = [Step(DedupSteps.Clusters, user,
                    (DedupSteps.SignaturesKey, layout.StageDir(signatures)), (DedupSteps.PairsKey, layout.StageDir(buckets)), (DedupSteps.RemovedFileKey, removedFile))],
            });
            stage.Steps[0] = Step(DedupSteps.Dedup, user, (DedupSteps.ClustersKey, layout.StageDir(clusters)));
            stage.InputOf = signatures;
            expanded.Add(stage);
        }
        config.Stages = expanded;
    }

    private static bool IsDedup(Dictionary<string, object?> step) => step.Count == 1 && step.ContainsKey(DedupSteps.Dedup);

    private static Dictionary<object, object?> UserSettings(Dictionary<string, object?> step)
    {
        var settings = step[DedupSteps.Dedup] switch
        {
            null => new Dictionary<object, object?>(),
            IDictionary<object, object?> d => new Dictionary<object, object?>(d),
            var other => throw new DataPipelineException($"step 'dedup': settings must be a map, not '{other}'"),
        };
        if (settings.Keys.Any(k => k is string s && s.StartsWith('_')))
        {
            throw new DataPipelineException("step 'dedup': settings starting with '_' are internal to the runtime");
        }
        return settings;
    }

    private static Dictionary<string, object?> Step(string type, Dictionary<object, object?> user, params (string Key, string Value)[] injected)
    {
        var settings = new Dictionary<object, object?>(user);
        foreach (var (k, v) in injected)
        {
            settings[k] = v;
        }
        return new Dictionary<string, object?> { [type] = settings };
    }
}
