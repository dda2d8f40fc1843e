namespace DataPipeline.Jobs.Runtime;

/// <summary>
/// Live counters of one running task. Only the task's own thread writes them; the progress display
/// reads them (64-bit reads and writes are atomic, and a slightly stale figure is fine there).
/// </summary>
public sealed class TaskProgress
{
    private long _documents;
    private long _bytes;
    private long _inputBytes;

    public long Documents => Volatile.Read(ref _documents);

    public long Bytes => Volatile.Read(ref _bytes);

    public long InputBytes => Volatile.Read(ref _inputBytes);

    public void AddDocument(long textBytes)
    {
        Volatile.Write(ref _documents, _documents + 1);
        Volatile.Write(ref _bytes, _bytes + textBytes);
    }

    public void AddInputBytes(long n) => Volatile.Write(ref _inputBytes, _inputBytes + n);
}
