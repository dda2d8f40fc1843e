using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Steps;

/// <summary>
/// Drops documents whose text is shorter or longer than a bound, in characters (Unicode code
/// points, as Python's len() counts them, so thresholds carry over from Python tools).
/// </summary>
public sealed class LengthFilter(long minChars, long maxChars) : FilterStep
{
    public override string Name => "length_filter";

    public override string? Check(Document document)
    {
        // UTF-16 length bounds the code-point count from above and, halved, from below; count exactly only when it matters.
        int utf16 = document.Text.Length;
        if (utf16 >= minChars * 2 && utf16 <= maxChars)
        {
            return null;
        }
        long codePoints = PyText.Length(document.Text);
        if (codePoints < minChars)
        {
            return "too_short";
        }
        return codePoints > maxChars ? "too_long" : null;
    }


    public static void Register(StepRegistry registry) =>
        registry.Register("length_filter", "drop documents shorter than min_chars or longer than max_chars (code points)", p =>
            new LengthFilter(p.GetLong("min_chars", 0), p.GetLong("max_chars", long.MaxValue)));
}
