using System.CommandLine;
using DataPipeline.Core.Config;

namespace DataPipeline.Jobs.Cli;

/// <summary>
/// Quality-filter documents in one go: a one-stage pipeline whose steps are the filters named by
/// <c>--filters</c>, each with upstream's defaults (a pipeline file sets their parameters).
/// </summary>
internal static class FilterCommand
{
    public const string DefaultFilters = "gopher_repetition,gopher_quality,c4,fineweb";

    /// <summary>--filters names and the step types they stand for.</summary>
    private static readonly Dictionary<string, string> StepTypes = new(StringComparer.Ordinal)
    {
        ["gopher_quality"] = "gopher_quality",
        ["gopher_repetition"] = "gopher_repetition",
        ["c4"] = "c4_quality",
        ["c4_quality"] = "c4_quality",
        ["fineweb"] = "fineweb_quality",
        ["fineweb_quality"] = "fineweb_quality",
        ["language"] = "language",
        ["pii"] = "pii",
    };

    public static Command Create()
    {
        var common = new OneStageOptions("input files, folders or globs (jsonl[.gz|.zst], parquet, arrow, text files)", "output folder: kept documents (one part per task), stats.json; removed/ with --keep-removed", "number of output parts T (default: one per input file, at least one per worker)", "output format: jsonl, jsonl.gz, jsonl.zst or parquet");
        var filters = new Option<string>("--filters", "-f")
        {
            Description = "filters in order, comma-separated: gopher_quality, gopher_repetition, c4, fineweb, language (any language) or language=en,fr " +
                "(fastText lid.176, score > 0.65), pii (replace e-mail and IP addresses)",
            DefaultValueFactory = _ => DefaultFilters,
        };
        var keepRemoved = new Option<bool>("--keep-removed") { Description = "write removed documents, with the filter and reason, under OUTPUT/removed/" };
        var command = new Command("filter", "Filter documents with datatrove's heuristic filters, fastText language id and PII redaction (upstream defaults), " +
            "keeping the documents that pass every filter. stats.json counts removals per filter and reason.")
        {
            filters, keepRemoved,
        };
        common.AddTo(command);
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            var config = common.Pipeline(parse, "filter", ParseFilters(parse.GetValue(filters)!), parse.GetValue(keepRemoved));
            return common.Run(parse, config, cancel);
        }));
        return command;
    }

    /// <summary>
    /// "gopher_quality,language=en,fr,c4" → steps. A bare item after <c>language=...</c> that is not
    /// a filter name is one more language for it.
    /// </summary>
    public static List<Dictionary<string, object?>> ParseFilters(string spec)
    {
        var steps = new List<Dictionary<string, object?>>();
        List<object?>? languages = null;
        foreach (var raw in spec.Split(',', StringSplitOptions.TrimEntries))
        {
            if (raw.Length == 0)
            {
                continue;
            }
            int eq = raw.IndexOf('=');
            string name = eq < 0 ? raw : raw[..eq];
            string? value = eq < 0 ? null : raw[(eq + 1)..].Trim();
            if (!StepTypes.TryGetValue(name, out var type))
            {
                if (eq < 0 && languages is not null)
                {
                    languages.Add(raw);
                    continue;
                }
                throw new ConfigException($"--filters: unknown filter '{raw}'; known: {string.Join(", ", StepTypes.Keys)} (language=en,fr for languages)");
            }
            languages = null;
            Dictionary<object, object?>? settings = null;
            if (type == "language")
            {
                if (value is { Length: > 0 })
                {
                    languages = [value];
                    settings = new Dictionary<object, object?> { ["languages"] = languages };
                }
                else if (value is not null)
                {
                    throw new ConfigException("--filters: language= needs at least one language code, e.g. language=en");
                }
            }
            else if (value is not null)
            {
                throw new ConfigException($"--filters: '{name}' takes no value (set its parameters in a pipeline file)");
            }
            if (steps.Any(s => s.ContainsKey(type)))
            {
                throw new ConfigException($"--filters: '{name}' is listed twice");
            }
            steps.Add(new Dictionary<string, object?> { [type] = settings });
        }
        if (steps.Count == 0)
        {
            throw new ConfigException("--filters: no filter given");
        }
        return steps;
    }
}
