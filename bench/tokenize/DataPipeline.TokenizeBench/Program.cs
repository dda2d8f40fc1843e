using ConcurrentQueueOfInt = System.Collections.Concurrent.ConcurrentQueue<int>;
using System.Diagnostics;
using System.Globalization;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;
using DataPipeline.Tokenize.Packing;
using DataPipeline.Tokenize.Steps;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.TokenizeBench;

/// <summary>
/// Tokenize benchmark driver (bench/tokenize/run.sh). Two verbs, each printing one JSON line
/// (documents, text bytes, tokens, seconds):
/// <list type="bullet">
/// <item><c>encode --workers W --tokenizer T FILE...</c>: the baseline. Every document's text is
/// read into memory first (untimed); then W threads run Microsoft.ML.Tokenizers' bare
/// <c>EncodeToIds</c> over them, one input file per task, tasks taken in order as the local
/// executor does. SentencePiece models (a path ending .model) use our SentencePieceProcessor.</item>
/// <item><c>step --workers W --format mds|megatron --packing none|concat|bestfit --tokenizer T
/// --output DIR [--read-ahead false] FILE...</c>: the pipeline's tokenize step as a task runs it,
/// one task per input file: read and parse the file (on the step's read-ahead thread unless
/// turned off), tokenize, pack, write the task's MDS (zstd) or Megatron part, then merge the parts
/// as the stage finalizer does. Timed from the first file opened to the merged index written.</item>
/// <item><c>compare --rounds N</c> with step's options: the two above alternating N times in one
/// process after both are warm; prints each round's seconds and the median ratio.</item>
/// </list>
/// Both warm up untimed first (the tokenizer's vocabulary load and first calls), so the timings
/// compare steady-state work on the same text.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("encode" or "encode-ours" or "step" or "compare"))
        {
            Console.Error.WriteLine("usage: DataPipeline.TokenizeBench encode --workers W --tokenizer T FILE...\n" +
                                    "       DataPipeline.TokenizeBench step --workers W --format F --packing P --tokenizer T --output DIR [--seq-len L] FILE...\n" +
                                    "       DataPipeline.TokenizeBench compare --rounds N (and step's options) FILE...");
            return 2;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                options[args[i][2..]] = args[++i];
            }
            else
            {
                files.Add(args[i]);
            }
        }
        int workers = int.Parse(options["workers"], CultureInfo.InvariantCulture);
        string tokenizerName = options["tokenizer"];
        var spec = tokenizerName.EndsWith(".model", StringComparison.Ordinal)
            ? TokenizerSpec.SentencePieceModel(Path.GetFullPath(tokenizerName))
            : TokenizerSpec.Named(tokenizerName);
        var inputs = InputResolver.Resolve(files, Directory.GetCurrentDirectory());
        // One task per input file, as `datapipe tokenize` makes them by default.
        var tasks = Partitioner.Partition(inputs.Select(f => (f.FullPath, f.Size)).ToList(), inputs.Count);
        var byPath = inputs.ToDictionary(f => f.FullPath, StringComparer.Ordinal);
        return args[0] switch
        {
            "encode" => Encode(spec, workers, tasks, byPath, ours: false),
            "encode-ours" => Encode(spec, workers, tasks, byPath, ours: true),
            "compare" => Compare(spec, workers, tasks, byPath, options),
            _ => Step(spec, workers, tasks, byPath, options),
        };
    }

    private static IEnumerable<Document> Read(IReadOnlyList<InputSlice> slices, IReadOnlyDictionary<string, InputFile> byPath)
    {
        var policy = new ReadErrorPolicy(false, new TaskStats(), null);
        foreach (var slice in slices)
        {
            var file = byPath[slice.Path];
            var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), new ReaderOptions());
            foreach (var d in reader.Read(slice, file, new FileStats(), policy, null))
            {
                yield return d;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/>(worker, task) for each task on W threads, tasks handed out in rank order.</summary>
    private static double RunTasks(int workers, int taskCount, Action<int, int> work)
    {
        var queue = new ConcurrentQueueOfInt(Enumerable.Range(0, taskCount));
        CpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        GcAtStart = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(worker => new Thread(() =>
        {
            while (queue.TryDequeue(out int rank))
            {
                work(worker, rank);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return clock.Elapsed.TotalSeconds;
    }

    private static int Encode(TokenizerSpec spec, int workers, IReadOnlyList<InputSlice>[] tasks, IReadOnlyDictionary<string, InputFile> byPath, bool ours)
    {
        var texts = tasks.Select(t => Read(t, byPath).Select(d => d.Text).ToArray()).ToArray();
        long textBytes = texts.Sum(t => t.Sum(s => (long)System.Text.Encoding.UTF8.GetByteCount(s)));
        var encoders = ours ? OurEncoders(spec, workers, texts) : Encoders(spec, workers, texts);
        var (seconds, tokens) = TimeEncode(workers, texts, encoders);
        Print(ours ? "encode-ours" : "encode", workers, texts.Sum(t => t.Length), textBytes, tokens, seconds);
        return 0;
    }

    /// <summary>
    /// Our DocumentEncoder (what the step uses) over the same in-memory texts, one per worker thread,
    /// each warmed up: the tokenizer's own cost without reading, packing or writing.
    /// </summary>
    private static Func<string, int>[] OurEncoders(TokenizerSpec spec, int workers, string[][] texts) =>
        Enumerable.Range(0, workers).Select(_ =>
        {
            var encoder = new DocumentEncoder(TokenizerFactory.Create(spec with { AddEos = false }));
            var ids = new List<int>();
            Func<string, int> encode = text =>
            {
                ids.Clear();
                encoder.Encode(text.AsSpan(), ids);
                return ids.Count;
            };
            WarmUp(texts, encode);
            return encode;
        }).ToArray();

    /// <summary>
    /// Bare encode: Microsoft.ML.Tokenizers' EncodeToIds (our SentencePieceProcessor for .model
    /// files). One tokenizer per worker thread, each warmed up, as the step's tasks rent theirs.
    /// </summary>
    private static Func<string, int>[] Encoders(TokenizerSpec spec, int workers, string[][] texts) =>
        Enumerable.Range(0, workers).Select(_ =>
        {
            var tokenizer = TokenizerFactory.Create(spec with { AddEos = false });
            Func<string, int> encode = tokenizer.Inner is { } inner
                ? text => inner.EncodeToIds(text).Count
                : text => tokenizer.EncodeText(text).Count;
            WarmUp(texts, encode);
            return encode;
        }).ToArray();

    private static (double Seconds, long Tokens) TimeEncode(int workers, string[][] texts, Func<string, int>[] encoders)
    {
        long tokens = 0;
        double seconds = RunTasks(workers, texts.Length, (worker, rank) =>
        {
            long n = 0;
            foreach (var text in texts[rank])
            {
                n += encoders[worker](text);
            }
            Interlocked.Add(ref tokens, n);
        });
        return (seconds, tokens);
    }

    /// <summary>
    /// The baseline and the step in one process, alternating ROUNDS times after both are warm, so
    /// a shared machine's drifts (seconds long) hit both alike: prints every round's times and
    /// the median of the per-round ratios baseline / step.
    /// </summary>
    private static int Compare(TokenizerSpec spec, int workers, IReadOnlyList<InputSlice>[] tasks, IReadOnlyDictionary<string, InputFile> byPath, Dictionary<string, string> options)
    {
        int rounds = int.Parse(options["rounds"], CultureInfo.InvariantCulture);
        var settings = StepSettings(spec, options);
        string output = Path.GetFullPath(options["output"]);
        var texts = tasks.Select(t => Read(t, byPath).Select(d => d.Text).ToArray()).ToArray();
        long textBytes = texts.Sum(t => t.Sum(s => (long)System.Text.Encoding.UTF8.GetByteCount(s)));
        var encoders = Encoders(spec, workers, texts);
        WarmUpStep(settings, output, workers, tasks, byPath);
        var bare = new List<double>();
        var step = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            bare.Add(TimeEncode(workers, texts, encoders).Seconds);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
            var clock = Stopwatch.StartNew();
            RunStep(settings, output, tasks.Select(t => Read(t, byPath)).ToArray(), workers);
            step.Add(clock.Elapsed.TotalSeconds);
        }
        var ratios = bare.Zip(step, (b, s) => b / s).Order().ToList();
        static string List(IEnumerable<double> xs) => string.Join(",", xs.Select(x => x.ToString("F4", CultureInfo.InvariantCulture)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"what\":\"compare {settings.Format} {settings.Packing.ToString().ToLowerInvariant()}{(settings.ReadAhead ? "" : " no-read-ahead")}\",\"workers\":{workers},\"text_bytes\":{textBytes},\"bare_seconds\":[{List(bare)}],\"step_seconds\":[{List(step)}],\"ratio_median\":{ratios[ratios.Count / 2]:F4}}}"));
        return 0;
    }

    private static void WarmUp(string[][] texts, Func<string, int> encode)
    {
        long bytes = 0;
        foreach (var text in texts.SelectMany(t => t))
        {
            encode(text);
            bytes += text.Length;
            if (bytes > 4_000_000)
            {
                break;
            }
        }
    }

    private static int Step(TokenizerSpec spec, int workers, IReadOnlyList<InputSlice>[] tasks, IReadOnlyDictionary<string, InputFile> byPath, Dictionary<string, string> options)
    {
        var settings = StepSettings(spec, options);
        string format = settings.Format;
        string output = Path.GetFullPath(options["output"]);
        WarmUpStep(settings, output, workers, tasks, byPath);
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
        var clock = Stopwatch.StartNew();
        var stats = RunStep(settings, output, tasks.Select(t => Read(t, byPath)).ToArray(), workers);
        double seconds = clock.Elapsed.TotalSeconds;
        long documents = 0, textBytes = 0, tokens = 0;
        foreach (var s in stats)
        {
            documents += s.DocumentsIn;
            textBytes += s.BytesIn;
            tokens += (long)(s.Counters?.GetValueOrDefault("input_tokens") ?? 0);
        }
        Print($"step {format} {(format == "megatron" ? "none" : options["packing"])}{(settings.ReadAhead ? "" : " no-read-ahead")}", workers, documents, textBytes, tokens, seconds);
        return 0;
    }

    /// <summary>
    /// Warm-up: the step over the first documents of the first W files, on W workers, into a
    /// scratch folder (each worker's tokenizer loaded and warm, as the baseline's are).
    /// </summary>
    private static void WarmUpStep(TokenizeSettings settings, string output, int workers, IReadOnlyList<InputSlice>[] tasks, IReadOnlyDictionary<string, InputFile> byPath)
    {
        string warm = output + ".warmup";
        RunStep(settings, warm, tasks.Take(workers).Select(t => Read(t, byPath).Take(1500)).ToArray(), workers);
        Directory.Delete(warm, recursive: true);
    }

    private static TokenizeSettings StepSettings(TokenizerSpec spec, Dictionary<string, string> options)
    {
        string format = options["format"];
        var packing = options["packing"] switch
        {
            "none" => PackingMode.None,
            "concat" => PackingMode.Concat,
            "bestfit" => PackingMode.BestFit,
            var p => throw new ArgumentException($"packing {p}"),
        };
        var settings = new TokenizeSettings
        {
            Tokenizer = spec,
            Format = format,
            Packing = format == "megatron" ? PackingMode.None : packing,
            PadId = 0,
            SequenceLength = options.TryGetValue("seq-len", out var l) ? int.Parse(l, CultureInfo.InvariantCulture) : 2048,
            Compression = format == "mds" ? "zstd" : null,
            ReadAhead = !options.TryGetValue("read-ahead", out var ra) || ra != "false",
        };
        return settings;
    }

    /// <summary>One TokenizeStep per task, W threads, then the stage finalizer's merge; the tasks' step stats.</summary>
    private static StepStats[] RunStep(TokenizeSettings settings, string output, IEnumerable<Document>[] taskDocuments, int workers)
    {
        Directory.CreateDirectory(output);
        var stats = new StepStats[taskDocuments.Length];
        RunTasks(workers, taskDocuments.Length, (worker, rank) =>
        {
            var stepStats = new StepStats { Name = "tokenize" };
            var outputs = new Outputs(output, rank);
            var context = new StepContext(rank, taskDocuments.Length, stepStats, null, CancellationToken.None, outputs);
            using var step = new TokenizeStep(settings);
            long docs = 0, bytes = 0;
            foreach (var _ in step.Run(Counted(taskDocuments[rank]), context))
            {
            }
            step.Complete(context);
            stepStats.DocumentsIn = docs;
            stepStats.BytesIn = bytes;
            stats[rank] = stepStats;

            IEnumerable<Document> Counted(IEnumerable<Document> documents)
            {
                foreach (var d in documents)
                {
                    docs++;
                    bytes += d.Utf8Length;
                    yield return d;
                }
            }
        });
        var taskStats = stats.Select((s, rank) => new TaskStats { Rank = rank, WorldSize = stats.Length, Steps = [s] }).ToList();
        new TokenizeStep(settings).FinalizeStage(output, taskStats);
        return stats;
    }

    /// <summary>The process's CPU time when the timed section began.</summary>
    private static TimeSpan CpuAtStart;

    private static (int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated) GcAtStart;

    /// <summary>One JSON line; cpu_seconds is the process's CPU time (all threads) since the timed section began.</summary>
    private static void Print(string what, int workers, long documents, long textBytes, long tokens, double seconds)
    {
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - CpuAtStart).TotalSeconds;
        var g = GcAtStart;
        string gc = string.Create(CultureInfo.InvariantCulture,
            $"\"gc\":[{GC.CollectionCount(0) - g.Gen0},{GC.CollectionCount(1) - g.Gen1},{GC.CollectionCount(2) - g.Gen2}],\"gc_pause_s\":{(GC.GetTotalPauseDuration() - g.Pause).TotalSeconds:F4},\"allocated_mb\":{(GC.GetTotalAllocatedBytes() - g.Allocated) / 1e6:F1}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"what\":\"{what}\",\"workers\":{workers},\"documents\":{documents},\"text_bytes\":{textBytes},\"tokens\":{tokens},\"seconds\":{seconds:F4},\"cpu_seconds\":{cpu:F4},{gc}}}"));
    }

    /// <summary>A task's outputs written straight into the stage folder (the bench has no commit protocol to follow).</summary>
    private sealed class Outputs(string directory, int rank) : ITaskOutputs
    {
        public string Directory => directory;

        public string PartName => "part-" + rank.ToString("D5", CultureInfo.InvariantCulture);

        public string ReserveDirectory(string name)
        {
            string path = Path.Combine(directory, name);
            System.IO.Directory.CreateDirectory(path);
            return path;
        }

        public string ReserveFile(string name) => Path.Combine(directory, name);
    }
}
