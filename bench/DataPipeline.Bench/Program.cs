using System.Diagnostics;
using System.Globalization;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Bench;

/// <summary>
/// Ingest benchmark driver: <c>read --workers W FILE...</c> reads and parses every document of the
/// files (the exact reader path a task runs, without writing), files split across W threads as
/// the partitioner splits them across tasks, and prints one JSON line: documents, text bytes,
/// compressed bytes, seconds.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "dedup-profile")
        {
            return DedupProfile.Run(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        }
        if (args.Length >= 2 && args[0] is "lid" or "lid-predict")
        {
            return LidBench.Run(args);
        }
        if (args.Length is 2 or 3 && args[0] == "dsir-profile")
        {
            return DsirProfile.Run(args[1], args.Length == 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : int.MaxValue);
        }
        if (args.Length == 3 && args[0] == "compress")
        {
            // compress FILE LEVEL: the JSONL writer's codec path alone, 1 MiB writes as the writer makes them.
            var data = File.ReadAllBytes(args[1]);
            int level = int.Parse(args[2], CultureInfo.InvariantCulture);
            var timer = Stopwatch.StartNew();
            var sink = new MemoryStream(data.Length / 2);
            using (var z = DataPipeline.Core.Compression.Codecs.OpenWrite(sink, DataPipeline.Core.Compression.Codec.Zstd, level, leaveOpen: true))
            {
                for (int i = 0; i < data.Length; i += 1 << 20) z.Write(data.AsSpan(i, Math.Min(1 << 20, data.Length - i)));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"level\":{level},\"seconds\":{timer.Elapsed.TotalSeconds:F3},\"bytes\":{sink.Length}}}"));
            return 0;
        }
        if (args.Length >= 1 && args[0] == "filters")
        {
            return FilterBench.Run(args[1..]);
        }
        if (args.Length >= 4 && args[0] == "decompress" && args[1] == "--workers")
        {
            return Decompress(int.Parse(args[2], CultureInfo.InvariantCulture), args[3..]);
        }
        if (args.Length < 3 || args[0] != "read" || args[1] != "--workers")
        {
            Console.Error.WriteLine("usage: DataPipeline.Bench read --workers W FILE... | decompress --workers W FILE... | dsir-profile FILE.jsonl [DOCS] | filters [options] FILE | dedup-profile FILE DOCS | lid ...");
            return 2;
        }
        int workers = int.Parse(args[2], CultureInfo.InvariantCulture);
        var files = InputResolver.Resolve(args[3..], Directory.GetCurrentDirectory());
        var slices = Partitioner.Partition(files.Select(f => (f.FullPath, f.Size)).ToList(), workers);
        var byPath = files.ToDictionary(f => f.FullPath, StringComparer.Ordinal);
        // Warm-up: read the first 20 MB once untimed, so the timing measures steady-state reading
        // rather than process start-up and first-call costs (those are in the wall-clock rows).
        WarmUp(files[0]);
        long documents = 0, textBytes = 0, errors = 0;
        var clock = Stopwatch.StartNew();
        var threads = slices.Select(taskSlices => new Thread(() =>
        {
            var options = new ReaderOptions();
            var stats = new TaskStats();
            var policy = new ReadErrorPolicy(false, stats, null);
            long docs = 0, bytes = 0;
            foreach (var slice in taskSlices)
            {
                var file = byPath[slice.Path];
                var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), options);
                foreach (var d in reader.Read(slice, file, new FileStats(), policy, null))
                {
                    docs++;
                    bytes += d.Utf8Length;
                }
            }
            Interlocked.Add(ref documents, docs);
            Interlocked.Add(ref textBytes, bytes);
            Interlocked.Add(ref errors, stats.Errors.Values.Sum() + stats.FileFaults.Values.Sum());
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"workers\":{workers},\"documents\":{documents},\"text_bytes\":{textBytes},\"errors\":{errors},\"input_bytes\":{files.Sum(f => f.Size)},\"seconds\":{seconds:F4}}}"));
        return errors == 0 ? 0 : 1;
    }

    private static void WarmUp(InputFile file)
    {
        var reader = InputFormats.CreateReader(InputFormats.Detect(file.FullPath, "auto"), new ReaderOptions());
        long bytes = 0;
        foreach (var d in reader.Read(InputSlice.WholeFile(file.FullPath, file.Size), file, new FileStats(), new ReadErrorPolicy(false, new TaskStats(), null), null))
        {
            bytes += d.Utf8Length;
            if (bytes > 20_000_000)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Our decoder alone (libzstd through the same stream the readers use), counting lines, files
    /// split across W threads: the decompression share of reading, and how far it scales here.
    /// </summary>
    private static int Decompress(int workers, string[] paths)
    {
        var slices = Partitioner.Partition(paths.Select(p => (Path.GetFullPath(p), new FileInfo(p).Length)).ToList(), workers);
        long bytes = 0, lines = 0;
        var clock = Stopwatch.StartNew();
        var threads = slices.Select(taskSlices => new Thread(() =>
        {
            var buffer = new byte[1 << 17];
            long b = 0, l = 0;
            foreach (var slice in taskSlices)
            {
                using var s = DataPipeline.Core.Compression.Codecs.OpenRead(File.OpenRead(slice.Path), DataPipeline.Core.Compression.Codecs.FromFileName(slice.Path));
                int n;
                while ((n = s.Read(buffer)) > 0)
                {
                    b += n;
                    l += buffer.AsSpan(0, n).Count((byte)'\n');
                }
            }
            Interlocked.Add(ref bytes, b);
            Interlocked.Add(ref lines, l);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"workers\":{workers},\"bytes\":{bytes},\"lines\":{lines},\"seconds\":{clock.Elapsed.TotalSeconds:F4}}}"));
        return 0;
    }
}
