namespace DataPipeline.Dedup.MinHash;

/// <summary>
/// Builds the backend a pipeline names: <c>cpu</c> (widest vector path), <c>gpu</c> (CUDA through ILGPU,
/// an error without a device), <c>auto</c> (CUDA when present, else CPU with a warning), and
/// <c>ilgpu-cpu</c> (the GPU kernel on ILGPU's CPU accelerator, for checking the kernel without a GPU).
/// </summary>
public static class MinHashBackends
{
    public static IMinHashBackend Create(string name, Action<string>? warn = null) => name switch
    {
        "cpu" => new CpuMinHashBackend(),
        "gpu" => new IlgpuMinHashBackend(IlgpuTarget.Cuda),
        "ilgpu-cpu" => new IlgpuMinHashBackend(IlgpuTarget.Cpu),
        "auto" => CreateAuto(warn),
        _ => throw new ArgumentException($"unknown MinHash backend '{name}'; expected cpu, gpu, auto or ilgpu-cpu", nameof(name)),
    };

    private static IMinHashBackend CreateAuto(Action<string>? warn)
    {
        if (IlgpuMinHashBackend.CudaAvailable())
        {
            try
            {
                return new IlgpuMinHashBackend(IlgpuTarget.Cuda);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warn?.Invoke($"MinHash backend 'auto': CUDA device found but unusable ({e.Message}); falling back to CPU");
                return new CpuMinHashBackend();
            }
        }
        var cpu = new CpuMinHashBackend();
        warn?.Invoke($"MinHash backend 'auto': no CUDA device found; using {cpu.Name}");
        return cpu;
    }
}
