using System.Text;

namespace DataPipeline.Sampling.Dsir.Text;

/// <summary>Python 3.11's <c>str.lower()</c> over UTF-16 text, written into a reusable buffer.</summary>
/// <remarks>
/// Full case mapping as Python does it: U+0130 becomes "i" + U+0307, and U+03A3 becomes final
/// sigma U+03C2 in the Final_Sigma context (Python's <c>handle_capital_sigma</c>). Lone surrogates are
/// kept as they are, as Python keeps them in a str.
/// </remarks>
public static class PythonLowercase
{
    private const int CapitalSigma = 0x03A3;
    private const int DottedCapitalI = 0x0130;

    /// <summary>Allocating convenience for tests and diagnostics.</summary>
    public static string Lower(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        char[] buffer = [];
        int n = Lower(text, ref buffer);
        return new string(buffer, 0, n);
    }

    /// <summary>Lowers <paramref name="text"/> into <paramref name="buffer"/> (grown if needed) and returns the length written.</summary>
    public static int Lower(ReadOnlySpan<char> text, ref char[] buffer)
    {
        // U+0130 (1 UTF-16 unit) is the only mapping that grows: at most twice the input.
        int needed = checked(text.Length * 2);
        if (buffer.Length < needed)
        {
            buffer = new char[Math.Max(needed, 256)];
        }

        var output = buffer.AsSpan();
        int w = 0;
        for (int i = 0; i < text.Length;)
        {
            char c = text[i];
            if (c < 0x80)
            {
                output[w++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                i++;
                continue;
            }

            if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                output[w++] = c; // lone surrogate: Python leaves it unchanged
                i++;
                continue;
            }

            int cp = rune.Value;
            if (cp == DottedCapitalI)
            {
                output[w++] = 'i';
                output[w++] = '\u0307';
            }
            else if (cp == CapitalSigma)
            {
                output[w++] = IsFinalSigma(text, i) ? '\u03C2' : '\u03C3';
            }
            else
            {
                w += new Rune(PythonUnicode.LowerSingle(cp)).EncodeToUtf16(output[w..]);
            }

            i += consumed;
        }

        return w;
    }

    /// <summary>Python's Final_Sigma test: cased, case-ignorable*, Σ, and not (case-ignorable*, cased).</summary>
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int sigmaIndex)
    {
        int j = sigmaIndex;
        int before = -1;
        while (j > 0)
        {
            int cp = CodePointBefore(text, ref j);
            if (!PythonUnicode.IsCaseIgnorable(cp))
            {
                before = cp;
                break;
            }
        }

        if (before < 0 || !PythonUnicode.IsCasedNotIgnorable(before))
        {
            return false;
        }

        for (int k = sigmaIndex + 1; k < text.Length;)
        {
            int cp = CodePointAt(text, ref k);
            if (!PythonUnicode.IsCaseIgnorable(cp))
            {
                return !PythonUnicode.IsCasedNotIgnorable(cp);
            }
        }

        return true;
    }

    // Code point helpers that, like Python, treat a lone surrogate as a code point of its own.
    private static int CodePointAt(ReadOnlySpan<char> text, ref int index)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            index += 2;
            return char.ConvertToUtf32(c, text[index - 1]);
        }

        index++;
        return c;
    }

    private static int CodePointBefore(ReadOnlySpan<char> text, ref int index)
    {
        char c = text[index - 1];
        if (char.IsLowSurrogate(c) && index >= 2 && char.IsHighSurrogate(text[index - 2]))
        {
            index -= 2;
            return char.ConvertToUtf32(text[index], c);
        }

        index--;
        return c;
    }
}
