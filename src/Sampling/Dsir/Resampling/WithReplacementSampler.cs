namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>
/// Sampling k documents with replacement, probability proportional to the importance weight, mergeable
/// across tasks: draw r keeps the document with the largest <c>log w + G_r(index)</c> (Gumbel-max trick,
/// one independent <see cref="CounterGumbel"/> stream per draw).
/// </summary>
/// <remarks>
/// Not in upstream (its package only samples without replacement). Costs O(k) noise draws per document,
/// so it suits modest k; merging is a per-draw maximum, so the result does not depend on the task split.
/// </remarks>
public sealed class WithReplacementSampler
{
    private readonly ScoredDocument[] _best;
    private readonly ulong _seed;

    /// <summary>Creates a sampler for <paramref name="k"/> draws.</summary>
    public WithReplacementSampler(int k, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        _seed = seed;
        _best = new ScoredDocument[k];
        Array.Fill(_best, new ScoredDocument(double.NegativeInfinity, long.MaxValue));
    }

    /// <summary>Considers one eligible document.</summary>
    public void Offer(double logWeight, long index)
    {
        if (double.IsNaN(logWeight))
        {
            throw new ArgumentException($"Log weight of document {index} is NaN.", nameof(logWeight));
        }

        for (int r = 0; r < _best.Length; r++)
        {
            var candidate = new ScoredDocument(logWeight + CounterGumbel.Draw(_seed, index, (ulong)r + 1), index);
            if (candidate.IsBetterThan(_best[r]))
            {
                _best[r] = candidate;
            }
        }
    }

    /// <summary>Takes, per draw, the better of this and <paramref name="other"/> (another task's sampler with the same k and seed).</summary>
    public void Merge(WithReplacementSampler other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._best.Length != _best.Length || other._seed != _seed)
        {
            throw new ArgumentException("Samplers differ in k or seed.", nameof(other));
        }

        for (int r = 0; r < _best.Length; r++)
        {
            if (other._best[r].IsBetterThan(_best[r]))
            {
                _best[r] = other._best[r];
            }
        }
    }

    /// <summary>The best document of each draw so far, in draw order (key −∞ and index <see cref="long.MaxValue"/> for a draw that saw none): what a task hands on for merging.</summary>
    public ReadOnlySpan<ScoredDocument> Best => _best;

    /// <summary>The chosen index of each draw, in draw order (repeats possible); -1 for a draw that saw no document.</summary>
    public long[] Draws()
    {
        var result = new long[_best.Length];
        for (int r = 0; r < result.Length; r++)
        {
            result[r] = double.IsNegativeInfinity(_best[r].Key) && _best[r].Index == long.MaxValue ? -1 : _best[r].Index;
        }

        return result;
    }
}
