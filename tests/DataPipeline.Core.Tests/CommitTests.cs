using DataPipeline.Core.Execution;
using DataPipeline.Core.Stats;

namespace DataPipeline.Core.Tests;

public class CommitTests
{
    [Fact]
    public void Outputs_appear_only_on_commit_and_marker_last()
    {
        using var dir = new TempDir();
        var layout = new RunLayout(dir.Path);
        var commit = new TaskCommit(layout, "s", 3);
        var final = Path.Combine(dir.Path, "s", "part-00003.jsonl");
        var temp = commit.Reserve(final);
        File.WriteAllText(temp, "data\n");
        Assert.False(File.Exists(final));
        Assert.StartsWith(".", Path.GetFileName(temp));
        Assert.False(layout.IsDone("s", 3));
        commit.Commit(new TaskStats { Stage = "s", Rank = 3 });
        Assert.True(File.Exists(final));
        Assert.False(File.Exists(temp));
        Assert.True(layout.IsDone("s", 3));
        Assert.Equal(["s/part-00003.jsonl"], layout.ReadMarker("s", 3)!.Outputs);
    }

    [Fact]
    public void Abort_removes_temporaries()
    {
        using var dir = new TempDir();
        var commit = new TaskCommit(new RunLayout(dir.Path), "s", 0);
        var temp = commit.Reserve(Path.Combine(dir.Path, "s", "part-00000.jsonl"));
        File.WriteAllText(temp, "partial");
        commit.Abort();
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(dir.Path, "s")));
    }

    [Fact]
    public void Clean_previous_removes_only_this_ranks_leftovers()
    {
        using var dir = new TempDir();
        var layout = new RunLayout(dir.Path);
        var stageDir = Directory.CreateDirectory(Path.Combine(dir.Path, "s")).FullName;
        File.WriteAllText(Path.Combine(stageDir, ".part-00001.jsonl.tmp"), "x");
        File.WriteAllText(Path.Combine(stageDir, "part-00001.jsonl"), "x");
        File.WriteAllText(Path.Combine(stageDir, "part-00010.jsonl"), "other rank");
        File.WriteAllText(Path.Combine(stageDir, "part-00002.jsonl"), "other rank");
        new TaskCommit(layout, "s", 1).CleanPrevious([stageDir]);
        Assert.Equal(["part-00002.jsonl", "part-00010.jsonl"], Directory.EnumerateFiles(stageDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
