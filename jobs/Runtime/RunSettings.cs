using DataPipeline.Core.Config;
using DataPipeline.Core.Execution;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Reading;
using DataPipeline.Ingest.Writing;

namespace DataPipeline.Jobs.Runtime;

/// <summary>A pipeline made ready to run: its config with command-line overrides applied, and its output layout.</summary>
public sealed class RunSettings
{
    public RunSettings(PipelineConfig config, string outputDir, StepRegistry steps)
    {
        Config = config;
        Layout = new RunLayout(outputDir);
        Steps = steps;
        Format = OutputFormat.Parse(config.Format);
        Reader = new ReaderOptions { TextField = config.Input.TextField, IdField = config.Input.IdField, Format = config.Input.Format };
        // Later stages read what the stage before wrote, in our own format and field names.
        IntermediateReader = new ReaderOptions { TextField = config.Input.TextField, IdField = config.Input.IdField, Format = "auto" };
    }

    public PipelineConfig Config { get; }

    public RunLayout Layout { get; }

    public StepRegistry Steps { get; }

    public OutputFormat Format { get; }

    public ReaderOptions Reader { get; }

    public ReaderOptions IntermediateReader { get; }

    public bool FailFast => Config.OnError == "fail";

    /// <summary>Writes each stage's output straight into the output folder instead of OUT/&lt;stage&gt; (convert does this).</summary>
    public bool FlatOutput { get; init; }

    public string StageOutputDir(StageConfig stage) => FlatOutput ? Layout.Root : Layout.StageDir(stage.Name);
}
