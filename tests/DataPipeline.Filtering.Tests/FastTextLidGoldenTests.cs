using System.Text.Json;
using DataPipeline.Filtering.FastText;

namespace DataPipeline.Filtering.Tests;

/// <summary>
/// lid.176.ftz predictions against fastText 0.9.2's own (shared/golden/lid): the same top-5 labels
/// in the same order for every input and probabilities within 1e-4.
/// </summary>
public sealed class FastTextLidGoldenTests
{
    /// <summary>The model scripts/setup.sh installs; a missing model fails the test (it is part of the project's setup).</summary>
    internal static FastTextModel LidModel()
    {
        string? path = ModelFiles.Find(ModelFiles.LidRelativePath);
        Assert.True(path is not null, $"{ModelFiles.LidRelativePath} is missing: run scripts/setup.sh (it installs the language-id model)");
        return FastTextModel.LoadShared(path!);
    }

    [Fact]
    public void Lid_model_header_is_read()
    {
        var model = LidModel();
        Assert.True(model.IsQuantized);
        Assert.Equal(16, model.Args.Dim);
        Assert.Equal(176, model.LabelCount);
        Assert.Equal(FastTextLoss.HierarchicalSoftmax, model.Args.Loss);
        Assert.Equal("__label__en", model.Labels[0]);
    }

    [Fact]
    public void Top5_labels_and_probabilities_match_fastText()
    {
        var model = LidModel();
        var predictor = model.CreatePredictor();
        var inputs = ReadLines("inputs.jsonl").ToDictionary(e => e.GetProperty("i").GetInt32(), e => e.GetProperty("text").GetString()!);
        var predictions = new List<FastTextPrediction>();
        int checkedCount = 0;
        var failures = new List<string>();
        foreach (var expected in ReadLines("expected.jsonl"))
        {
            int i = expected.GetProperty("i").GetInt32();
            var labels = expected.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
            var probs = expected.GetProperty("probs").EnumerateArray().Select(p => p.GetDouble()).ToList();
            predictor.Predict(inputs[i].AsSpan(), 5, 0f, predictions, FastTextNewlines.AsSpace);
            checkedCount++;
            if (predictions.Count != labels.Count)
            {
                failures.Add($"input {i}: {predictions.Count} predictions, fastText gave {labels.Count}");
                continue;
            }
            for (int j = 0; j < labels.Count; j++)
            {
                string ours = model.Labels[predictions[j].Label];
                if (ours != labels[j] || Math.Abs(predictions[j].Probability - probs[j]) > 1e-4)
                {
                    failures.Add($"input {i} rank {j}: ours {ours} {predictions[j].Probability}, fastText {labels[j]} {probs[j]}");
                }
            }
        }
        Assert.Equal(600, checkedCount);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    private static IEnumerable<JsonElement> ReadLines(string file) =>
        File.ReadLines(GoldenData.Golden("lid", file)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
