using System.Collections.Concurrent;
using System.Text.Json;
using DataPipeline.Core.Errors;
using DataPipeline.Filtering.FastText;

namespace DataPipeline.Filtering.Tests;

/// <summary>
/// Small models trained and quantized by fastText 0.9.2 itself (Fixtures/fasttext/make.sh), with
/// fastText's own predictions for each: dense .bin input and output with softmax (word bigrams),
/// hierarchical softmax, one-vs-all and negative sampling (word trigrams); a pruned .ftz with
/// quantized norms; a .ftz with a quantized output matrix and no subwords.
/// </summary>
public sealed class FastTextModelTests
{
    private static readonly ConcurrentDictionary<string, FastTextModel> Models = new();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "fasttext", name);

    private static FastTextModel Model(string name) => Models.GetOrAdd(name, n => FastTextModel.Load(Fixture(n)));

    public static TheoryData<string> ModelNames() => ["softmax.bin", "hs.bin", "ova.bin", "ns.bin", "softmax-q.ftz", "synth.ftz"];

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Predictions_match_fastText(string name)
    {
        var model = Model(name);
        var predictor = model.CreatePredictor();
        var predictions = new List<FastTextPrediction>();
        int count = 0;
        var failures = new List<string>();
        foreach (var line in File.ReadLines(Fixture("expected.jsonl")))
        {
            var e = JsonDocument.Parse(line).RootElement;
            if (e.GetProperty("model").GetString() != name)
            {
                continue;
            }
            string text = e.GetProperty("text").GetString()!;
            int k = e.GetProperty("k").GetInt32();
            float threshold = (float)e.GetProperty("threshold").GetDouble();
            var labels = e.GetProperty("labels").EnumerateArray().Select(x => x.GetString()!).ToList();
            var probs = e.GetProperty("probs").EnumerateArray().Select(x => x.GetDouble()).ToList();
            predictor.Predict(text.AsSpan(), k, threshold, predictions);
            count++;
            var ours = predictions.Select(p => model.Labels[p.Label]).ToList();
            if (!ours.SequenceEqual(labels))
            {
                failures.Add($"'{text}' k={k}: ours [{string.Join(" ", ours)}], fastText [{string.Join(" ", labels)}]");
                continue;
            }
            for (int j = 0; j < probs.Count; j++)
            {
                if (Math.Abs(predictions[j].Probability - probs[j]) > 1e-6)
                {
                    failures.Add($"'{text}' k={k} {labels[j]}: ours {predictions[j].Probability}, fastText {probs[j]}");
                }
            }
        }
        Assert.True(count >= 40, $"only {count} expectations for {name}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Model_kinds_are_read_from_the_files()
    {
        Assert.False(Model("softmax.bin").IsQuantized);
        Assert.Equal(FastTextLoss.Softmax, Model("softmax.bin").Args.Loss);
        Assert.Equal(2, Model("softmax.bin").Args.WordNgrams);
        Assert.Equal(FastTextLoss.HierarchicalSoftmax, Model("hs.bin").Args.Loss);
        Assert.Equal(FastTextLoss.OneVsAll, Model("ova.bin").Args.Loss);
        Assert.Equal(FastTextLoss.NegativeSampling, Model("ns.bin").Args.Loss);
        Assert.True(Model("softmax-q.ftz").IsQuantized);
        Assert.False(Model("softmax-q.ftz").IsOutputQuantized);
        Assert.True(Model("synth.ftz").IsOutputQuantized);
        Assert.Equal(300, Model("synth.ftz").LabelCount);
        Assert.True(Model("softmax.bin").LabelIndex("es") >= 0);
        Assert.Equal(Model("softmax.bin").LabelIndex("__label__es"), Model("softmax.bin").LabelIndex("es"));
        Assert.Equal(-1, Model("softmax.bin").LabelIndex("xx"));
    }

    [Fact]
    public void Newlines_end_the_line_or_read_as_spaces()
    {
        var predictor = Model("softmax.bin").CreatePredictor();
        var a = new List<FastTextPrediction>();
        var b = new List<FastTextPrediction>();
        predictor.Predict("hola mundo\nguten tag".AsSpan(), -1, 0f, a);
        predictor.Predict("hola mundo".AsSpan(), -1, 0f, b);
        Assert.Equal(b, a);
        predictor.Predict("hola mundo\nguten tag".AsSpan(), -1, 0f, a, FastTextNewlines.AsSpace);
        predictor.Predict("hola mundo guten tag".AsSpan(), -1, 0f, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Bad_k_is_refused()
    {
        var predictor = Model("softmax.bin").CreatePredictor();
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Predict("x".AsSpan(), 0, 0f, []));
    }

    [Fact]
    public void Truncated_or_foreign_files_give_clear_errors()
    {
        byte[] good = File.ReadAllBytes(Fixture("softmax-q.ftz"));
        foreach (int length in new[] { 0, 3, 8, 40, 100, good.Length / 2, good.Length - 1 })
        {
            var e = Assert.Throws<DataPipelineException>(() => FastTextModel.Load(good[..length], "cut.ftz"));
            Assert.Contains("cut.ftz", e.Message);
        }
        var notModel = Assert.Throws<DataPipelineException>(() => FastTextModel.Load("not a model at all"u8.ToArray(), "x.bin"));
        Assert.Contains("not a fastText model", notModel.Message);
        var missing = Assert.Throws<DataPipelineException>(() => FastTextModel.Load(Fixture("missing.bin")));
        Assert.Contains("missing.bin", missing.Message);
    }
}

public sealed class FastTextClassifierStepTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "fasttext", name);

    private static Core.Steps.IPipelineStep Create(Dictionary<object, object?> settings)
    {
        var registry = new Core.Steps.StepRegistry();
        FilteringSteps.Register(registry);
        return registry.Create(new Dictionary<string, object?> { ["fasttext_classifier"] = settings }, AppContext.BaseDirectory);
    }

    private static Core.Documents.Document Doc(string text) => new("d", text, new Core.Documents.DocumentOrigin("x", 1, Core.Documents.OriginKind.Line));

    [Fact]
    public void Keeps_documents_whose_label_reaches_the_threshold_and_writes_the_score()
    {
        var model = FastTextModel.Load(Fixture("softmax.bin"));
        var predictions = new List<FastTextPrediction>();
        const string spanish = "el perro come la comida y la casa es grande";
        model.CreatePredictor().Predict(spanish.AsSpan(), -1, 0f, predictions);
        float es = predictions.First(p => model.Labels[p.Label] == "__label__es").Probability;

        var step = (Steps.FastTextClassifierFilter)Create(new() { ["model"] = "Fixtures/fasttext/softmax.bin", ["label"] = "es", ["threshold"] = (double)es });
        var doc = Doc("  " + spanish + "\n");
        Assert.Null(step.Check(doc));
        Assert.True(doc.Metadata.TryGetRaw("__label__es", out var raw));
        Assert.Equal((double)es, double.Parse(System.Text.Encoding.UTF8.GetString(raw.Span), System.Globalization.CultureInfo.InvariantCulture));

        var strict = (Steps.FastTextClassifierFilter)Create(new() { ["model"] = "Fixtures/fasttext/softmax.bin", ["label"] = "__label__es", ["threshold"] = Math.Min(1.0, es + 1e-6), ["metadata_key"] = "es_score" });
        var other = Doc(spanish);
        Assert.Equal(Steps.FastTextClassifierFilter.BelowThreshold, strict.Check(other));
        Assert.True(other.Metadata.TryGetRaw("es_score", out _));
    }

    [Fact]
    public void Unknown_label_or_missing_model_is_a_clear_error()
    {
        var e = Assert.Throws<DataPipelineException>(() => Create(new() { ["model"] = "Fixtures/fasttext/softmax.bin", ["label"] = "xx" }));
        Assert.Contains("label 'xx' is not in the model", e.Message);
        Assert.Throws<DataPipelineException>(() => Create(new() { ["model"] = "Fixtures/fasttext/none.bin", ["label"] = "es" }));
        Assert.Throws<DataPipelineException>(() => Create(new() { ["label"] = "es" }));
    }
}
