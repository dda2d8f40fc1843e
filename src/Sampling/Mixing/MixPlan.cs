using DataPipeline.Core.Errors;

namespace DataPipeline.Sampling.Mixing;

/// <summary>What a source's size is measured in, for weights and for the target size.</summary>
public enum MixUnit
{
    Documents,

    /// <summary>Whitespace-separated words of the text (an approximation of tokenizer tokens that needs no tokenizer).</summary>
    Tokens,
}

/// <summary>One source as the planner sees it: its size, and an explicit weight if the config gives one.</summary>
public sealed record MixSourceSize(string Name, long Documents, long Tokens, double? Weight);

/// <summary>What one source contributes: its share p, its quota in the mix's unit, and how many passes over it that is.</summary>
public sealed record MixSourcePlan(string Name, double Probability, double Quota, double Epochs, long Size);

/// <summary>
/// Source mixing as pretraining recipes configure it: each source i gets probability p_i, either the weights the
/// config gives (normalised) or temperature sampling p_i ∝ n_i^(1/T) over the sources' sizes n_i (T = 1 keeps the
/// natural proportions, larger T flattens them towards uniform); its quota is p_i × the target size, which is
/// quota / n_i epochs over it — above 1 the source is repeated (upsampled), below 1 subsampled.
/// </summary>
public static class MixPlanner
{
    public static IReadOnlyList<MixSourcePlan> Plan(IReadOnlyList<MixSourceSize> sources, MixUnit unit, double temperature, double targetSize)
    {
        if (sources.Count == 0)
        {
            throw new DataPipelineException("mix: no sources");
        }
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new DataPipelineException("mix: temperature must be a positive number");
        }
        if (!(targetSize >= 0) || double.IsInfinity(targetSize))
        {
            throw new DataPipelineException("mix: the target size must be 0 or more");
        }
        int explicitWeights = sources.Count(s => s.Weight is not null);
        if (explicitWeights != 0 && explicitWeights != sources.Count)
        {
            throw new DataPipelineException("mix: give a weight to every source or to none (then weights follow the sources' sizes and the temperature)");
        }
        var sizes = sources.Select(s => unit == MixUnit.Documents ? s.Documents : s.Tokens).ToArray();
        double[] raw;
        if (explicitWeights > 0)
        {
            if (sources.Any(s => !(s.Weight >= 0) || double.IsInfinity(s.Weight!.Value)))
            {
                throw new DataPipelineException("mix: weights must be 0 or more");
            }
            raw = sources.Select(s => s.Weight!.Value).ToArray();
        }
        else
        {
            raw = sizes.Select(n => Math.Pow(n, 1.0 / temperature)).ToArray();
        }
        double total = raw.Sum();
        if (!(total > 0))
        {
            throw new DataPipelineException("mix: every source is empty or has weight 0");
        }
        var plans = new List<MixSourcePlan>(sources.Count);
        for (int i = 0; i < sources.Count; i++)
        {
            double p = raw[i] / total;
            double quota = p * targetSize;
            if (quota > 0 && sizes[i] == 0)
            {
                throw new DataPipelineException($"mix: source '{sources[i].Name}' is empty but its weight asks for {quota:F0} {(unit == MixUnit.Documents ? "documents" : "tokens")}");
            }
            plans.Add(new MixSourcePlan(sources[i].Name, p, quota, sizes[i] == 0 ? 0 : quota / sizes[i], sizes[i]));
        }
        return plans;
    }
}

/// <summary>A small seeded generator (SplitMix64) whose sequence never changes between runtimes or machines.</summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, n) without modulo bias.</summary>
    public long NextBelow(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong limit = ulong.MaxValue - (ulong.MaxValue % (ulong)n);
        ulong x;
        do
        {
            x = Next();
        }
        while (x >= limit);
        return (long)(x % (ulong)n);
    }
}

/// <summary>
/// Which documents of one source go into the mix, and how many times: every document once per whole epoch, then
/// for the fractional rest a seeded random subset (documents in a random order until the rest of the quota is
/// filled: a count of documents, or for tokens while the total stays within the quota).
/// </summary>
public static class MixSampler
{
    /// <summary>Copies of each document (by position in the source), for a source of <paramref name="sizes"/> (units per document: 1 for documents, tokens otherwise).</summary>
    public static int[] Copies(IReadOnlyList<long> sizes, double quota, ulong seed)
    {
        var copies = new int[sizes.Count];
        long total = sizes.Sum();
        if (sizes.Count == 0 || total == 0 || quota <= 0)
        {
            return copies;
        }
        // Whole epochs first; rounding the quota to whole units keeps document counts exact.
        long wanted = (long)Math.Round(quota);
        long epochs = wanted / total;
        if (epochs > int.MaxValue)
        {
            throw new DataPipelineException($"mix: a quota of {wanted} is more than {int.MaxValue} passes over a source of {total}");
        }
        Array.Fill(copies, (int)epochs);
        long rest = wanted - (epochs * total);
        // A seeded shuffle of the positions (Fisher–Yates), then take while within the rest.
        var order = new int[sizes.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        var rng = new SplitMix64(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)rng.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        long taken = 0;
        foreach (int i in order)
        {
            if (taken + sizes[i] > rest)
            {
                continue; // a longer document would overshoot; a shorter one later may still fit
            }
            copies[i]++;
            taken += sizes[i];
            if (taken == rest)
            {
                break;
            }
        }
        return copies;
    }

    /// <summary>The seed of one source's draw: the mix's seed and the source's position, mixed.</summary>
    public static ulong SourceSeed(ulong seed, int source) => new SplitMix64(seed ^ (0xD1B54A32D192ED03UL * (ulong)(source + 1))).Next();
}
