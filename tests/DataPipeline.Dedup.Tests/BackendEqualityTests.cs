using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Dedup.Tests;

/// <summary>Every backend and CPU path gives bit-identical signatures (the scalar path is the reference: datatrove's expression).</summary>
public class BackendEqualityTests
{
    public static TheoryData<CpuVectorPath> AvailablePaths()
    {
        var data = new TheoryData<CpuVectorPath>();
        foreach (var p in new[] { CpuVectorPath.Scalar, CpuVectorPath.Vector256, CpuVectorPath.Vector512 })
        {
            if (CpuMinHashBackend.IsAvailable(p)) data.Add(p);
        }
        return data;
    }

    private static (ShingleBatch Batch, PermutationParameters Parameters) RandomBatch(int perms)
    {
        var rng = new Random(7);
        var batch = new ShingleBatch();
        for (int d = 0; d < 300; d++)
        {
            var shingles = new ulong[rng.Next(0, 40)];
            for (int i = 0; i < shingles.Length; i++)
            {
                // Full 64-bit range, plus values that make x·a + b land near multiples of 2^61 − 1.
                shingles[i] = rng.Next(10) == 0 ? (ulong)rng.Next(16) : (ulong)rng.NextInt64() * 2 + (ulong)rng.Next(2);
            }
            batch.Add(shingles);
        }
        return (batch, PermutationParameters.Create(3, perms));
    }

    private static ulong[] Run(IMinHashBackend backend, ShingleBatch batch, PermutationParameters p)
    {
        var sigs = new ulong[batch.Count * p.Count];
        backend.Compute(batch, p, sigs);
        return sigs;
    }

    [Fact]
    public void Fast_reduction_equals_modulo_on_edge_values()
    {
        const ulong P = PermutationParameters.MersennePrime;
        ulong[] xs = [0, 1, P - 1, P, P + 1, 2 * P, ulong.MaxValue, ulong.MaxValue - 1, 7 * P, 8 * P - 1, (ulong)1 << 63];
        foreach (var x in xs)
        {
            foreach (var (a, b) in new[] { (1UL, 0UL), (1UL, P - 1), (P - 1, P - 1), (3UL, 5UL) })
            {
                Assert.Equal(MinHashMath.Permute(x, a, b), MinHashMath.PermuteFast(x, a, b));
            }
        }
    }

    [Theory]
    [MemberData(nameof(AvailablePaths))]
    public void Cpu_paths_equal_scalar_on_random_shingles(CpuVectorPath path)
    {
        // 112 (datatrove), 260 (NeMo: not a multiple of 8, exercises the remainder) and 3 (all remainder).
        foreach (var perms in new[] { 112, 260, 3 })
        {
            var (batch, p) = RandomBatch(perms);
            using var scalar = new CpuMinHashBackend(CpuVectorPath.Scalar);
            using var vector = new CpuMinHashBackend(path);
            Assert.Equal(Run(scalar, batch, p), Run(vector, batch, p));
        }
    }

    [Theory]
    [MemberData(nameof(AvailablePaths))]
    public void Cpu_paths_equal_scalar_on_real_and_random_texts(CpuVectorPath path)
    {
        var options = new MinHashOptions();
        var shingler = new Shingler(options);
        var p = PermutationParameters.Create(options.Seed, options.SignatureLength);
        var batch = new ShingleBatch();
        foreach (var (_, text) in TestData.Corpus.Take(400)) batch.Add(shingler, text);
        foreach (var text in TestData.RandomTexts(300, 11)) batch.Add(shingler, text);
        using var scalar = new CpuMinHashBackend(CpuVectorPath.Scalar);
        using var vector = new CpuMinHashBackend(path);
        Assert.Equal(Run(scalar, batch, p), Run(vector, batch, p));
    }

    [Fact]
    public void Ilgpu_kernel_on_cpu_accelerator_equals_cpu_path()
    {
        using var ilgpu = new IlgpuMinHashBackend(IlgpuTarget.Cpu);
        using var cpu = new CpuMinHashBackend();
        foreach (var perms in new[] { 112, 13 })
        {
            var (batch, p) = RandomBatch(perms);
            Assert.Equal(Run(cpu, batch, p), Run(ilgpu, batch, p));
        }
        var options = new MinHashOptions();
        var shingler = new Shingler(options);
        var textBatch = new ShingleBatch();
        foreach (var (_, text) in TestData.Corpus.Skip(1000).Take(150)) textBatch.Add(shingler, text);
        var dp = PermutationParameters.Create(options.Seed, options.SignatureLength);
        Assert.Equal(Run(cpu, textBatch, dp), Run(ilgpu, textBatch, dp));
    }

    /// <summary>Runs only where ILGPU sees a CUDA device (the GPU machine); elsewhere it returns at once.</summary>
    [Fact]
    public void Cuda_kernel_equals_cpu_path_when_a_gpu_is_present()
    {
        if (!IlgpuMinHashBackend.CudaAvailable()) return;
        using var cuda = new IlgpuMinHashBackend(IlgpuTarget.Cuda);
        using var cpu = new CpuMinHashBackend();
        foreach (var perms in new[] { 112, 260, 13 })
        {
            var (batch, p) = RandomBatch(perms);
            Assert.Equal(Run(cpu, batch, p), Run(cuda, batch, p));
        }
        var options = new MinHashOptions();
        var shingler = new Shingler(options);
        var textBatch = new ShingleBatch();
        foreach (var (_, text) in TestData.Corpus) textBatch.Add(shingler, text);
        var dp = PermutationParameters.Create(options.Seed, options.SignatureLength);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var gpuSigs = Run(cuda, textBatch, dp);
        var gpuMs = sw.ElapsedMilliseconds;
        sw.Restart();
        var cpuSigs = Run(cpu, textBatch, dp);
        Console.WriteLine($"CUDA check on {cuda.Name}: {textBatch.Count} docs, {textBatch.TotalShingles} shingles; gpu {gpuMs} ms (incl. transfers), {cpu.Name} {sw.ElapsedMilliseconds} ms");
        Assert.Equal(cpuSigs, gpuSigs);
    }

    [Fact]
    public void Gpu_backend_without_cuda_is_a_clear_error_and_auto_falls_back_with_a_warning()
    {
        if (IlgpuMinHashBackend.CudaAvailable())
        {
            using var gpu = MinHashBackends.Create("gpu");
            Assert.StartsWith("ilgpu-cuda", gpu.Name);
            return;
        }
        var e = Assert.Throws<MinHashBackendException>(() => MinHashBackends.Create("gpu"));
        Assert.Contains("no CUDA device", e.Message);
        var warnings = new List<string>();
        using var auto = MinHashBackends.Create("auto", warnings.Add);
        Assert.StartsWith("cpu-", auto.Name);
        Assert.Single(warnings);
    }

    [Fact]
    public void Empty_documents_get_the_no_signature_row()
    {
        var batch = new ShingleBatch();
        batch.Add(ReadOnlySpan<ulong>.Empty);
        batch.Add([5UL]);
        var p = PermutationParameters.Create(1, 16);
        using var cpu = new CpuMinHashBackend();
        using var ilgpu = new IlgpuMinHashBackend(IlgpuTarget.Cpu);
        var a = Run(cpu, batch, p);
        Assert.All(a.Take(16), v => Assert.Equal(ulong.MaxValue, v));
        Assert.Equal(a, Run(ilgpu, batch, p));
    }
}
