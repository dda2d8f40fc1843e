using System.Buffers.Binary;

namespace DataPipeline.Tokenize.Tokenizers.SentencePiece;

/// <summary>
/// Port of sentencepiece's <c>normalizer::Normalizer::Normalize</c> (normalizer.cc): rewrites the
/// text by the model's precompiled charsmap (nmt_nfkc and friends: a darts trie from UTF-8 prefixes
/// to NUL-terminated replacement strings, longest prefix wins), leaves user-defined symbols
/// untouched, replaces malformed UTF-8 byte by byte with U+FFFD, drops leading, trailing and
/// repeated spaces (remove_extra_whitespaces), adds the dummy prefix space and turns spaces into
/// U+2581 (escape_whitespaces). Works on UTF-8 bytes throughout, as the C++ code does. The
/// normalized-to-original offsets upstream also keeps are not needed for ids and are not kept.
/// </summary>
internal sealed class SentencePieceNormalizer
{
    private static readonly byte[] SpaceSymbol = "\u2581"u8.ToArray();
    private static readonly byte[] ReplacementChar = "\uFFFD"u8.ToArray();

    private readonly DartsDoubleArray? _trie;
    private readonly byte[] _normalized = [];
    private readonly PieceTrie? _userDefined;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _escapeWhitespaces;
    private readonly bool _treatWhitespaceAsSuffix;

    /// <summary>Bytes below 0x80 that no charsmap rule and no user-defined symbol starts with: copied as they are.</summary>
    private readonly bool[] _asciiPassThrough = new bool[128];

    public SentencePieceNormalizer(SentencePieceModelFile model, PieceTrie? userDefinedSymbols)
    {
        _addDummyPrefix = model.AddDummyPrefix;
        _removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        _escapeWhitespaces = model.EscapeWhitespaces;
        _treatWhitespaceAsSuffix = model.TreatWhitespaceAsSuffix;
        _userDefined = userDefinedSymbols;
        var blob = model.PrecompiledCharsMap;
        if (blob.Length > 0)
        {
            // <trie size: uint32 LE><double array><NUL-terminated replacement strings>
            if (blob.Length <= 4)
            {
                throw new InvalidDataException("precompiled_charsmap is broken (shorter than its size field)");
            }
            uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob);
            if (trieSize >= (uint)blob.Length)
            {
                throw new InvalidDataException("precompiled_charsmap: the trie size exceeds the blob");
            }
            _trie = new DartsDoubleArray(blob.AsSpan(4, (int)trieSize));
            _normalized = blob.AsSpan(4 + (int)trieSize).ToArray();
        }
        for (int c = 0; c < 128; c++)
        {
            _asciiPassThrough[c] = (_trie is null || !_trie.HasTransition((byte)c))
                && (_userDefined is null || _userDefined.Next(PieceTrie.Root, (byte)c) == PieceTrie.None);
        }
    }

    /// <summary>
    /// Normalizes <paramref name="input"/> into <paramref name="output"/> (grown as needed) and
    /// returns the normalized length in bytes.
    /// </summary>
    public int Normalize(ReadOnlySpan<byte> input, ref byte[] output)
    {
        if (input.IsEmpty)
        {
            return 0;
        }

        // Ignores heading space.
        if (_removeExtraWhitespaces)
        {
            while (!input.IsEmpty)
            {
                var piece = NormalizePrefix(input, out int consumed);
                if (piece.Length != 1 || piece[0] != (byte)' ')
                {
                    break;
                }
                input = input[consumed..];
            }
        }
        if (input.IsEmpty)
        {
            return 0;
        }

        // Each input byte becomes at most 3 normalized bytes, except where a charsmap rule expands
        // more; Append grows the buffer for those.
        int need = input.Length * 3 + 8;
        if (output.Length < need)
        {
            output = new byte[need];
        }
        int length = 0;

        if (!_treatWhitespaceAsSuffix && _addDummyPrefix)
        {
            AddWhitespace(ref output, ref length);
        }

        bool isPrevSpace = _removeExtraWhitespaces;
        while (!input.IsEmpty)
        {
            byte first = input[0];
            ReadOnlySpan<byte> sp;
            int consumed;
            if (first < 0x80 && _asciiPassThrough[first])
            {
                sp = input[..1];
                consumed = 1;
            }
            else
            {
                sp = NormalizePrefix(input, out consumed);
            }

            // Removes heading spaces in the piece if the previous piece ended with whitespace.
            while (isPrevSpace && !sp.IsEmpty && sp[0] == (byte)' ')
            {
                sp = sp[1..];
            }

            if (!sp.IsEmpty)
            {
                if (output.Length - length < sp.Length * 3)
                {
                    Array.Resize(ref output, Math.Max(output.Length * 2, length + sp.Length * 3 + input.Length * 3));
                }
                for (int n = 0; n < sp.Length; n++)
                {
                    byte b = sp[n];
                    if (_escapeWhitespaces && b == (byte)' ')
                    {
                        output[length] = 0xE2;
                        output[length + 1] = 0x96;
                        output[length + 2] = 0x81;
                        length += 3;
                    }
                    else
                    {
                        output[length++] = b;
                    }
                }
                isPrevSpace = sp[^1] == (byte)' ';
            }

            input = input[consumed..];
            if (!_removeExtraWhitespaces)
            {
                isPrevSpace = false;
            }
        }

        // Ignores trailing space.
        if (_removeExtraWhitespaces)
        {
            ReadOnlySpan<byte> space = _escapeWhitespaces ? SpaceSymbol : " "u8;
            while (output.AsSpan(0, length).EndsWith(space))
            {
                length -= space.Length;
            }
        }

        // Adds a space symbol as a suffix (default is false).
        if (_treatWhitespaceAsSuffix && _addDummyPrefix)
        {
            AddWhitespace(ref output, ref length);
        }
        return length;
    }

    private void AddWhitespace(ref byte[] output, ref int length)
    {
        if (output.Length - length < 3)
        {
            Array.Resize(ref output, output.Length * 2 + 3);
        }
        if (_escapeWhitespaces)
        {
            SpaceSymbol.CopyTo(output.AsSpan(length));
            length += 3;
        }
        else
        {
            output[length++] = (byte)' ';
        }
    }

    /// <summary>
    /// <c>Normalizer::NormalizePrefix</c>: the normalized form of the longest rule (or user-defined
    /// symbol, or single character) at the start of <paramref name="input"/>, and how many input
    /// bytes it stands for.
    /// </summary>
    private ReadOnlySpan<byte> NormalizePrefix(ReadOnlySpan<byte> input, out int consumed)
    {
        if (_userDefined is not null)
        {
            int matched = LongestUserDefined(input);
            if (matched > 0)
            {
                consumed = matched;
                return input[..matched];
            }
        }

        int longest = 0;
        int value = 0;
        if (_trie is not null)
        {
            longest = _trie.LongestPrefix(input, out value);
        }

        if (longest == 0)
        {
            if (!Utf8Rules.IsValidDecode(input, out int length))
            {
                // Malformed UTF-8: U+FFFD for one consumed byte.
                consumed = 1;
                return ReplacementChar;
            }
            consumed = length;
            return input[..length];
        }

        consumed = longest;
        if ((uint)value >= (uint)_normalized.Length)
        {
            return [];
        }
        var rest = _normalized.AsSpan(value);
        int nul = rest.IndexOf((byte)0);
        return nul < 0 ? rest : rest[..nul];
    }

    private int LongestUserDefined(ReadOnlySpan<byte> input)
    {
        int node = PieceTrie.Root;
        int longest = 0;
        for (int i = 0; i < input.Length; i++)
        {
            node = _userDefined!.Next(node, input[i]);
            if (node == PieceTrie.None)
            {
                break;
            }
            if (_userDefined.ValueAt(node) >= 0)
            {
                longest = i + 1;
            }
        }
        return longest;
    }
}

/// <summary>sentencepiece's UTF-8 helpers (util.h / util.cc), whose rules the encoders follow byte for byte.</summary>
internal static class Utf8Rules
{
    /// <summary><c>string_util::OneCharLen</c>: the sequence length a lead byte announces (1 for a stray trail byte).</summary>
    public static int OneCharLen(byte lead) => (lead >> 4) switch
    {
        < 12 => 1,
        12 or 13 => 2,
        14 => 3,
        _ => 4,
    };

    /// <summary>
    /// <c>string_util::IsValidDecodeUTF8</c>: whether the text starts with a well-formed UTF-8
    /// character (no overlong forms, surrogates or code points past U+10FFFF), and its length;
    /// for a malformed start, false and a length of 1.
    /// </summary>
    public static bool IsValidDecode(ReadOnlySpan<byte> s, out int length)
    {
        byte b0 = s[0];
        if (b0 < 0x80)
        {
            length = 1;
            return true;
        }
        if (s.Length >= 2 && (b0 & 0xE0) == 0xC0)
        {
            int cp = ((b0 & 0x1F) << 6) | (s[1] & 0x3F);
            if (IsTrail(s[1]) && cp >= 0x80 && IsValidCodepoint(cp))
            {
                length = 2;
                return true;
            }
        }
        else if (s.Length >= 3 && (b0 & 0xF0) == 0xE0)
        {
            int cp = ((b0 & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            if (IsTrail(s[1]) && IsTrail(s[2]) && cp >= 0x800 && IsValidCodepoint(cp))
            {
                length = 3;
                return true;
            }
        }
        else if (s.Length >= 4 && (b0 & 0xF8) == 0xF0)
        {
            int cp = ((b0 & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
            if (IsTrail(s[1]) && IsTrail(s[2]) && IsTrail(s[3]) && cp >= 0x10000 && IsValidCodepoint(cp))
            {
                length = 4;
                return true;
            }
        }
        length = 1;
        return false;
    }

    private static bool IsTrail(byte b) => (b & 0xC0) == 0x80;

    private static bool IsValidCodepoint(int c) => c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF);
}
