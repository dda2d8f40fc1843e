using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Lsh;

namespace DataPipeline.Dedup.Pipeline;

/// <summary>
/// Pass 4 of a dedup stage (a map task over the same input, split the same way, as pass 1): drops the
/// documents the cluster pass listed for this task, counting positions exactly as pass 1 did. Removed
/// documents get reason <c>exact_duplicate</c> or <c>near_duplicate</c> and, when the run keeps removed
/// documents, metadata <c>dedup_cluster_size</c>. Refuses to go on when this task sees a different number
/// of documents than pass 1 did (the input changed between the passes).
/// </summary>
public sealed class DedupFilterStep(string clusterRoot) : IPipelineStep
{
    public string Name => "dedup";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var path = BandFiles.RemovalFile(clusterRoot, context.Rank);
        if (!File.Exists(path))
        {
            throw new DataPipelineException($"dedup: no removal list for task {context.Rank} ({path}); the cluster pass has not run");
        }
        var (expected, removals) = RemovalFileReader.ReadAll(path);
        int next = 0;
        long index = 0;
        foreach (var document in documents)
        {
            if (next < removals.Count && removals[next].Doc == index)
            {
                var r = removals[next++];
                document.Metadata.Set("dedup_cluster_size", r.ClusterSize);
                context.Reject(document, Name, r.Exact ? "exact_duplicate" : "near_duplicate");
            }
            else
            {
                yield return document;
            }
            index++;
        }
        if (index != expected)
        {
            throw new DataPipelineException(
                $"dedup: task {context.Rank} read {index} documents but the signature pass read {expected}; the input changed between the passes (rerun the stage with --overwrite)");
        }
    }
}
