using DataPipeline.Core.Partitioning;

namespace DataPipeline.Core.Tests;

public class PartitionerTests
{
    private static List<(string, long)> Files(params long[] sizes) =>
        sizes.Select((s, i) => ($"/data/f{i:D3}.jsonl.zst", s)).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(20)]
    public void Every_file_goes_to_exactly_one_task_in_order(int tasks)
    {
        var files = Files(5, 100, 3, 8, 40, 40, 1, 70, 2, 9, 10, 11);
        var slices = Partitioner.Partition(files, tasks);
        Assert.Equal(tasks, slices.Length);
        var flat = slices.SelectMany(s => s).Select(s => s.Path).ToList();
        Assert.Equal(files.Select(f => f.Item1).OrderBy(p => p, StringComparer.Ordinal), flat);
        if (tasks <= files.Count)
        {
            Assert.All(slices, s => Assert.NotEmpty(s));
        }
    }

    [Fact]
    public void Same_inputs_give_same_slices_whatever_their_order()
    {
        var files = Files(5, 100, 3, 8, 40);
        var a = Partitioner.Partition(files, 3);
        var reversed = Enumerable.Reverse(files).ToList();
        var b = Partitioner.Partition(reversed, 3);
        Assert.Equal(a.Select(s => string.Join(",", s)), b.Select(s => string.Join(",", s)));
    }

    [Fact]
    public void Assignment_balances_by_size()
    {
        var files = Files(Enumerable.Repeat(10L, 40).ToArray());
        var slices = Partitioner.Partition(files, 4);
        Assert.All(slices, s => Assert.Equal(10, s.Count));
    }

    [Fact]
    public void Fewer_files_than_tasks_splits_splittable_files()
    {
        var files = new List<(string, long)> { ("/data/a.jsonl", 100L << 20) };
        var slices = Partitioner.Partition(files, 4, Partitioner.ByteRanges);
        Assert.All(slices, s => Assert.Single(s));
        var ranges = slices.Select(s => s[0]).ToList();
        Assert.Equal(0, ranges[0].Start);
        Assert.Equal(100L << 20, ranges[^1].End);
        for (int i = 1; i < ranges.Count; i++)
        {
            Assert.Equal(ranges[i - 1].End, ranges[i].Start);
        }
    }

    [Fact]
    public void More_tasks_than_units_leaves_later_tasks_empty()
    {
        var slices = Partitioner.Partition(Files(1, 2), 5);
        Assert.Equal([1, 1, 0, 0, 0], slices.Select(s => s.Count));
    }
}
