namespace DataPipeline.Tokenize.Mds;

/// <summary>The numeric element types MDS scalars and ndarrays use, named as numpy names them.</summary>
public enum MdsDType
{
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    Int8,
    Int16,
    Int32,
    Int64,
    Float16,
    Float32,
    Float64,
}

public static class MdsDTypes
{
    public static int ItemSize(MdsDType dtype) => dtype switch
    {
        MdsDType.UInt8 or MdsDType.Int8 => 1,
        MdsDType.UInt16 or MdsDType.Int16 or MdsDType.Float16 => 2,
        MdsDType.UInt32 or MdsDType.Int32 or MdsDType.Float32 => 4,
        _ => 8,
    };

    public static string Name(MdsDType dtype) => dtype switch
    {
        MdsDType.UInt8 => "uint8",
        MdsDType.UInt16 => "uint16",
        MdsDType.UInt32 => "uint32",
        MdsDType.UInt64 => "uint64",
        MdsDType.Int8 => "int8",
        MdsDType.Int16 => "int16",
        MdsDType.Int32 => "int32",
        MdsDType.Int64 => "int64",
        MdsDType.Float16 => "float16",
        MdsDType.Float32 => "float32",
        _ => "float64",
    };

    public static bool TryParse(string name, out MdsDType dtype)
    {
        foreach (var d in Enum.GetValues<MdsDType>())
        {
            if (Name(d) == name)
            {
                dtype = d;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>
    /// The byte a dynamic-dtype ndarray starts with. MDS uses its own table
    /// (<c>NDArray._int2value_dtype</c>), not numpy's type numbers.
    /// </summary>
    public static byte NdArrayCode(MdsDType dtype) => dtype switch
    {
        MdsDType.UInt8 => 8,
        MdsDType.Int8 => 9,
        MdsDType.UInt16 => 16,
        MdsDType.Int16 => 17,
        MdsDType.Float16 => 18,
        MdsDType.UInt32 => 32,
        MdsDType.Int32 => 33,
        MdsDType.Float32 => 34,
        MdsDType.UInt64 => 64,
        MdsDType.Int64 => 65,
        _ => 66,
    };

    public static bool TryFromNdArrayCode(byte code, out MdsDType dtype)
    {
        foreach (var d in Enum.GetValues<MdsDType>())
        {
            if (NdArrayCode(d) == code)
            {
                dtype = d;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>The dtype of a .NET element type, for typed ndarray access.</summary>
    public static MdsDType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(byte)) return MdsDType.UInt8;
        if (typeof(T) == typeof(sbyte)) return MdsDType.Int8;
        if (typeof(T) == typeof(ushort)) return MdsDType.UInt16;
        if (typeof(T) == typeof(short)) return MdsDType.Int16;
        if (typeof(T) == typeof(uint)) return MdsDType.UInt32;
        if (typeof(T) == typeof(int)) return MdsDType.Int32;
        if (typeof(T) == typeof(ulong)) return MdsDType.UInt64;
        if (typeof(T) == typeof(long)) return MdsDType.Int64;
        if (typeof(T) == typeof(Half)) return MdsDType.Float16;
        if (typeof(T) == typeof(float)) return MdsDType.Float32;
        if (typeof(T) == typeof(double)) return MdsDType.Float64;
        throw new ArgumentException($"{typeof(T).Name} is not an MDS element type.");
    }
}
