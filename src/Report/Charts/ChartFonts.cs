namespace DataPipeline.Report.Charts;

/// <summary>
/// Gives ScottPlot a font it can draw with. Skia's no-dependencies native build has no fontconfig,
/// so it cannot find system fonts by name and would draw no text at all; a font file is loaded
/// instead (DejaVu Sans, installed by scripts/setup.sh, or any TrueType font on the machine).
/// </summary>
internal static class ChartFonts
{
    public const string Name = "DataPipeline Sans";

    private static readonly Lazy<bool> Registered = new(Register);

    private static readonly string[] Preferred =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    ];

    /// <summary>Whether a font file was found; without one the charts still render, without text.</summary>
    public static bool Available => Registered.Value;

    private static bool Register()
    {
        var path = Preferred.FirstOrDefault(File.Exists) ?? AnyTrueType();
        if (path is null)
        {
            return false;
        }
        ScottPlot.Fonts.AddFontFile(Name, path);
        var bold = path.Replace(".ttf", "-Bold.ttf", StringComparison.Ordinal);
        if (File.Exists(bold))
        {
            ScottPlot.Fonts.AddFontFile(Name, bold, bold: true);
        }
        ScottPlot.Fonts.Default = Name;
        return true;
    }

    private static string? AnyTrueType()
    {
        foreach (var root in new[] { "/usr/share/fonts", "/usr/local/share/fonts" })
        {
            if (Directory.Exists(root))
            {
                var f = Directory.EnumerateFiles(root, "*.ttf", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault();
                if (f is not null)
                {
                    return f;
                }
            }
        }
        return null;
    }
}
