using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Pipeline;

namespace DataPipeline.Dedup;

/// <summary>
/// Registers the dedup passes. A pipeline names one step, <c>dedup</c>, first in its stage; the runtime
/// expands that stage into its four passes (signatures, buckets, clusters, then the stage itself with
/// the dedup filter), injecting the internal settings below, which a pipeline file never writes.
/// </summary>
public static class DedupSteps
{
    /// <summary>The step type a pipeline file uses.</summary>
    public const string Dedup = "dedup";

    public const string Signatures = "dedup_signatures";
    public const string Buckets = "dedup_buckets";
    public const string Clusters = "dedup_clusters";

    /// <summary>Internal settings: the folders of the passes, and where removed.jsonl goes.</summary>
    public const string SignaturesKey = "_signatures";
    public const string PairsKey = "_pairs";
    public const string ClustersKey = "_clusters";
    public const string RemovedFileKey = "_removed_file";

    public static void Register(StepRegistry registry)
    {
        registry.Register(Dedup,
            "exact and MinHash-LSH near-duplicate removal (exact, minhash, ngram, shingles, bands, rows | threshold, seed, backend, verify, verify_threshold, bucket_workers); must come first in its stage",
            p =>
            {
                DedupSettings.Parse(p);
                var clusters = Required(p, ClustersKey);
                return new DedupFilterStep(clusters);
            });
        registry.Register(Signatures, "dedup pass 1 (internal): ids, exact hashes and MinHash band hashes per task",
            p => new DedupSignatureStep(DedupSettings.Parse(p)));
        registry.Register(Buckets, "dedup pass 2 (internal): merge band hashes into duplicate pairs",
            p => new DedupBucketStep(DedupSettings.Parse(p), Required(p, SignaturesKey)));
        registry.Register(Clusters, "dedup pass 3 (internal): union-find over pairs, removal lists and removed.jsonl",
            p => new DedupClusterStep(DedupSettings.Parse(p), Required(p, SignaturesKey), Required(p, PairsKey), Required(p, RemovedFileKey)));
    }

    private static string Required(StepParameters p, string key) =>
        p.GetStringOrNull(key) ?? throw new DataPipelineException(
            "the 'dedup' step must be the first step of its stage, where the runtime expands it into its passes; " +
            "move the steps before it into a stage of their own");
}
