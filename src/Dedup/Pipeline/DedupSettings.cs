using System.Globalization;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Dedup.Pipeline;

/// <summary>
/// The settings of a <c>dedup</c> step, shared by the four passes it runs as (every pass reads them all,
/// so a setting that does not apply to a pass is still accepted there). Defaults are datatrove's
/// MinhashConfig (word 5-grams, 14 bands × 8 rows, seed 1: bit-identical signatures) plus exact dedup of
/// the normalised text. Deliberate difference: candidates are searched in half-bands (28 × 4 over the
/// same 112 values) and kept when the two signatures agree on at least <see cref="Confirm"/> of their
/// values. Datatrove joins every pair that shares a whole band, which misses 23% of pairs at Jaccard
/// 0.75 and joins 5% at 0.5; the half-bands find nearly every pair above 0.6 and the whole-signature
/// estimate (112 values instead of 8) decides far more sharply (joined: 99.97% at 0.75, 1.2% at 0.5).
/// <c>candidate_rows: 8, confirm: 0</c> is datatrove's LSH exactly.
/// </summary>
public sealed record DedupSettings
{
    public bool Exact { get; init; } = true;

    public bool MinHash { get; init; } = true;

    public MinHashOptions Options { get; init; } = new();

    /// <summary>The Jaccard threshold given as <c>threshold</c>, or null when bands and rows were given.</summary>
    public double? Threshold { get; init; }

    public string Backend { get; init; } = "cpu";

    public bool Verify { get; init; }

    /// <summary>
    /// Estimated Jaccard (the fraction of equal signature values) a candidate pair must reach to be joined;
    /// 0 turns the check off. Default 0.6, or the <see cref="Threshold"/> when one was given. Unused with
    /// <see cref="Verify"/>, whose exact Jaccard decides instead.
    /// </summary>
    public double Confirm { get; init; } = DefaultConfirm;

    public const double DefaultConfirm = 0.6;

    /// <summary>Whether the signature pass keeps sketches for <see cref="Confirm"/>.</summary>
    public bool KeepsSketches => MinHash && !Verify && Confirm > 0;

    /// <summary>Exact Jaccard a candidate pair must reach under <see cref="Verify"/>: <c>verify_threshold</c>, else <see cref="Threshold"/>, else <c>confirm</c> (0.6): the same bar as the estimate's, measured exactly.</summary>
    public double VerifyThreshold { get; init; }

    /// <summary>Workers each band's bucket merge is split into (by hash range).</summary>
    public int BucketWorkers { get; init; } = 1;

    /// <summary>Workers the exact-hash bucket merge is split into.</summary>
    public int ExactWorkers { get; init; } = 1;

    public int BatchSize { get; init; } = 4096;

    /// <summary>Tasks of the bucket pass: one per (band, worker) and per exact worker.</summary>
    public int BucketTasks => (MinHash ? Options.LshBands * BucketWorkers : 0) + (Exact ? ExactWorkers : 0);

    /// <summary>Every user setting of the step, read from the pipeline file.</summary>
    public static DedupSettings Parse(StepParameters p)
    {
        bool exact = p.GetBool("exact", true);
        bool minhash = p.GetBool("minhash", true);
        if (!exact && !minhash)
        {
            throw new DataPipelineException("step 'dedup': exact and minhash are both off; turn on at least one");
        }
        var shingles = p.GetString("shingles", "words") switch
        {
            "words" => ShingleKind.Words,
            "characters" or "chars" => ShingleKind.Characters,
            var other => throw new DataPipelineException($"step 'dedup': shingles must be 'words' or 'characters', not '{other}'"),
        };
        int ngram = p.GetInt("ngram", 5);
        long seed = p.GetLong("seed", 1);
        if (seed is < 0 or > uint.MaxValue) throw new DataPipelineException($"step 'dedup': seed must be in 0..{uint.MaxValue}");
        double? threshold = p.Has("threshold") ? p.GetDouble("threshold", 0) : null;
        int bands, rows;
        if (threshold is { } t)
        {
            if (p.Has("bands") || p.Has("rows"))
            {
                throw new DataPipelineException("step 'dedup': give either threshold (bands and rows are then chosen for it) or bands and rows, not both");
            }
            if (t is <= 0 or >= 1) throw new DataPipelineException($"step 'dedup': threshold must be between 0 and 1, not {t.ToString(CultureInfo.InvariantCulture)}");
            (bands, rows) = LshParameterOptimizer.Optimal(t, p.GetInt("num_perm", 112));
        }
        else
        {
            p.GetInt("num_perm", 112);
            bands = p.GetInt("bands", 14);
            rows = p.GetInt("rows", 8);
        }
        var options = new MinHashOptions
        {
            Shingles = shingles,
            NGram = ngram,
            Bands = bands,
            Rows = rows,
            Seed = (uint)seed,
            Normalize = p.GetBool("normalize", true),
            CandidateRows = p.GetInt("candidate_rows", 0),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new DataPipelineException("step 'dedup': " + e.Message);
        }
        var backend = p.GetString("backend", "cpu");
        if (backend is not ("cpu" or "gpu" or "auto" or "ilgpu-cpu"))
        {
            throw new DataPipelineException($"step 'dedup': backend must be cpu, gpu, auto or ilgpu-cpu, not '{backend}'");
        }
        double confirm = p.GetDouble("confirm", threshold ?? DefaultConfirm);
        var settings = new DedupSettings
        {
            Exact = exact,
            MinHash = minhash,
            Options = options,
            Threshold = threshold,
            Backend = backend,
            Verify = p.GetBool("verify", false),
            VerifyThreshold = p.GetDouble("verify_threshold", threshold ?? (confirm > 0 ? confirm : DefaultConfirm)),
            Confirm = confirm,
            BucketWorkers = p.GetInt("bucket_workers", 1),
            ExactWorkers = p.GetInt("exact_workers", 1),
            BatchSize = p.GetInt("batch_size", 4096),
        };
        if (settings.BucketWorkers < 1 || settings.ExactWorkers < 1 || settings.BatchSize < 1)
        {
            throw new DataPipelineException("step 'dedup': bucket_workers, exact_workers and batch_size must be at least 1");
        }
        if (settings.VerifyThreshold is < 0 or > 1)
        {
            throw new DataPipelineException("step 'dedup': verify_threshold must be between 0 and 1");
        }
        if (settings.Confirm is < 0 or > 1)
        {
            throw new DataPipelineException("step 'dedup': confirm must be between 0 (off) and 1");
        }
        return settings;
    }
}
