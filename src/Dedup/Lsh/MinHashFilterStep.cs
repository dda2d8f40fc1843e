using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Stage 4: drops the documents stage 3 listed for this task, counting position in the stream exactly
/// as stage 1 did — so it must read the same input, with the same task split, in the same order.
/// Kept cluster members get nothing; removed ones are reported with reason "minhash-duplicate" and,
/// when the run keeps removed documents, carry <c>minhash_cluster_id</c> (the kept document's
/// global index is not known here, so the id written is "rank/doc" of the kept document) and
/// <c>minhash_cluster_size</c>.
/// </summary>
public sealed class MinHashFilterStep(string removalRoot) : IPipelineStep
{
    public string Name => "minhash_dedup";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var path = BandFiles.RemovalFile(removalRoot, context.Rank);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"minhash filter: no removal list for task {context.Rank} ({path}); run the cluster stage first", path);
        }
        var removals = RemovalFileReader.Read(path);
        int next = 0;
        uint index = 0;
        foreach (var document in documents)
        {
            if (next < removals.Count && removals[next].Doc == index)
            {
                var r = removals[next++];
                document.Metadata.Set("minhash_cluster_id", $"{r.KeptRank}/{r.KeptDoc}");
                document.Metadata.Set("minhash_cluster_size", r.ClusterSize);
                context.Reject(document, Name, "minhash-duplicate");
            }
            else
            {
                yield return document;
            }
            index++;
        }
        if (next != removals.Count)
        {
            throw new InvalidDataException($"minhash filter: task {context.Rank} read {index} documents but the removal list names document {removals[next].Doc}; the input differs from stage 1's");
        }
    }
}
