using System.Globalization;
using ScottPlot;

namespace DataPipeline.Report.Charts;

/// <summary>One named series of a histogram.</summary>
public sealed record Series(string Name, IReadOnlyList<double> Values);

/// <summary>
/// Draws the report's charts as PNG. Sized for a laptop screen (900 × 380 px shown at that size);
/// every chart has a title, axis labels with units, and a legend when it has several series.
/// </summary>
public static class ChartMaker
{
    public const int Width = 900;
    public const int Height = 380;

    private static readonly Color[] Palette = [Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728")];

    /// <summary>Bars with a category label each; horizontal when labels are long (reasons, step names).</summary>
    public static Chart Bars(string title, string valueLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values, bool horizontal, string alt, string? categoryLabel = null)
    {
        _ = ChartFonts.Available;
        var plot = NewPlot(title);
        int n = labels.Count;
        var bars = new List<Bar>();
        for (int i = 0; i < n; i++)
        {
            // Horizontal charts list the first category at the top, as a table would.
            double pos = horizontal ? n - 1 - i : i;
            // Value labels: a count of 2 next to one of 900 is otherwise an invisible bar.
            bars.Add(new Bar
            {
                Position = pos, Value = values[i], FillColor = Palette[0], Size = 0.7,
                Orientation = horizontal ? Orientation.Horizontal : Orientation.Vertical,
                Label = ValueLabel(values[i]),
            });
        }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 11;
        var ticks = labels.Select((l, i) => new Tick(horizontal ? n - 1 - i : i, Shorten(l), isMajor: true)).ToArray();
        if (horizontal)
        {
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.Margins(left: 0, right: 0.12);
            plot.XLabel(valueLabel);
            if (categoryLabel is not null)
            {
                plot.YLabel(categoryLabel);
            }
        }
        else
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.Margins(bottom: 0, top: 0.12);
            plot.YLabel(valueLabel);
            if (categoryLabel is not null)
            {
                plot.XLabel(categoryLabel);
            }
        }
        int height = horizontal ? Math.Clamp(90 + 24 * n, 200, 900) : Height;
        return Render(plot, title, alt, Width, height);
    }

    /// <summary>
    /// Histograms of one or more series over the same bins, as step outlines so that overlapping
    /// series stay readable. With <paramref name="logX"/> the bins are even in log10 and the axis
    /// is labelled in plain numbers (10, 100, 1k, ...), which suits lengths that span decades.
    /// </summary>
    public static Chart Histogram(string title, string xLabel, IReadOnlyList<Series> series, bool logX, int bins, string alt, double? min = null, double? max = null)
    {
        _ = ChartFonts.Available;
        // One unnamed series needs no legend: its size goes in the title.
        bool legend = series.Count > 1 || series[0].Name.Length > 0;
        var plot = NewPlot(legend ? title : $"{title} (n = {series[0].Values.Count:N0})");
        Func<double, double> f = logX ? v => Math.Log10(Math.Max(1, v)) : v => v;
        var all = series.SelectMany(s => s.Values).Select(f).ToList();
        double lo = min ?? (all.Count > 0 ? all.Min() : 0);
        double hi = max ?? (all.Count > 0 ? all.Max() : 1);
        if (hi <= lo)
        {
            hi = lo + 1;
        }
        double width = (hi - lo) / bins;
        for (int k = 0; k < series.Count; k++)
        {
            var counts = new double[bins];
            foreach (var v in series[k].Values)
            {
                int b = (int)Math.Floor((f(v) - lo) / width);
                counts[Math.Clamp(b, 0, bins - 1)]++;
            }
            // Share of the series per bin, so a small "after" sample compares with a large "before" one.
            double total = Math.Max(1, series[k].Values.Count);
            var xs = new double[bins + 1];
            var ys = new double[bins + 1];
            for (int i = 0; i <= bins; i++)
            {
                xs[i] = lo + i * width;
                ys[i] = 100 * counts[Math.Min(i, bins - 1)] / total;
            }
            var line = plot.Add.ScatterLine(xs, ys, Palette[k % Palette.Length]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            if (legend)
            {
                line.LegendText = $"{series[k].Name} (n = {series[k].Values.Count:N0})";
            }
            if (series.Count == 1)
            {
                line.FillY = true;
                line.FillYColor = Palette[0].WithAlpha(0.3);
            }
        }
        if (logX)
        {
            var ticks = new List<Tick>();
            for (int e = (int)Math.Floor(lo); e <= (int)Math.Ceiling(hi); e++)
            {
                ticks.Add(new Tick(e, Plain(Math.Pow(10, e)), isMajor: true));
            }
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks]);
        }
        plot.XLabel(xLabel);
        plot.YLabel("share of documents (%)");
        plot.Axes.Margins(bottom: 0, top: 0.08);
        if (legend)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }
        return Render(plot, title, alt, Width, Height);
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Title(title, size: 16);
        plot.Axes.Bottom.Label.FontSize = 14;
        plot.Axes.Left.Label.FontSize = 14;
        return plot;
    }

    private static Chart Render(Plot plot, string title, string alt, int width, int height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        return new Chart(title, alt, png, width, height);
    }

    /// <summary>Exact up to 100,000 (counts read as counts), then short (1.2M).</summary>
    private static string ValueLabel(double v) =>
        v >= 1e5 ? Plain(v) : v == Math.Floor(v) ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>1, 10, 100, 1k, 10k, 1M: tick labels a reader takes in at a glance.</summary>
    public static string Plain(double v) => v switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (v / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Shorten(string label) => label.Length <= 48 ? label : label[..47] + "…";
}
