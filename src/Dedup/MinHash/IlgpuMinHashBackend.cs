using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace DataPipeline.Dedup.MinHash;

/// <summary>Where the ILGPU kernel runs.</summary>
public enum IlgpuTarget
{
    /// <summary>The first CUDA device; an error when there is none.</summary>
    Cuda,

    /// <summary>ILGPU's CPU accelerator: the same kernel, interpreted on CPU threads (for tests and for machines without a GPU).</summary>
    Cpu,
}

/// <summary>
/// MinHash as an ILGPU kernel: one thread per (document, permutation), looping over that document's
/// shingles. Threads of a warp share a document, so each shingle load is a broadcast. Inputs are
/// copied per batch; batches should be large (tens of thousands of documents) to hide the transfers.
/// </summary>
public sealed class IlgpuMinHashBackend : IMinHashBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, ArrayView<ulong>, ArrayView<int>, ArrayView<ulong>, ArrayView<ulong>, ArrayView<ulong>, int> _kernel;

    public IlgpuMinHashBackend(IlgpuTarget target)
    {
        _context = Context.Create(builder => builder.Default().Optimize(OptimizationLevel.O1));
        try
        {
            _accelerator = target switch
            {
                IlgpuTarget.Cuda => CreateCuda(_context),
                _ => _context.CreateCPUAccelerator(0),
            };
            _kernel = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<ulong>, ArrayView<int>, ArrayView<ulong>, ArrayView<ulong>, ArrayView<ulong>, int>(Kernel);
        }
        catch
        {
            _accelerator?.Dispose();
            _context.Dispose();
            throw;
        }
        Name = $"ilgpu-{target.ToString().ToLowerInvariant()}: {_accelerator.Name}";
    }

    public string Name { get; }

    /// <summary>Whether ILGPU sees a CUDA device (false, not an exception, when the driver is missing).</summary>
    public static bool CudaAvailable()
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count > 0;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }

    private static Accelerator CreateCuda(Context context)
    {
        var devices = context.GetCudaDevices();
        if (devices.Count == 0)
        {
            throw new MinHashBackendException("MinHash backend 'gpu': no CUDA device found (is the NVIDIA driver installed and a GPU visible?); use backend 'cpu' or 'auto'");
        }
        return devices[0].CreateAccelerator(context);
    }

    public void Compute(ShingleBatch batch, PermutationParameters parameters, Span<ulong> signatures)
    {
        int perms = parameters.Count;
        long total = (long)batch.Count * perms;
        if (signatures.Length < total)
        {
            throw new ArgumentException("signature buffer too small", nameof(signatures));
        }
        if (batch.Count == 0)
        {
            return;
        }
        // ILGPU refuses zero-length buffers; a batch of shingle-less documents still needs one slot.
        var shingles = batch.TotalShingles == 0 ? new ulong[1] : batch.ShinglesArray();
        using var shinglesBuffer = _accelerator.Allocate1D(shingles);
        using var offsetsBuffer = _accelerator.Allocate1D(batch.OffsetsArray());
        using var aBuffer = _accelerator.Allocate1D(parameters.A);
        using var bBuffer = _accelerator.Allocate1D(parameters.B);
        using var output = _accelerator.Allocate1D<ulong>(total);
        _kernel((int)total, shinglesBuffer.View, offsetsBuffer.View, aBuffer.View, bBuffer.View, output.View, perms);
        _accelerator.Synchronize();
        output.View.AsContiguous().CopyToCPU(signatures[..(int)total]);
    }

    // Same arithmetic as MinHashMath.PermuteFast; kept inline because kernels cannot call through delegates.
    private static void Kernel(Index1D index, ArrayView<ulong> shingles, ArrayView<int> offsets, ArrayView<ulong> a, ArrayView<ulong> b, ArrayView<ulong> signatures, int perms)
    {
        int doc = index / perms;
        int perm = index - doc * perms;
        ulong ai = a[perm];
        ulong bi = b[perm];
        ulong min = ulong.MaxValue;
        int end = offsets[doc + 1];
        for (int k = offsets[doc]; k < end; k++)
        {
            ulong h = unchecked(shingles[k] * ai + bi);
            h = (h & PermutationParameters.MersennePrime) + (h >> 61);
            ulong reduced = unchecked(h - PermutationParameters.MersennePrime);
            if (reduced < h) h = reduced;
            if (h < min) min = h;
        }
        signatures[index] = min;
    }

    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}

/// <summary>A MinHash backend cannot run as asked (e.g. 'gpu' without a CUDA device).</summary>
public sealed class MinHashBackendException(string message) : Exception(message);
