using System.CommandLine;
using System.Globalization;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>Exact and MinHash-LSH near-duplicate removal: a one-stage pipeline whose only step is dedup (run as its four passes).</summary>
internal static class DedupCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input", "-i") { Description = "input files, folders or globs (any supported document format)", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "output folder: kept documents as part files, removed.jsonl (id, duplicate_of, cluster), stats.json; the passes' own files in OUT/dedup.*/", Required = true };
        var exact = new Option<bool>("--exact") { Description = "exact dedup of the normalised text (128-bit hash); with neither --exact nor --minhash both run" };
        var minhash = new Option<bool>("--minhash") { Description = "MinHash-LSH near-duplicate dedup; with neither --exact nor --minhash both run" };
        var ngram = new Option<int>("--ngram") { Description = "words (or characters with --shingles characters) per shingle", DefaultValueFactory = _ => 5 };
        var shingles = new Option<string>("--shingles") { Description = "words (datatrove) or characters (NeMo Curator)", DefaultValueFactory = _ => "words" };
        var bands = new Option<int?>("--bands") { Description = "LSH bands b (default 14, datatrove's)" };
        var rows = new Option<int?>("--rows") { Description = "rows per band r (default 8)" };
        var threshold = new Option<double?>("--threshold") { Description = "Jaccard threshold instead of --bands/--rows: b and r chosen by text-dedup's false positive/negative optimiser over --num-perm permutations" };
        var numPerm = new Option<int>("--num-perm") { Description = "permutations available to --threshold", DefaultValueFactory = _ => 112 };
        var seed = new Option<long>("--seed") { Description = "seed of the permutations", DefaultValueFactory = _ => 1 };
        var backend = new Option<string>("--backend") { Description = "cpu (SIMD), gpu (CUDA through ILGPU; an error without a device), auto (GPU when present, else CPU with a warning)", DefaultValueFactory = _ => "cpu" };
        var verify = new Option<bool>("--verify") { Description = "check every candidate pair's exact Jaccard before joining it (costs a shingle file per task)" };
        var verifyThreshold = new Option<double?>("--verify-threshold") { Description = "Jaccard a pair must reach under --verify (default: --threshold, else (1/b)^(1/r))" };
        var bucketWorkers = new Option<int>("--bucket-workers") { Description = "tasks each band's bucket merge is split into, by hash range", DefaultValueFactory = _ => 1 };
        var format = new Option<string?>("--format") { Description = "format of the kept documents: jsonl, jsonl.gz, jsonl.zst (default) or parquet" };
        var keepRemoved = new Option<bool>("--keep-removed") { Description = "also write the removed documents themselves under OUT/removed/" };
        var workers = new Option<int>("--workers", "-w") { Description = "worker threads (default: one per core)" };
        var tasks = new Option<int>("--tasks") { Description = "number of map tasks T (default: one per input file, at least one per worker)" };
        var inputFormat = new Option<string>("--input-format") { Description = "auto (from file names), jsonl, parquet, arrow or text", DefaultValueFactory = _ => "auto" };
        var textField = new Option<string>("--text-field") { Description = "name of the text field", DefaultValueFactory = _ => "text" };
        var idField = new Option<string>("--id-field") { Description = "name of the id field (ids are made from file and position when absent)", DefaultValueFactory = _ => "id" };
        var onError = new Option<string>("--on-error") { Description = "bad input: skip (count and quarantine) or fail", DefaultValueFactory = _ => "skip" };
        var resume = new Option<bool>("--resume") { Description = "continue an interrupted run into the same folder" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace an earlier run in the output folder" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var command = new Command("dedup",
            "Remove exact and near duplicates (MinHash-LSH, datatrove's defaults: word 5-grams, 14 bands x 8 rows). Keeps the first document of every " +
            "duplicate cluster in input order. Runs as four resumable passes: signatures, buckets, clusters, filter.")
        {
            input, output, exact, minhash, ngram, shingles, bands, rows, threshold, numPerm, seed, backend, verify, verifyThreshold, bucketWorkers,
            format, keepRemoved, workers, tasks, inputFormat, textField, idField, onError, resume, overwrite, quiet,
        };
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            static string S(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
            bool both = !parse.GetValue(exact) && !parse.GetValue(minhash);
            var settings = new Dictionary<object, object?>
            {
                ["exact"] = both || parse.GetValue(exact) ? "true" : "false",
                ["minhash"] = both || parse.GetValue(minhash) ? "true" : "false",
                ["ngram"] = S(parse.GetValue(ngram)),
                ["shingles"] = parse.GetValue(shingles),
                ["seed"] = S(parse.GetValue(seed)),
                ["backend"] = parse.GetValue(backend),
                ["verify"] = parse.GetValue(verify) ? "true" : "false",
                ["bucket_workers"] = S(parse.GetValue(bucketWorkers)),
            };
            if (parse.GetValue(threshold) is { } t)
            {
                if (parse.GetValue(bands) is not null || parse.GetValue(rows) is not null)
                {
                    throw new ConfigException("give either --threshold or --bands/--rows, not both");
                }
                settings["threshold"] = S(t);
                settings["num_perm"] = S(parse.GetValue(numPerm));
            }
            if (parse.GetValue(bands) is { } b)
            {
                settings["bands"] = S(b);
            }
            if (parse.GetValue(rows) is { } r)
            {
                settings["rows"] = S(r);
            }
            if (parse.GetValue(verifyThreshold) is { } vt)
            {
                settings["verify_threshold"] = S(vt);
            }
            var config = new PipelineConfig
            {
                Name = "dedup",
                Input = new InputConfig
                {
                    Paths = [.. parse.GetValue(input)!],
                    Format = parse.GetValue(inputFormat)!,
                    TextField = parse.GetValue(textField)!,
                    IdField = parse.GetValue(idField)!,
                },
                KeepRemoved = parse.GetValue(keepRemoved),
                Stages = [new StageConfig { Name = "dedup", Tasks = Math.Max(0, parse.GetValue(tasks)), Steps = [new Dictionary<string, object?> { ["dedup"] = settings }] }],
                SourceText = "# datapipe dedup " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1)) + "\n",
            };
            RunCommand.ApplyOverrides(config, parse.GetValue(format), parse.GetValue(onError));
            return OneStageRun.Run(config, parse.GetValue(output)!, parse.GetValue(workers), parse.GetValue(quiet), parse.GetValue(resume), parse.GetValue(overwrite), cancel);
        }));
        return command;
    }
}
