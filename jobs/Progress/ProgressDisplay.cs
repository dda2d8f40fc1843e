using System.Diagnostics;
using System.Globalization;
using System.Text;
using DataPipeline.Jobs.Runtime;

namespace DataPipeline.Jobs.Progress;

/// <summary>
/// Shows a stage's progress: on a terminal a bar redrawn in place (documents, bytes, rate, ETA);
/// elsewhere (logs, CI) a plain line every few seconds. Writes to stderr so stdout stays clean.
/// </summary>
public sealed class ProgressDisplay : IDisposable
{
    private readonly string _stage;
    private readonly int _tasks;
    private readonly long _totalInputBytes;
    private readonly Func<(int Done, IReadOnlyList<TaskProgress> Running, long DoneDocs, long DoneBytes, long DoneInput)> _snapshot;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly bool _quiet;

    public ProgressDisplay(string stage, int tasks, long totalInputBytes, bool quiet,
        Func<(int, IReadOnlyList<TaskProgress>, long, long, long)> snapshot)
    {
        _stage = stage;
        _tasks = tasks;
        _totalInputBytes = totalInputBytes;
        _snapshot = snapshot;
        _quiet = quiet;
        _interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb");
        _thread = new Thread(Loop) { IsBackground = true, Name = "progress" };
        if (!quiet)
        {
            _thread.Start();
        }
    }

    private void Loop()
    {
        var interval = TimeSpan.FromMilliseconds(_interactive ? 250 : 10_000);
        while (!_stop.Wait(interval))
        {
            Render(final: false);
        }
    }

    private void Render(bool final)
    {
        var (done, running, doneDocs, doneBytes, doneInput) = _snapshot();
        long docs = doneDocs + running.Sum(r => r.Documents);
        long bytes = doneBytes + running.Sum(r => r.Bytes);
        long input = doneInput + running.Sum(r => r.InputBytes);
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        double fraction = final ? 1 : _totalInputBytes > 0 ? Math.Min(1, (double)input / _totalInputBytes) : (double)done / Math.Max(1, _tasks);
        string eta = fraction > 0.01 && !final ? FormatTime(seconds / fraction - seconds) : "--:--";
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{_stage}] tasks {done}/{_tasks} ");
        if (_interactive)
        {
            int width = 24;
            int filled = (int)Math.Round(fraction * width);
            line.Append('|').Append(new string('#', filled)).Append(new string('.', width - filled)).Append("| ");
        }
        line.Append(CultureInfo.InvariantCulture, $"{fraction * 100,3:F0}%  {docs:N0} docs  {bytes / 1e6:F1} MB  {docs / seconds:N0} docs/s  {bytes / 1e6 / seconds:F1} MB/s  ");
        line.Append(final ? $"in {FormatTime(seconds)}" : $"ETA {eta}");
        if (_interactive)
        {
            Console.Error.Write("\r" + line.ToString().PadRight(Math.Max(0, SafeWidth() - 1)));
            if (final)
            {
                Console.Error.WriteLine();
            }
        }
        else
        {
            Console.Error.WriteLine(line.ToString());
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Math.Clamp(Console.WindowWidth, 40, 200);
        }
        catch (IOException)
        {
            return 100;
        }
    }

    private static string FormatTime(double s) =>
        s >= 3600 ? TimeSpan.FromSeconds(s).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(s).ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (!_quiet)
        {
            _stop.Set();
            _thread.Join();
            Render(final: true);
        }
        _stop.Dispose();
    }
}
