namespace DataPipeline.Tokenize.Megatron;

/// <summary>Token element types of a Megatron indexed dataset, with their <c>.idx</c> codes (<c>DType</c>).</summary>
public enum MegatronDType : byte
{
    UInt8 = 1,
    Int8 = 2,
    Int16 = 3,
    Int32 = 4,
    Int64 = 5,
    Float64 = 6,
    Float32 = 7,
    UInt16 = 8,
}

public static class MegatronDTypes
{
    /// <summary>
    /// <c>DType.optimal_dtype</c>: uint16 below 65500, else int32. The threshold is upstream's, not
    /// 65536 (datatrove's rule), so a 65500..65535 vocabulary gets int32 here too.
    /// </summary>
    public static MegatronDType Optimal(long vocabSize) => vocabSize < 65500 ? MegatronDType.UInt16 : MegatronDType.Int32;

    public static int ItemSize(MegatronDType dtype) => dtype switch
    {
        MegatronDType.UInt8 or MegatronDType.Int8 => 1,
        MegatronDType.Int16 or MegatronDType.UInt16 => 2,
        MegatronDType.Int32 or MegatronDType.Float32 => 4,
        MegatronDType.Int64 or MegatronDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown Megatron dtype."),
    };

    public static bool IsDefined(byte code) => code is >= 1 and <= 8;

    /// <summary>True for the types a token id can be written to (floats hold ids only in legacy data).</summary>
    public static bool IsInteger(MegatronDType dtype) => dtype is not (MegatronDType.Float32 or MegatronDType.Float64);
}
