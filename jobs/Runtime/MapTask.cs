using System.Diagnostics;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Execution;
using DataPipeline.Core.IO;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;
using DataPipeline.Ingest.Writing;

namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// One task of a map stage: read its slices, pass the documents through the stage's steps, write
/// what survives to its part file, and commit. The same code runs under every executor.
/// </summary>
public static class MapTask
{
    /// <summary>
    /// Fault injection for the crash and resume tests: DATAPIPE_INJECT_DELAY_MS sleeps that long per
    /// document written, so a test can kill a run while a task is mid-write.
    /// </summary>
    private static readonly int InjectedDelayMs = int.TryParse(Environment.GetEnvironmentVariable("DATAPIPE_INJECT_DELAY_MS"), out var ms) ? ms : 0;

    public static TaskStats Run(RunSettings settings, StagePlan plan, int rank, TaskProgress? progress, CancellationToken cancellation)
    {
        var layout = settings.Layout;
        var stage = plan.Stage;
        var clock = Stopwatch.StartNew();
        var outputDir = settings.StageOutputDir(stage);
        var commit = new TaskCommit(layout, stage.Name, rank);
        commit.CleanPrevious([outputDir, Path.GetDirectoryName(layout.QuarantinePath(stage.Name, rank))!, Path.GetDirectoryName(layout.RemovedPath(stage.Name, rank))!]);

        var stats = new TaskStats { Stage = stage.Name, Rank = rank, WorldSize = plan.Tasks };
        var steps = stage.Steps.Select(s => settings.Steps.Create(s, settings.Config.BaseDirectory)).ToList();
        var sink = steps.Count > 0 ? steps[^1] as ISinkStep : null;
        var outputs = new TaskOutputs(commit, outputDir, rank);
        var quarantinePath = layout.QuarantinePath(stage.Name, rank);
        using var quarantineFile = new LazyJsonlFile(commit.Reserve(quarantinePath, createDirectory: false));
        using var removedFile = settings.Config.KeepRemoved ? new LazyJsonlFile(commit.Reserve(layout.RemovedPath(stage.Name, rank), createDirectory: false)) : null;
        var removedSink = removedFile is null ? null : new RemovedSink(removedFile, settings.Reader.IdField, settings.Reader.TextField);
        var errors = new ReadErrorPolicy(settings.FailFast, stats, new QuarantineSink(quarantineFile));
        try
        {
            if (steps.Count == 1 && steps[0] is IStandaloneStep standalone)
            {
                var stepStats = new StepStats { Name = standalone.Name };
                stats.Steps.Add(stepStats);
                FaultInjection.MaybeFail(stage.Name, rank);
                standalone.RunTask(new StepContext(rank, plan.Tasks, stepStats, null, cancellation, outputs));
                quarantineFile.Complete();
                removedFile?.Complete();
                stats.Seconds = clock.Elapsed.TotalSeconds;
                commit.Commit(stats);
                return stats;
            }
            IEnumerable<Document> documents = Read(plan, plan.Slices[rank], stats, errors, progress, cancellation);
            if (IoThreads.Enabled)
            {
                // Reading and parsing run on their own thread, ahead of the steps. The reader touches only
                // its own counters (documents in, files, errors, quarantine); the steps and the writer never do.
                documents = Prefetch.Ahead(documents, d => d.Utf8Length);
            }
            StepContext? lastContext = null;
            foreach (var step in steps)
            {
                var stepStats = new StepStats { Name = step.Name };
                stats.Steps.Add(stepStats);
                lastContext = new StepContext(rank, plan.Tasks, stepStats, removedSink, cancellation, outputs);
                documents = CountOut(step.Run(CountIn(documents, stepStats), lastContext), stepStats);
            }
            if (sink is not null)
            {
                // The sink step consumes the stream and writes its own outputs; no document part.
                FaultInjection.MaybeFail(stage.Name, rank);
                foreach (var _ in documents)
                {
                }
                sink.Complete(lastContext!);
            }
            else
            {
                var outPath = commit.Reserve(Path.Combine(outputDir, RunLayout.PartName(rank, settings.Format.Extension)));
                using var writer = DocumentWriters.Create(outPath, settings.Format, settings.Reader.IdField, settings.Reader.TextField);
                foreach (var document in documents)
                {
                    writer.Write(document);
                    if (stats.DocumentsOut == 0)
                    {
                        FaultInjection.MaybeFail(stage.Name, rank);
                    }
                    if (InjectedDelayMs > 0)
                    {
                        Thread.Sleep(InjectedDelayMs);
                    }
                    stats.DocumentsOut++;
                    stats.BytesOut += document.Utf8Length;
                }
                writer.Complete();
            }
            quarantineFile.Complete();
            removedFile?.Complete();
            foreach (var step in stats.Steps)
            {
                foreach (var (reason, count) in step.Removed)
                {
                    stats.Removed[step.Name + "/" + reason] = stats.Removed.GetValueOrDefault(step.Name + "/" + reason) + count;
                }
            }
            if (quarantineFile.Records > 0)
            {
                stats.Quarantine = Path.GetRelativePath(layout.Root, quarantinePath).Replace('\\', '/');
            }
            foreach (var step in steps.OfType<IDisposable>())
            {
                step.Dispose();
            }
            stats.Seconds = clock.Elapsed.TotalSeconds;
            commit.Commit(stats);
            return stats;
        }
        catch
        {
            foreach (var step in steps.OfType<IDisposable>())
            {
                step.Dispose();
            }
            quarantineFile.Dispose();
            removedFile?.Dispose();
            commit.Abort();
            throw;
        }
    }

    private static IEnumerable<Document> Read(StagePlan plan, IReadOnlyList<InputSlice> slices, TaskStats stats, ReadErrorPolicy errors, TaskProgress? progress, CancellationToken cancellation)
    {
        var readers = new Dictionary<string, IDocumentReader>(StringComparer.Ordinal);
        FileStats? last = null;
        foreach (var slice in slices)
        {
            var file = plan.FileOf(slice);
            var format = InputFormats.Detect(file.FullPath, plan.Reader.Format);
            if (!readers.TryGetValue(format, out var reader))
            {
                reader = readers[format] = InputFormats.CreateReader(format, plan.Reader);
            }
            // Slices of one file that follow each other in a task share one entry.
            var fileStats = last is not null && last.Path == file.DisplayPath ? last : new FileStats { Path = file.DisplayPath };
            if (!ReferenceEquals(fileStats, last))
            {
                stats.Files.Add(fileStats);
                last = fileStats;
            }
            long errorsBefore = fileStats.Errors;
            foreach (var document in reader.Read(slice, file, fileStats, errors, n =>
            {
                stats.InputFileBytes += n;
                progress?.AddInputBytes(n);
            }))
            {
                cancellation.ThrowIfCancellationRequested();
                long bytes = document.Utf8Length;
                stats.DocumentsIn++;
                stats.BytesIn += bytes;
                progress?.AddDocument(bytes);
                yield return document;
            }
            // Bad records count as documents in, so that in = out + removed + errors holds for every stage.
            stats.DocumentsIn += fileStats.Errors - errorsBefore;
        }
    }

    private static IEnumerable<Document> CountIn(IEnumerable<Document> documents, StepStats stats)
    {
        foreach (var d in documents)
        {
            stats.DocumentsIn++;
            stats.BytesIn += d.Utf8Length;
            yield return d;
        }
    }

    private static IEnumerable<Document> CountOut(IEnumerable<Document> documents, StepStats stats)
    {
        foreach (var d in documents)
        {
            stats.DocumentsOut++;
            stats.BytesOut += d.Utf8Length;
            yield return d;
        }
    }
}
