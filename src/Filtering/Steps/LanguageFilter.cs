using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.FastText;

namespace DataPipeline.Filtering.Steps;

/// <summary>LanguageFilter's settings, upstream (datatrove HEAD) defaults.</summary>
public sealed record LanguageFilterOptions
{
    /// <summary>Languages to keep (<c>en</c>, <c>fr</c>, ...); null keeps any language scoring above the threshold.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    public double LanguageThreshold { get; init; } = 0.65;

    /// <summary>Only label the documents (metadata), never remove one.</summary>
    public bool LabelOnly { get; init; }

    /// <summary>Also write <c>top_language_XX_score</c> for every considered language scoring above this; -1 disables.</summary>
    public double KeepTopPairsThreshold { get; init; } = -1;
}

/// <summary>
/// datatrove's LanguageFilter with its ft176 backend (language_filter.py and utils/lid.py at HEAD):
/// fastText's lid.176 model predicts every label (<c>k=-1</c>) on the text with newlines replaced by
/// spaces; the top label and its score go to metadata <c>language</c> / <c>language_score</c>; the
/// document is kept when any requested language scores above the threshold (or, with no languages
/// given, when the top score does).
/// <para>
/// Deliberate differences: datatrove gives no reason for a drop; this step records
/// <c>wrong_language</c> (the top language is not requested) or <c>low_language_score</c> (it is, or
/// any language is accepted, but the score is not above the threshold). datatrove's
/// <c>languages="en"</c> (a string) is split into characters; here a single string is one language.
/// A text for which fastText predicts nothing (a model without <c>&lt;/s&gt;</c>; lid.176 always
/// predicts) makes datatrove raise; here it is dropped as <c>no_prediction</c>.
/// </para>
/// </summary>
public sealed class LanguageFilter : FilterStep
{
    public const string WrongLanguage = "wrong_language";
    public const string LowScore = "low_language_score";
    public const string NoPrediction = "no_prediction";

    private readonly FastTextModel _model;
    private readonly FastTextPredictor _predictor;
    private readonly LanguageFilterOptions _options;
    private readonly string[] _labelKeys;
    private readonly int[]? _wanted;
    private readonly float[] _scoreByLabel;
    private readonly List<FastTextPrediction> _predictions = [];

    public LanguageFilter(FastTextModel model, LanguageFilterOptions options)
    {
        _model = model;
        _predictor = model.CreatePredictor();
        _options = options;
        // lang.split("__")[2]: "__label__en" -> "en".
        _labelKeys = model.Labels.Select(LabelKey).ToArray();
        _scoreByLabel = new float[model.LabelCount];
        if (options.Languages is { } languages)
        {
            if (languages.Count == 0)
            {
                throw new DataPipelineException("step 'language': languages is empty; list languages to keep (e.g. [en]) or leave it out to keep any language");
            }
            // A requested language the model lacks scores 0.0, as lang_pairs.get(lang, 0.0) gives it.
            _wanted = languages.Select(l => Array.IndexOf(_labelKeys, l)).ToArray();
        }
    }

    public override string Name => "language";

    public static string LabelKey(string label)
    {
        var parts = label.Split("__");
        return parts.Length > 2 ? parts[2] : label;
    }

    public override string? Check(Document document)
    {
        if (document.TryGetUtf8(out var utf8))
        {
            _predictor.Predict(utf8.Span, -1, 0f, _predictions, FastTextNewlines.AsSpace);
        }
        else
        {
            _predictor.Predict(document.Text.AsSpan(), -1, 0f, _predictions, FastTextNewlines.AsSpace);
        }
        if (_predictions.Count == 0)
        {
            return _options.LabelOnly ? null : NoPrediction;
        }
        // max(lang_pairs.items(), key=score): the first best, which is fastText's first prediction.
        var best = _predictions[0];
        document.Metadata.Set("language", _labelKeys[best.Label]);
        document.Metadata.Set("language_score", (double)best.Probability);

        Array.Clear(_scoreByLabel);
        foreach (var p in _predictions)
        {
            _scoreByLabel[p.Label] = p.Probability;
        }
        bool anyAbove = false;
        if (_wanted is not null)
        {
            for (int i = 0; i < _wanted.Length; i++)
            {
                double score = _wanted[i] >= 0 ? _scoreByLabel[_wanted[i]] : 0.0;
                anyAbove |= score > _options.LanguageThreshold;
                if (_options.KeepTopPairsThreshold != -1 && score > _options.KeepTopPairsThreshold)
                {
                    document.Metadata.Set($"top_language_{_options.Languages![i]}_score", score);
                }
            }
        }
        else if (_options.KeepTopPairsThreshold != -1)
        {
            foreach (var p in _predictions)
            {
                if (p.Probability > _options.KeepTopPairsThreshold)
                {
                    document.Metadata.Set($"top_language_{_labelKeys[p.Label]}_score", (double)p.Probability);
                }
            }
        }
        if (_options.LabelOnly)
        {
            return null;
        }
        if (_wanted is not null)
        {
            if (anyAbove)
            {
                return null;
            }
            return _wanted.Contains(best.Label) ? LowScore : WrongLanguage;
        }
        return best.Probability > _options.LanguageThreshold ? null : LowScore;
    }

    /// <summary>The model a step uses: <c>model:</c> (relative to the pipeline file's folder) or the project's lid.176.ftz.</summary>
    internal static FastTextModel LoadModel(StepParameters p, string key, Func<string> defaultPath)
    {
        string? configured = p.GetStringOrNull(key);
        string path = configured is null ? defaultPath() : Path.IsPathRooted(configured) ? configured : Path.GetFullPath(Path.Combine(p.BaseDirectory, configured));
        if (!File.Exists(path))
        {
            throw new DataPipelineException($"step '{p.StepType}': model file not found: {path}" +
                (path.EndsWith("lid.176.ftz", StringComparison.Ordinal) ? " (scripts/setup.sh installs lid.176.ftz under models/)" : ""));
        }
        return FastTextModel.LoadShared(path);
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("language", "datatrove LanguageFilter: fastText lid.176 language id; keeps documents in the listed languages scoring above language_threshold (0.65); sets metadata language, language_score", p =>
        {
            var d = new LanguageFilterOptions();
            var model = LoadModel(p, "model", ModelFiles.RequireLid);
            // Left out (or null): any language, as datatrove's languages=None.
            IReadOnlyList<string>? languages = p.GetStringOrNull("languages") is null ? null : p.GetStringList("languages", []);
            return new LanguageFilter(model, new LanguageFilterOptions
            {
                Languages = languages,
                LanguageThreshold = p.GetDouble("language_threshold", d.LanguageThreshold),
                LabelOnly = p.GetBool("label_only", d.LabelOnly),
                KeepTopPairsThreshold = p.GetDouble("keep_top_pairs_threshold", d.KeepTopPairsThreshold),
            });
        });
}
