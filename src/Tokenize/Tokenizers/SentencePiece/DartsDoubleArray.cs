using System.Buffers.Binary;

namespace DataPipeline.Tokenize.Tokenizers.SentencePiece;

/// <summary>
/// Reads a darts-clone double array (the trie inside a model's <c>precompiled_charsmap</c>), as
/// <c>Darts::DoubleArray::commonPrefixSearch</c> walks it. Each unit is a little-endian uint32:
/// bit 8 says the node has a leaf, bits 0-7 (and bit 31, set on leaves) are the label, the rest
/// an offset that is XORed with the position. A unit index outside the array ends the walk, where
/// the C++ code would read past its buffer.
/// </summary>
internal sealed class DartsDoubleArray
{
    private readonly uint[] _units;

    public DartsDoubleArray(ReadOnlySpan<byte> blob)
    {
        if (blob.Length % 4 != 0 || blob.Length == 0)
        {
            throw new InvalidDataException($"precompiled_charsmap: the double array is {blob.Length} bytes, not a positive multiple of 4");
        }
        _units = new uint[blob.Length / 4];
        for (int i = 0; i < _units.Length; i++)
        {
            _units[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob[(4 * i)..]);
        }
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static int Value(uint unit) => (int)(unit & 0x7FFFFFFFu);

    private static uint Label(uint unit) => unit & (0x80000000u | 0xFFu);

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);

    /// <summary>
    /// The longest key that is a prefix of <paramref name="key"/>: its length in bytes (0 if none)
    /// and its value. darts-clone reports every prefix key shortest first; the normalizer keeps the
    /// longest, which is the last one.
    /// </summary>
    public int LongestPrefix(ReadOnlySpan<byte> key, out int value)
    {
        value = 0;
        int longest = 0;
        var units = _units;
        uint nodePos = Offset(units[0]);
        for (int i = 0; i < key.Length; i++)
        {
            byte b = key[i];
            nodePos ^= b;
            if (nodePos >= (uint)units.Length)
            {
                return longest;
            }
            uint unit = units[nodePos];
            if (Label(unit) != b)
            {
                return longest;
            }
            nodePos ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (nodePos >= (uint)units.Length)
                {
                    return longest;
                }
                longest = i + 1;
                value = Value(units[nodePos]);
            }
        }
        return longest;
    }

    /// <summary>Whether any key starts with byte <paramref name="b"/> (so text starting with it may be rewritten).</summary>
    public bool HasTransition(byte b)
    {
        uint nodePos = Offset(_units[0]) ^ b;
        return nodePos < (uint)_units.Length && Label(_units[nodePos]) == b;
    }
}
