using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.FastText;
using DataPipeline.Filtering.Text;

namespace DataPipeline.Filtering.Steps;

/// <summary>
/// A user-supplied fastText classifier (quality classifiers as in DCLM or FineWeb-Edu pipelines),
/// after datatrove's FastTextClassifierFilter (fasttext_filter.py) in document mode with one
/// keep label: the model predicts every label on <c>text.strip().replace("\n", newline_replacement)</c>;
/// the document is kept when the label's probability is at least <c>threshold</c>, and that
/// probability is written to metadata (key <c>metadata_key</c>, by default the label as the model
/// names it, e.g. <c>__label__hq</c>, which is where datatrove writes it).
/// <para>
/// Not ported: paragraph and sentence modes (which rewrite the text) and several labels at once.
/// A label the prediction does not reach (probability below fastText's 1e-5 cut of the
/// hierarchical softmax) counts as -9e9, as datatrove's <c>.get(label, -9e9)</c>, and writes no metadata.
/// </para>
/// </summary>
public sealed class FastTextClassifierFilter : FilterStep
{
    public const string BelowThreshold = "below_threshold";

    private readonly FastTextPredictor _predictor;
    private readonly int _label;
    private readonly double _threshold;
    private readonly string _metadataKey;
    private readonly string _newlineReplacement;
    private readonly List<FastTextPrediction> _predictions = [];

    public FastTextClassifierFilter(FastTextModel model, string label, double threshold, string? metadataKey = null, string newlineReplacement = "")
    {
        _label = model.LabelIndex(label);
        if (_label < 0)
        {
            throw new DataPipelineException(
                $"step 'fasttext_classifier': label '{label}' is not in the model {model.Source}; its labels: {string.Join(", ", model.Labels.Take(50))}{(model.LabelCount > 50 ? ", ..." : "")}");
        }
        _predictor = model.CreatePredictor();
        _threshold = threshold;
        _metadataKey = metadataKey ?? model.Labels[_label];
        _newlineReplacement = newlineReplacement;
    }

    public override string Name => "fasttext_classifier";

    public override string? Check(Document document)
    {
        string text = document.Text;
        var stripped = PyText.Strip(text.AsSpan());
        if (stripped.Contains('\n'))
        {
            _predictor.Predict(stripped.ToString().Replace("\n", _newlineReplacement, StringComparison.Ordinal).AsSpan(), -1, 0f, _predictions);
        }
        else
        {
            _predictor.Predict(stripped, -1, 0f, _predictions);
        }
        double score = -9e9;
        foreach (var p in _predictions)
        {
            if (p.Label == _label)
            {
                score = p.Probability;
                document.Metadata.Set(_metadataKey, score);
                break;
            }
        }
        return score >= _threshold ? null : BelowThreshold;
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("fasttext_classifier", "a fastText classifier (model: .bin/.ftz path, label, threshold 0.5): keeps documents whose label probability is at least threshold; writes it to metadata", p =>
        {
            string? modelPath = p.GetStringOrNull("model");
            string? label = p.GetStringOrNull("label");
            if (modelPath is null || label is null)
            {
                throw new DataPipelineException("step 'fasttext_classifier' needs model: (a fastText .bin or .ftz file) and label: (the label to keep, with or without __label__)");
            }
            var model = LanguageFilter.LoadModel(p, "model", () => modelPath);
            return new FastTextClassifierFilter(
                model,
                label,
                p.GetDouble("threshold", 0.5),
                p.GetStringOrNull("metadata_key"),
                p.GetString("newline_replacement", ""));
        });
}
