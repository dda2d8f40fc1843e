namespace DataPipeline.Report.Charts;

/// <summary>A rendered chart: PNG bytes plus the text a reader (or a screen reader) needs without the picture.</summary>
public sealed record Chart(string Title, string AltText, byte[] Png, int Width, int Height);
