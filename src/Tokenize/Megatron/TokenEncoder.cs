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
        // One loop per type, so the type test is not repeated for every token.
        switch (dtype)
        {
            case MegatronDType.UInt16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]);
                }
                break;
            case MegatronDType.Int32:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]);
                }
                break;
            case MegatronDType.UInt8:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = source[i];
                }
                break;
            case MegatronDType.Int8:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (sbyte)source[i];
                }
                break;
            case MegatronDType.Int16:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                }
                break;
            case MegatronDType.Int64:
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                }
                break;
            default:
                throw new NotSupportedException($"{dtype} data is not token ids; read it with ReadSequenceBytes.");
        }
    }

    private static ArgumentOutOfRangeException OutOfRange(int token, MegatronDType dtype) =>
        new(nameof(token), token, $"Token id {token} does not fit the dataset's {dtype}.");
}
