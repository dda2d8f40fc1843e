using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Sampling.Dsir.Resampling;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// Pass 4 of a DSIR stage, one task: merges the weights tasks' candidates into the global selection (top k by
/// key, the best documents within the token budget, or with replacement the best document of each draw), writes
/// each task's selected positions for the last pass, and with <c>write_weights</c> gathers the tasks' weights into
/// one <c>weights.jsonl</c> in input order.
/// </summary>
/// <remarks>
/// Keys depend only on a document's global position and ties are broken by position, so the selection is the same
/// whatever the number of tasks. The order of the global top k equals DSIR's <c>np.argpartition(-keys, k)[:k]</c>
/// set (DSIR writes the chosen documents in input order, as the last pass does).
/// </remarks>
public sealed class DsirSelectStep(DsirSettings settings, string fitRoot, string weightsRoot, string weightsFile) : IStandaloneStep
{
    public string Name => "dsir_select";

    public int TaskCount => 1;

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context) =>
        throw new InvalidOperationException("the dsir select pass reads no documents");

    public void RunTask(StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dsir select pass runs inside a task");
        var fit = DsirFiles.ReadJson<FitSummary>(Path.Combine(fitRoot, DsirFiles.FitFile));
        int tasks = fit.TaskDocuments.Length;
        var perTask = Enumerable.Range(0, tasks).Select(r => DsirFiles.ReadCandidates(Path.Combine(weightsRoot, DsirFiles.Part(r) + ".top"))).ToList();
        long candidates = perTask.Sum(c => c.Count);
        List<long> selected;
        double lowestKey = double.NaN;
        if (settings.WithReplacement)
        {
            // Draw r keeps the best document any task saw for draw r.
            int k = (int)fit.K;
            var best = new ScoredDocument[k];
            Array.Fill(best, new ScoredDocument(double.NegativeInfinity, long.MaxValue));
            foreach (var list in perTask)
            {
                if (list.Count != k)
                {
                    throw new DataPipelineException($"dsir select: a weights task wrote {list.Count} draws, expected {k}; rerun the stage with --overwrite");
                }
                for (int r = 0; r < k; r++)
                {
                    var c = new ScoredDocument(list[r].Key, list[r].Index);
                    if (c.IsBetterThan(best[r]))
                    {
                        best[r] = c;
                    }
                }
            }
            selected = best.Where(b => b.Index != long.MaxValue).Select(b => b.Index).Order().ToList();
            candidates = best.Count(b => b.Index != long.MaxValue);
        }
        else if (settings.SizeKind == DsirSizeKind.Tokens)
        {
            var all = perTask.SelectMany(c => c).ToList();
            all.Sort(static (a, b) => new ScoredDocument(a.Key, a.Index).IsBetterThan(new ScoredDocument(b.Key, b.Index)) ? -1 : a.Index == b.Index ? 0 : 1);
            selected = [];
            long total = 0;
            foreach (var c in all)
            {
                if (total + c.Length > (long)settings.Size)
                {
                    break;
                }
                total += c.Length;
                selected.Add(c.Index);
                lowestKey = c.Key;
            }
            selected.Sort();
        }
        else
        {
            var top = new TopK((int)fit.K);
            foreach (var list in perTask)
            {
                foreach (var c in list)
                {
                    top.Offer(c.Key, c.Index);
                }
            }
            var ranked = top.ByRank();
            if (ranked.Length > 0)
            {
                lowestKey = ranked[^1].Key;
            }
            selected = [.. top.IndicesInRawOrder()];
        }

        // Global positions to each task's own, ascending (a position repeats once per draw that chose it).
        int at = 0;
        long start = 0;
        for (int r = 0; r < tasks; r++)
        {
            long end = start + fit.TaskDocuments[r];
            var mine = new List<long>();
            while (at < selected.Count && selected[at] < end)
            {
                mine.Add(selected[at++] - start);
            }
            DsirFiles.WriteInt64s(outputs.ReserveFile(DsirFiles.Part(r) + ".sel"), mine.ToArray());
            start = end;
        }
        if (at != selected.Count)
        {
            throw new DataPipelineException("dsir select: a candidate lies beyond the input the counts pass read; rerun the stage with --overwrite");
        }

        if (settings.WriteWeights)
        {
            using var output = new FileStream(outputs.ReserveFile(weightsFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            for (int r = 0; r < tasks; r++)
            {
                var path = Path.Combine(weightsRoot, DsirFiles.Part(r) + ".ids.jsonl");
                using var input = File.Exists(path) ? File.OpenRead(path) : throw new DataPipelineException($"dsir select: {path} is missing; rerun the stage with --overwrite");
                input.CopyTo(output);
            }
        }

        var stats = context.Stats;
        stats.Add("candidates", candidates);
        stats.Add("selected", selected.Count);
        stats.Add("selected_distinct", selected.Distinct().Count());
        if (!double.IsNaN(lowestKey))
        {
            stats.Add("lowest_selected_key", lowestKey);
        }
    }
}
