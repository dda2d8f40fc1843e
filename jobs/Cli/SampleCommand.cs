using System.CommandLine;
using System.Globalization;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>DSIR importance resampling: a one-stage pipeline whose only step is dsir (run as its five passes).</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var common = new OneStageOptions(
            "input files, folders or globs (any supported document format): the raw data to select from",
            "output folder: the selected documents as part files, stats.json (KL figures), weights.jsonl with --write-weights; the passes' own files in OUT/sample.*/",
            "number of map tasks T (default: one per input file, at least one per worker); the selection does not depend on it",
            "format of the selected documents: jsonl, jsonl.gz, jsonl.zst (default) or parquet");
        var target = new Option<string[]>("--target", "-t") { Description = "files, folders or globs of the target distribution (JSONL with a 'text' field, or any supported format)", Required = true, AllowMultipleArgumentsPerToken = true };
        var k = new Option<long?>("--k") { Description = "number of documents to select (fewer when fewer are eligible)" };
        var fraction = new Option<double?>("--fraction") { Description = "fraction of the input documents to select: k = floor(fraction x documents)" };
        var tokens = new Option<long?>("--tokens") { Description = "budget of DSIR tokens (word-punct tokens): documents in key order while the total stays within it" };
        var buckets = new Option<int>("--buckets") { Description = "hash buckets of the n-gram features (DSIR's num_buckets)", DefaultValueFactory = _ => 10_000 };
        var ngrams = new Option<int>("--ngrams") { Description = "largest n-gram order (DSIR's ngrams; 2 = unigrams and bigrams)", DefaultValueFactory = _ => 2 };
        var seed = new Option<long>("--seed") { Description = "seed of numpy's legacy generator (np.random.seed), 0..2^32-1", DefaultValueFactory = _ => 42 };
        var minLength = new Option<long>("--min-length") { Description = "documents with fewer DSIR tokens are never selected (DSIR's min_example_length)", DefaultValueFactory = _ => 100 };
        var withReplacement = new Option<bool>("--with-replacement") { Description = "k independent draws with probability proportional to the importance weight (a document may be written several times); not in DSIR itself" };
        var writeWeights = new Option<bool>("--write-weights") { Description = "write OUT/weights.jsonl (id and log_importance_weight of every input document) and the weight into each document's metadata" };
        var keepRemoved = new Option<bool>("--keep-removed") { Description = "also write the documents not selected under OUT/removed/" };
        var command = new Command("sample",
            "Select documents that look like a target corpus by DSIR importance resampling (Xie et al. 2023, p-lambda/dsir's HashedNgramDSIR): " +
            "hashed unigram+bigram features, importance weights log p_target - log p_raw, Gumbel top-k with numpy's generator, so the selection " +
            "equals DSIR's (num_proc=1). Runs as five resumable passes: counts, fit, weights, select, filter. Give one of --k, --fraction, --tokens.")
        {
            target, k, fraction, tokens, buckets, ngrams, seed, minLength, withReplacement, writeWeights, keepRemoved,
        };
        common.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            static string S(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);
            var sizes = new (string Key, string? Value)[]
            {
                ("k", parse.GetValue(k) is { } kv ? S(kv) : null),
                ("fraction", parse.GetValue(fraction) is { } f ? S(f) : null),
                ("tokens", parse.GetValue(tokens) is { } t ? S(t) : null),
            }.Where(s => s.Value is not null).ToList();
            if (sizes.Count != 1)
            {
                throw new ConfigException("give exactly one of --k, --fraction or --tokens");
            }
            // Target paths are taken from the current folder, like --input (the config's base folder).
            var settings = new Dictionary<object, object?>
            {
                ["target"] = parse.GetValue(target)!.Select(p => (object?)p).ToList(),
                [sizes[0].Key] = sizes[0].Value,
                ["buckets"] = S(parse.GetValue(buckets)),
                ["ngrams"] = S(parse.GetValue(ngrams)),
                ["seed"] = S(parse.GetValue(seed)),
                ["min_length"] = S(parse.GetValue(minLength)),
                ["with_replacement"] = parse.GetValue(withReplacement) ? "true" : "false",
                ["write_weights"] = parse.GetValue(writeWeights) ? "true" : "false",
            };
            var config = common.Pipeline(parse, "sample", [new Dictionary<string, object?> { ["dsir"] = settings }], parse.GetValue(keepRemoved));
            return common.Run(parse, config, cancel);
        }));
        return command;
    }
}
