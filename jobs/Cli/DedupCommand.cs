using System.CommandLine;
using System.Globalization;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>Exact and MinHash-LSH near-duplicate removal: a one-stage pipeline whose only step is dedup (run as its four passes).</summary>
internal static class DedupCommand
{
    public static Command Create()
    {
        var common = new OneStageOptions(
            "input files, folders or globs (any supported document format)",
            "output folder: kept documents as part files, removed.jsonl (id, duplicate_of, cluster), stats.json; the passes' own files in OUT/dedup.*/",
            "number of map tasks T (default: one per input file, at least one per worker)",
            "format of the kept documents: jsonl, jsonl.gz, jsonl.zst (default) or parquet");
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
        var verifyThreshold = new Option<double?>("--verify-threshold") { Description = "exact Jaccard a pair must reach under --verify (default: --threshold, else --confirm's 0.6)" };
        var candidateRows = new Option<int?>("--candidate-rows") { Description = "rows per LSH band when searching for candidates (default: half a band, 4; --rows searches datatrove's whole bands)" };
        var confirm = new Option<double?>("--confirm") { Description = "estimated Jaccard (share of equal signature values) a candidate pair must reach (default 0.6, or --threshold; 0 = off). --candidate-rows 8 --confirm 0 is datatrove's LSH exactly" };
        var bucketWorkers = new Option<int>("--bucket-workers") { Description = "tasks each band's bucket merge is split into, by hash range", DefaultValueFactory = _ => 1 };
        var keepRemoved = new Option<bool>("--keep-removed") { Description = "also write the removed documents themselves under OUT/removed/" };
        var command = new Command("dedup",
            "Remove exact and near duplicates (MinHash-LSH on datatrove's signatures: word 5-grams, 14 bands x 8 rows; candidates from half-bands, " +
            "confirmed by the whole signature). Keeps the first document of every " +
            "duplicate cluster in input order. Runs as four resumable passes: signatures, buckets, clusters, filter.")
        {
            exact, minhash, ngram, shingles, bands, rows, threshold, numPerm, seed, backend, verify, verifyThreshold, candidateRows, confirm, bucketWorkers, keepRemoved,
        };
        common.AddTo(command);
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
            if (parse.GetValue(candidateRows) is { } cr)
            {
                settings["candidate_rows"] = S(cr);
            }
            if (parse.GetValue(confirm) is { } c)
            {
                settings["confirm"] = S(c);
            }
            if (parse.GetValue(verifyThreshold) is { } vt)
            {
                settings["verify_threshold"] = S(vt);
            }
            var config = common.Pipeline(parse, "dedup", [new Dictionary<string, object?> { ["dedup"] = settings }], parse.GetValue(keepRemoved));
            return common.Run(parse, config, cancel);
        }));
        return command;
    }
}
