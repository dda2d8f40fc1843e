using System.Globalization;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Sampling.Dsir.Features;
using DataPipeline.Sampling.Dsir.Fitting;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>How many documents a DSIR stage selects.</summary>
public enum DsirSizeKind
{
    /// <summary>Exactly <c>k</c> documents (fewer when fewer are eligible).</summary>
    Count,

    /// <summary>A fraction of the stage's input documents: k = floor(fraction × documents).</summary>
    Fraction,

    /// <summary>
    /// A budget of DSIR tokens (its per-document <c>length</c>, the word-punct token count for n = 2): documents in
    /// key order while the selected total stays within the budget.
    /// </summary>
    Tokens,
}

/// <summary>
/// The settings of a <c>dsir</c> step, shared by the five passes it runs as (every pass reads them all, so a
/// setting that does not apply to a pass is still accepted there). Defaults are DSIR's own
/// (<c>HashedNgramDSIR</c>: 10,000 buckets, unigrams + bigrams, <c>min_example_length</c> 100, seed 42,
/// target smoothing 0).
/// </summary>
public sealed record DsirSettings
{
    /// <summary>Target files, folders or globs, relative to the pipeline file's folder.</summary>
    public IReadOnlyList<string> Target { get; init; } = [];

    /// <summary>The folder relative target paths are taken from.</summary>
    public string BaseDirectory { get; init; } = "";

    public DsirFeatureOptions Features { get; init; } = new();

    public DsirSizeKind SizeKind { get; init; }

    /// <summary>k for <see cref="DsirSizeKind.Count"/>, the fraction for <see cref="DsirSizeKind.Fraction"/>, the budget for <see cref="DsirSizeKind.Tokens"/>.</summary>
    public double Size { get; init; }

    public uint Seed { get; init; } = 42;

    public bool WithReplacement { get; init; }

    /// <summary>Write <c>weights.jsonl</c> (id and log_importance_weight of every input document) and the weight into every document's metadata.</summary>
    public bool WriteWeights { get; init; }

    /// <summary>DSIR's <c>min_example_length</c>: shorter documents are never selected.</summary>
    public long MinLength { get; init; } = DsirExampleLength.DefaultMinExampleLength;

    /// <summary>DSIR's <c>target_laplace_smoothing</c>.</summary>
    public double TargetSmoothing { get; init; }

    /// <summary>The text field of the target files.</summary>
    public string TargetTextField { get; init; } = "text";

    /// <summary>Every user setting of the step, read from the pipeline file.</summary>
    public static DsirSettings Parse(StepParameters p)
    {
        var target = p.GetStringList("target", []);
        bool hasK = p.Has("k"), hasFraction = p.Has("fraction"), hasTokens = p.Has("tokens");
        if ((hasK ? 1 : 0) + (hasFraction ? 1 : 0) + (hasTokens ? 1 : 0) != 1)
        {
            throw new DataPipelineException("step 'dsir': give exactly one of k (documents), fraction (of the input documents) or tokens (a budget of DSIR tokens)");
        }
        DsirSizeKind kind;
        double size;
        if (hasK)
        {
            kind = DsirSizeKind.Count;
            long k = p.GetLong("k", 0);
            if (k is < 0 or > int.MaxValue)
            {
                throw new DataPipelineException($"step 'dsir': k must be in 0..{int.MaxValue}");
            }
            size = k;
        }
        else if (hasFraction)
        {
            kind = DsirSizeKind.Fraction;
            size = p.GetDouble("fraction", 0);
            if (!(size is >= 0 and <= 1))
            {
                throw new DataPipelineException("step 'dsir': fraction must be between 0 and 1");
            }
        }
        else
        {
            kind = DsirSizeKind.Tokens;
            long tokens = p.GetLong("tokens", 0);
            if (tokens < 0)
            {
                throw new DataPipelineException("step 'dsir': tokens must be 0 or more");
            }
            size = tokens;
        }
        var features = new DsirFeatureOptions { NumBuckets = p.GetInt("buckets", DsirFeatureOptions.DefaultNumBuckets), Ngrams = p.GetInt("ngrams", 2) };
        if (features.NumBuckets < 1 || features.Ngrams is < 1 or > 8)
        {
            throw new DataPipelineException("step 'dsir': buckets must be at least 1 and ngrams between 1 and 8");
        }
        long seed = p.GetLong("seed", 42);
        if (seed is < 0 or > uint.MaxValue)
        {
            throw new DataPipelineException($"step 'dsir': seed must be in 0..{uint.MaxValue} (numpy's np.random.seed range)");
        }
        bool withReplacement = p.GetBool("with_replacement", false);
        if (withReplacement && kind == DsirSizeKind.Tokens)
        {
            throw new DataPipelineException("step 'dsir': with_replacement takes k or fraction, not a token budget");
        }
        double smoothing = p.GetDouble("target_smoothing", 0.0);
        if (!double.IsFinite(smoothing) || smoothing < 0)
        {
            throw new DataPipelineException("step 'dsir': target_smoothing must be a pseudo-count of 0 or more");
        }
        var settings = new DsirSettings
        {
            Target = target,
            BaseDirectory = p.BaseDirectory,
            Features = features,
            SizeKind = kind,
            Size = size,
            Seed = (uint)seed,
            WithReplacement = withReplacement,
            WriteWeights = p.GetBool("write_weights", false),
            MinLength = p.GetLong("min_length", DsirExampleLength.DefaultMinExampleLength),
            TargetSmoothing = smoothing,
            TargetTextField = p.GetString("target_text_field", "text"),
        };
        if (target.Count == 0)
        {
            throw new DataPipelineException("step 'dsir': target is required: the files (or globs) of the target distribution, e.g. target: [target/*.jsonl]");
        }
        return settings;
    }

    /// <summary>k once the stage's input size is known (the fit pass resolves it); not used for a token budget.</summary>
    public long ResolveK(long documents) => SizeKind switch
    {
        DsirSizeKind.Count => (long)Size,
        DsirSizeKind.Fraction => (long)Math.Floor(Size * documents),
        _ => 0,
    };

    public string Describe() => SizeKind switch
    {
        DsirSizeKind.Count => "k " + ((long)Size).ToString(CultureInfo.InvariantCulture),
        DsirSizeKind.Fraction => "fraction " + Size.ToString(CultureInfo.InvariantCulture),
        _ => "tokens " + ((long)Size).ToString(CultureInfo.InvariantCulture),
    };
}
