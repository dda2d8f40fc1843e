namespace DataPipeline.Tokenize.Megatron;

/// <summary>A dataset is a path prefix P with files P.idx and P.bin (<c>get_idx_path</c>, <c>get_bin_path</c>).</summary>
public static class MegatronPaths
{
    public static string Index(string prefix) => prefix + ".idx";

    public static string Data(string prefix) => prefix + ".bin";
}
