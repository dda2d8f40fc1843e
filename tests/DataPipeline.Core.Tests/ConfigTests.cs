using DataPipeline.Core.Config;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;

namespace DataPipeline.Core.Tests;

public class ConfigTests
{
    private const string Valid = """
        name: t
        input:
          paths: [data/*.jsonl]
          text_field: content
        format: parquet
        stages:
          - name: one
            tasks: 3
            steps:
              - keep_all:
              - keep_all: {note: hi}
        """;

    [Fact]
    public void Parses_a_pipeline()
    {
        var c = PipelineConfig.Parse(Valid);
        Assert.Equal("t", c.Name);
        Assert.Equal("content", c.Input.TextField);
        Assert.Equal("id", c.Input.IdField);
        Assert.Equal("parquet", c.Format);
        Assert.Equal(3, c.Stages[0].Tasks);
        Assert.Equal(2, c.Stages[0].Steps.Count);
    }

    [Fact]
    public void Unknown_key_names_its_line()
    {
        var e = Assert.Throws<DataPipelineException>(() => PipelineConfig.Parse("name: t\nstagez: []\n", "p.yaml"));
        Assert.Contains("p.yaml, line 2", e.Message);
    }

    [Theory]
    [InlineData("name: t\nstages: []\n", "no stages")]
    [InlineData("stages: [{name: a}, {name: a}]\n", "two stages are named 'a'")]
    [InlineData("on_error: maybe\nstages: [{name: a}]\n", "on_error")]
    public void Invalid_pipelines_are_refused(string yaml, string message)
    {
        var e = Assert.Throws<DataPipelineException>(() => PipelineConfig.Parse(yaml));
        Assert.Contains(message, e.Message);
    }

    private sealed class KeepAll : FilterStep
    {
        public override string Name => "keep_all";

        public override string? Check(Documents.Document document) => null;
    }

    [Fact]
    public void Registry_builds_steps_and_refuses_unknown_settings()
    {
        var registry = new StepRegistry();
        registry.Register("keep_all", "keeps everything", p =>
        {
            p.GetString("note", "");
            return new KeepAll();
        });
        var c = PipelineConfig.Parse(Valid);
        Assert.IsType<KeepAll>(registry.Create(c.Stages[0].Steps[1]));
        var bad = PipelineConfig.Parse("stages: [{name: a, steps: [{keep_all: {noet: x}}]}]");
        var e = Assert.Throws<DataPipelineException>(() => registry.Create(bad.Stages[0].Steps[0]));
        Assert.Contains("unknown setting 'noet'", e.Message);
        var unknown = PipelineConfig.Parse("stages: [{name: a, steps: [{nope: {}}]}]");
        Assert.Contains("unknown step type 'nope'", Assert.Throws<DataPipelineException>(() => registry.Create(unknown.Stages[0].Steps[0])).Message);
    }

    [Fact]
    public void Typed_settings_name_the_step_and_key()
    {
        var p = new StepParameters("f", new Dictionary<object, object?> { ["n"] = "many" });
        var e = Assert.Throws<DataPipelineException>(() => p.GetInt("n", 1));
        Assert.Contains("step 'f': setting 'n' must be an integer", e.Message);
    }
}
