using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Sampling.Pipeline;

namespace DataPipeline.Sampling;

/// <summary>
/// Registers the DSIR passes. A pipeline names one step, <c>dsir</c>, first in its stage; the runtime expands that
/// stage into its five passes (counts, fit, weights, select, then the stage itself with the DSIR filter),
/// injecting the internal settings below, which a pipeline file never writes.
/// </summary>
public static class SamplingSteps
{
    /// <summary>The step type a pipeline file uses.</summary>
    public const string Dsir = "dsir";

    public const string Counts = "dsir_counts";
    public const string Fit = "dsir_fit";
    public const string Weights = "dsir_weights";
    public const string Select = "dsir_select";

    /// <summary>Internal settings: the folders of the passes, and where weights.jsonl goes.</summary>
    public const string CountsKey = "_counts";
    public const string FitKey = "_fit";
    public const string WeightsKey = "_weights";
    public const string SelectKey = "_select";
    public const string WeightsFileKey = "_weights_file";

    public static void Register(StepRegistry registry)
    {
        registry.Register(Dsir,
            "DSIR importance resampling towards a target distribution (target, k | fraction | tokens, buckets, ngrams, seed, with_replacement, write_weights, min_length); must come first in its stage",
            p => new DsirFilterStep(DsirSettings.Parse(p), Required(p, FitKey), Required(p, SelectKey), Required(p, WeightsKey)));
        registry.Register(Counts, "dsir pass 1 (internal): hashed n-gram counts per task",
            p => new DsirCountStep(DsirSettings.Parse(p)));
        registry.Register(Fit, "dsir pass 2 (internal): target and raw distributions, log_diff",
            p => new DsirFitStep(DsirSettings.Parse(p), Required(p, CountsKey)));
        registry.Register(Weights, "dsir pass 3 (internal): log importance weights and each task's top candidates",
            p => new DsirWeightStep(DsirSettings.Parse(p), Required(p, FitKey)));
        registry.Register(Select, "dsir pass 4 (internal): the global selection from the tasks' candidates",
            p => new DsirSelectStep(DsirSettings.Parse(p), Required(p, FitKey), Required(p, WeightsKey), Required(p, WeightsFileKey)));
    }

    private static string Required(StepParameters p, string key) =>
        p.GetStringOrNull(key) ?? throw new DataPipelineException(
            "the 'dsir' step must be the first step of its stage, where the runtime expands it into its passes; " +
            "move the steps before it into a stage of their own");
}
