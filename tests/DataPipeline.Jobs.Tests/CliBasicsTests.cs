namespace DataPipeline.Jobs.Tests;

public class CliBasicsTests
{
    [Theory]
    [InlineData("run")]
    [InlineData("task")]
    [InlineData("convert")]
    [InlineData("filter")]
    [InlineData("inspect")]
    [InlineData("steps")]
    [InlineData("report")]
    public void Every_verb_has_help(string verb)
    {
        var r = Cli.Run(Path.GetTempPath(), verb, "--help");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Usage:", r.Stdout);
        Assert.Contains("datapipe " + verb, r.Stdout);
    }

    [Fact]
    public void Usage_errors_exit_2_with_a_message()
    {
        var r = Cli.Run(Path.GetTempPath(), "convert", "--output", "x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--input", r.Stderr);
        var unknown = Cli.Run(Path.GetTempPath(), "frobnicate");
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public void Missing_pipeline_file_is_a_clear_error()
    {
        var r = Cli.Run(Path.GetTempPath(), "run", "no-such-pipeline.yaml", "--output", "x");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("pipeline file not found: no-such-pipeline.yaml", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact]
    public void Misspelt_step_setting_fails_before_any_task_runs()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("in.jsonl"), "{\"text\":\"hello\"}\n");
        File.WriteAllText(dir.File("p.yaml"), "input: {paths: [in.jsonl]}\nstages:\n  - name: f\n    steps:\n      - length_filter: {min_char: 3}\n");
        var r = Cli.Run(dir.Path, "run", "p.yaml", "--output", "out");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("stage 'f': step 'length_filter': unknown setting 'min_char'", r.Stderr);
        Assert.False(Directory.Exists(dir.File("out/f")));
    }

    [Fact]
    public void Inspect_counts_documents_and_fields()
    {
        var r = Cli.Run(Cli.RepoRoot, "inspect", "samples/corpus");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("2,400 documents", r.Stdout);
        Assert.Contains("source (2,400)", r.Stdout);
    }

    [Fact]
    public void Steps_lists_the_registered_step_types()
    {
        var r = Cli.Run(Path.GetTempPath(), "steps");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("length_filter", r.Stdout);
    }
}
