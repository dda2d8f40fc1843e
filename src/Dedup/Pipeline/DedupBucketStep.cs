using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Lsh;

namespace DataPipeline.Dedup.Pipeline;

/// <summary>
/// Pass 2 of a dedup stage: one task per (band, hash-range worker), plus the exact-hash workers, each
/// merging the sorted runs every signature task wrote for its band into a file of duplicate pairs.
/// </summary>
public sealed class DedupBucketStep(DedupSettings settings, string signatureRoot) : IStandaloneStep
{
    public string Name => "dedup_buckets";

    public int TaskCount => settings.BucketTasks;

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context) =>
        throw new InvalidOperationException("the dedup bucket pass reads no documents");

    public void RunTask(StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dedup bucket pass runs inside a task");
        int minhashTasks = settings.MinHash ? settings.Options.LshBands * settings.BucketWorkers : 0;
        int band, worker, workers;
        if (context.Rank < minhashTasks)
        {
            (band, worker, workers) = (context.Rank / settings.BucketWorkers, context.Rank % settings.BucketWorkers, settings.BucketWorkers);
        }
        else
        {
            (band, worker, workers) = (BandFiles.ExactBand, context.Rank - minhashTasks, settings.ExactWorkers);
        }
        if (!Directory.Exists(signatureRoot))
        {
            throw new Core.Errors.DataPipelineException($"dedup buckets: the signature pass's output {signatureRoot} is missing");
        }
        var path = outputs.ReserveFile(BandFiles.PairFileName(band, worker));
        long pairs = BandBucketMerge.Run(signatureRoot, band, path, worker, workers);
        context.Stats.Add(band == BandFiles.ExactBand ? "exact_pairs" : "candidate_pairs", pairs);
    }
}
