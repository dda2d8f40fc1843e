namespace DataPipeline.Sampling.Dsir.Resampling;

/// <summary>Which noise turns log importance weights into resampling keys.</summary>
public enum GumbelNoise
{
    /// <summary>
    /// Upstream's: <c>np.random.seed(seed)</c>, then one legacy <c>np.random.gumbel</c> draw per eligible document in
    /// raw order. Reproduces DSIR's selection; a task needs the number of eligible documents before its slice.
    /// </summary>
    NumpyLegacy,

    /// <summary>Not upstream: <see cref="CounterGumbel"/> keyed by the document's raw index; tasks need no coordination.</summary>
    CounterBased,

    /// <summary>Upstream <c>top_k=True</c>: no noise, the k largest weights.</summary>
    None,
}
