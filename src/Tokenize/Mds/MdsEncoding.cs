namespace DataPipeline.Tokenize.Mds;

/// <summary>What a column's encoding string asks for, as far as this library encodes it.</summary>
public enum MdsEncodingKind
{
    /// <summary><c>bytes</c>: stored as given.</summary>
    Bytes,
    /// <summary><c>str</c>: UTF-8.</summary>
    Str,
    /// <summary><c>int</c> and the sized integer and float names: one fixed-size little-endian value.</summary>
    Scalar,
    /// <summary><c>ndarray</c>, optionally with dtype and shape.</summary>
    NdArray,
    /// <summary><c>json</c>: <c>json.dumps(obj)</c> as UTF-8.</summary>
    Json,
    /// <summary><c>str_int</c>: the integer in decimal ASCII.</summary>
    StrInt,
    /// <summary>An encoding upstream knows (pkl, pil, jpeg, ...) that is Python-specific: readable only as bytes.</summary>
    Opaque,
}

/// <summary>
/// A parsed column encoding (<c>streaming/base/format/mds/encodings.py</c>). Only <c>ndarray</c>
/// takes a <c>:config</c> suffix; any other <c>name:x</c> is refused as upstream does.
/// </summary>
public sealed class MdsEncoding
{
    private static readonly string[] OpaqueNames =
        ["str_float", "str_decimal", "pil", "jpeg", "png", "jpeg_array", "jpegarray", "list[pil]", "list[jpeg]", "list[png]", "pkl"];

    private MdsEncoding(string text, MdsEncodingKind kind, MdsDType? dtype, int[]? shape)
    {
        Text = text;
        Kind = kind;
        DType = dtype;
        Shape = shape;
        FixedSize = ComputeFixedSize();
    }

    /// <summary>The encoding string as written in index.json.</summary>
    public string Text { get; }

    public MdsEncodingKind Kind { get; }

    /// <summary>Scalar type, or the ndarray dtype when the spec names one.</summary>
    public MdsDType? DType { get; }

    /// <summary>The ndarray shape when the spec fixes one.</summary>
    public IReadOnlyList<int>? Shape { get; }

    /// <summary>The <c>column_sizes</c> entry: bytes per value, or null for variable size.</summary>
    public int? FixedSize { get; }

    public static MdsEncoding Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == "ndarray" || text.StartsWith("ndarray:", StringComparison.Ordinal))
        {
            return ParseNdArray(text);
        }
        if (text.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"MDS encoding '{text}': only ndarray takes a ':' suffix.");
        }
        switch (text)
        {
            case "bytes":
                return new MdsEncoding(text, MdsEncodingKind.Bytes, null, null);
            case "str":
                return new MdsEncoding(text, MdsEncodingKind.Str, null, null);
            case "json":
                return new MdsEncoding(text, MdsEncodingKind.Json, null, null);
            case "str_int":
                return new MdsEncoding(text, MdsEncodingKind.StrInt, null, null);
            case "int":
                return new MdsEncoding(text, MdsEncodingKind.Scalar, MdsDType.Int64, null);
        }
        if (MdsDTypes.TryParse(text, out var scalar))
        {
            return new MdsEncoding(text, MdsEncodingKind.Scalar, scalar, null);
        }
        if (Array.IndexOf(OpaqueNames, text) >= 0)
        {
            return new MdsEncoding(text, MdsEncodingKind.Opaque, null, null);
        }
        throw new ArgumentException($"Unknown MDS encoding '{text}'.");
    }

    private static MdsEncoding ParseNdArray(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 3)
        {
            throw new ArgumentException($"MDS encoding '{text}': expected ndarray[:dtype[:shape]].");
        }
        MdsDType? dtype = null;
        if (parts.Length >= 2)
        {
            if (!MdsDTypes.TryParse(parts[1], out var d))
            {
                throw new ArgumentException($"MDS encoding '{text}': unknown dtype '{parts[1]}'.");
            }
            dtype = d;
        }
        int[]? shape = null;
        if (parts.Length == 3)
        {
            var dims = parts[2].Split(',');
            shape = new int[dims.Length];
            for (int i = 0; i < dims.Length; i++)
            {
                if (!int.TryParse(dims[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1)
                {
                    throw new ArgumentException($"MDS encoding '{text}': shape dimensions must be integers >= 1.");
                }
            }
            if (shape.Length > NdArrayCodec.MaxDims)
            {
                throw new ArgumentException($"MDS encoding '{text}': at most {NdArrayCodec.MaxDims} dimensions.");
            }
        }
        return new MdsEncoding(text, MdsEncodingKind.NdArray, dtype, shape);
    }

    private int? ComputeFixedSize()
    {
        if (Kind == MdsEncodingKind.Scalar)
        {
            return MdsDTypes.ItemSize(DType!.Value);
        }
        if (Kind == MdsEncodingKind.NdArray && DType is { } d && Shape is { } s)
        {
            long size = MdsDTypes.ItemSize(d);
            foreach (int dim in s)
            {
                size *= dim;
            }
            return checked((int)size);
        }
        return null;
    }
}
