using System.Globalization;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Formats a double as Python's <c>repr(float)</c> (and so <c>json.dumps</c>) does: the shortest
/// digits that round-trip, positional notation for exponents -4..15 with a trailing <c>.0</c>,
/// otherwise <c>1e-05</c> / <c>1.5e+16</c> with at least two exponent digits. .NET's "R" gives the
/// same digits but a different layout, so only its digits are reused.
/// </summary>
public static class PythonFloat
{
    /// <summary>Python's <c>repr</c>; JSON callers map the non-finite values themselves.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }
        // "E16" is not shortest; "R" is, in the form [-]d[.ddd][E[+-]xx].
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        bool negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }
        int e = r.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? r : r[..e];
        int exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int intDigits = dot < 0 ? mantissa.Length : dot;
        // decpt: value = 0.digits * 10^decpt, after dropping leading zeros (e.g. "0.001").
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }
        int decpt = intDigits + exponent - lead;
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        var sb = new System.Text.StringBuilder(32);
        if (negative)
        {
            sb.Append('-');
        }
        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0)
            {
                sb.Append("0.").Append('0', -decpt).Append(digits);
            }
            else if (decpt >= digits.Length)
            {
                sb.Append(digits).Append('0', decpt - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digits.Length - decpt);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }
            int exp = decpt - 1;
            sb.Append(exp < 0 ? "e-" : "e+").Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>The token <c>json.dumps</c> writes: <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> or <see cref="Repr"/>.</summary>
    public static string JsonToken(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : Repr(value);
}
