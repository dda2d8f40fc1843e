namespace DataPipeline.Tokenize.Packing;

/// <summary>How tokenized documents become fixed-length samples (algorithms.md §4).</summary>
public enum PackingMode
{
    /// <summary>One document per sample, padded; a longer one is truncated or split (<see cref="LongDocuments"/>).</summary>
    None,

    /// <summary>Documents concatenated and cut into windows of L, as llm-foundry's ConcatTokensDataset and Megatron.</summary>
    Concat,

    /// <summary>Best-Fit-Decreasing bins of L (Ding et al. 2024, "Fewer Truncations Improve Language Modeling").</summary>
    BestFit,
}

/// <summary>What happens to the part of a document beyond L, where the mode keeps documents whole.</summary>
public enum LongDocuments
{
    /// <summary>Cut into pieces of L, the last one shorter; no token is lost.</summary>
    Split,

    /// <summary>Keep the first L tokens and count the rest as truncated.</summary>
    Truncate,
}
