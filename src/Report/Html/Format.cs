using System.Globalization;

namespace DataPipeline.Report.Html;

/// <summary>How numbers read in the report: grouped integers, MB with one decimal, percentages.</summary>
public static class Format
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static string Count(double v) => v.ToString("N0", Ci);

    public static string MB(double bytes) => (bytes / 1e6).ToString("N1", Ci) + " MB";

    public static string Percent(double fraction) => double.IsFinite(fraction) ? (100 * fraction).ToString("0.0", Ci) + " %" : "—";

    public static string Seconds(double s) => s.ToString(s < 10 ? "0.00" : "N1", Ci) + " s";

    public static string Rate(double amount, double seconds, string unit) =>
        seconds > 0 ? (amount / seconds).ToString(amount / seconds < 10 ? "0.00" : "N0", Ci) + " " + unit : "—";

    public static string Number(double v, string format = "N1") => v.ToString(format, Ci);
}
