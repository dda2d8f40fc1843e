using DataPipeline.Core.Config;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Reading;
using DataPipeline.Ingest.Writing;

namespace DataPipeline.Jobs.Runtime;

/// <summary>A pipeline made ready to run: its config with command-line overrides applied, and its output layout.</summary>
public sealed class RunSettings
{
    public RunSettings(PipelineConfig config, string outputDir, StepRegistry steps, bool flatOutput = false)
    {
        FlatOutput = flatOutput;
        Config = config;
        Layout = new RunLayout(outputDir);
        Steps = steps;
        Format = OutputFormat.Parse(config.Format);
        Reader = new ReaderOptions { TextField = config.Input.TextField, IdField = config.Input.IdField, Format = config.Input.Format };
        // Later stages read what the stage before wrote, in our own format and field names.
        IntermediateReader = new ReaderOptions { TextField = config.Input.TextField, IdField = config.Input.IdField, Format = "auto" };
        // Stages with a global pass (dedup) become the stages every executor runs.
        StageExpansion.Expand(this);
    }

    public PipelineConfig Config { get; }

    public RunLayout Layout { get; }

    public StepRegistry Steps { get; }

    public OutputFormat Format { get; }

    public ReaderOptions Reader { get; }

    public ReaderOptions IntermediateReader { get; }

    public bool FailFast => Config.OnError == "fail";

    /// <summary>
    /// Writes the last stage's output straight into the output folder instead of OUT/&lt;stage&gt; (the
    /// one-shot verbs do this); the passes a stage expands into keep their own folders.
    /// </summary>
    public bool FlatOutput { get; }

    public string StageOutputDir(StageConfig stage) => FlatOutput && ReferenceEquals(stage, Config.Stages[^1]) ? Layout.Root : Layout.StageDir(stage.Name);
}
