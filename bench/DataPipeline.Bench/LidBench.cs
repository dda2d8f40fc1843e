using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Filtering.FastText;
using DataPipeline.Filtering.Steps;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Bench;

/// <summary>
/// Language-id benchmark modes (bench/filters/lid.sh):
/// <list type="bullet">
/// <item><c>lid [--model PATH] FILE...</c>: reads every document into memory, then runs the
/// <c>language</c> step (languages [en], upstream defaults) over them on one thread, after one
/// untimed pass over the first 2,000 documents; prints one JSON line: documents, text bytes,
/// seconds, documents kept.</item>
/// <item><c>lid-predict [--model PATH] [--k K] FILE.jsonl</c>: prints fastText-style predictions
/// for each line's "text" (newlines read as spaces), one JSON line each, to compare with fastText.</item>
/// </list>
/// </summary>
internal static class LidBench
{
    public static int Run(string[] args)
    {
        string? model = null;
        int k = 5;
        var files = new List<string>();
        bool predict = args[0] == "lid-predict";
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--model" && i + 1 < args.Length)
            {
                model = args[++i];
            }
            else if (args[i] == "--k" && i + 1 < args.Length)
            {
                k = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                files.Add(args[i]);
            }
        }
        var lid = FastTextModel.LoadShared(model ?? ModelFiles.RequireLid());
        return predict ? Predict(lid, k, files) : Throughput(lid, files);
    }

    private static int Predict(FastTextModel model, int k, List<string> files)
    {
        var predictor = model.CreatePredictor();
        var predictions = new List<FastTextPrediction>();
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file))
            {
                string text = JsonDocument.Parse(line).RootElement.GetProperty("text").GetString() ?? "";
                predictor.Predict(text.AsSpan(), k, 0f, predictions, FastTextNewlines.AsSpace);
                stdout.Write("{\"labels\":[");
                stdout.Write(string.Join(",", predictions.Select(p => "\"" + model.Labels[p.Label] + "\"")));
                stdout.Write("],\"probs\":[");
                stdout.Write(string.Join(",", predictions.Select(p => ((double)p.Probability).ToString("R", CultureInfo.InvariantCulture))));
                stdout.Write("]}\n");
            }
        }
        return 0;
    }

    private static int Throughput(FastTextModel model, List<string> paths)
    {
        var files = InputResolver.Resolve(paths, Directory.GetCurrentDirectory());
        var documents = new List<Document>();
        var policy = new ReadErrorPolicy(false, new TaskStats(), null);
        foreach (var file in files)
        {
            var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), new ReaderOptions());
            documents.AddRange(reader.Read(InputSlice.WholeFile(file.FullPath, file.Size), file, new FileStats(), policy, null));
        }
        long bytes = documents.Sum(d => (long)d.Utf8Length);
        var filter = new LanguageFilter(model, new LanguageFilterOptions { Languages = ["en"] });
        foreach (var d in documents.Take(2000))
        {
            filter.Check(d);
        }
        long kept = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        foreach (var d in documents)
        {
            if (filter.Check(d) is null)
            {
                kept++;
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;
        // CPU seconds of the process over the timed loop: on a shared machine the wall clock also
        // counts the time other jobs held the core.
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"documents\":{documents.Count},\"text_bytes\":{bytes},\"seconds\":{seconds:F4},\"cpu_seconds\":{cpuSeconds:F4},\"kept\":{kept}}}"));
        return 0;
    }
}
