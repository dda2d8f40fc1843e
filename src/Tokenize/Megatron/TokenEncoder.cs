using System.Buffers.Binary;

namespace DataPipeline.Tokenize.Megatron;

/// <summary>
/// Converts token ids to a dataset's element type. Upstream's numpy cast would wrap an id that does
/// not fit (50257 as int8, say) into a different token without a word; this refuses instead.
/// </summary>
internal static class TokenEncoder
{
    public static void Encode(ReadOnlySpan<int> tokens, MegatronDType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case MegatronDType.UInt16:
                for (int i = 0; i < tokens.Length; i++)
                {
                    int t = tokens[i];
                    if ((uint)t > ushort.MaxValue)
                    {
                        throw OutOfRange(t, dtype);
                    }
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], (ushort)t);
                }
                break;
            case MegatronDType.Int32:
                for (int i = 0; i < tokens.Length; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination[(4 * i)..], tokens[i]);
                }
                break;
            case MegatronDType.UInt8:
                for (int i = 0; i < tokens.Length; i++)
                {
                    destination[i] = (uint)tokens[i] <= byte.MaxValue ? (byte)tokens[i] : throw OutOfRange(tokens[i], dtype);
                }
                break;
            case MegatronDType.Int8:
                for (int i = 0; i < tokens.Length; i++)
                {
                    destination[i] = tokens[i] is >= sbyte.MinValue and <= sbyte.MaxValue ? (byte)(sbyte)tokens[i] : throw OutOfRange(tokens[i], dtype);
                }
                break;
            case MegatronDType.Int16:
                for (int i = 0; i < tokens.Length; i++)
                {
                    int t = tokens[i];
                    BinaryPrimitives.WriteInt16LittleEndian(destination[(2 * i)..], t is >= short.MinValue and <= short.MaxValue ? (short)t : throw OutOfRange(t, dtype));
                }
                break;
            case MegatronDType.Int64:
                for (int i = 0; i < tokens.Length; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(destination[(8 * i)..], tokens[i]);
                }
                break;
            default:
                throw new NotSupportedException($"Token ids are not written as {dtype}.");
        }
    }

    public static void Decode(ReadOnlySpan<byte> source, MegatronDType dtype, Span<long> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = dtype switch
            {
                MegatronDType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]),
                MegatronDType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]),
                MegatronDType.UInt8 => source[i],
                MegatronDType.Int8 => (sbyte)source[i],
                MegatronDType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]),
                MegatronDType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]),
                _ => throw new NotSupportedException($"{dtype} data is not token ids; read it with ReadSequenceBytes."),
            };
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(int token, MegatronDType dtype) =>
        new(nameof(token), token, $"Token id {token} does not fit the dataset's {dtype}.");
}
