using System.Text.RegularExpressions;

namespace DataPipeline.Filtering.Steps;

/// <summary>Regexes of c4_filters.py. .NET's \d is Unicode Nd, like Python's \d on str.</summary>
internal static partial class C4Patterns
{
    [GeneratedRegex(@"\[\d*]|\[edit]|\[citation needed]", RegexOptions.CultureInvariant)]
    public static partial Regex Citation();
}
