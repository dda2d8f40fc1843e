namespace DataPipeline.Filtering.FastText;

/// <summary>
/// fastText's prediction heap: a vector of (log-probability, label) pairs kept with libstdc++'s
/// std::push_heap / pop_heap / sort_heap under comparePairs (<c>l.first &gt; r.first</c>), written out
/// here step by step so that equal scores come out in the same order as from fastText.
/// </summary>
internal sealed class PredictionHeap
{
    private (float Score, int Label)[] _items = new (float, int)[16];

    public int Count { get; private set; }

    public (float Score, int Label) this[int i] => _items[i];

    public float FrontScore => _items[0].Score;

    public void Clear() => Count = 0;

    /// <summary>heap.push_back(value); std::push_heap(heap.begin(), heap.end(), comparePairs).</summary>
    public void Push(float score, int label)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        _items[Count++] = (score, label);
        PushHole(Count - 1, 0, (score, label));
    }

    /// <summary>std::pop_heap(heap.begin(), heap.end(), comparePairs); heap.pop_back().</summary>
    public void PopBack()
    {
        PopHeap(Count);
        Count--;
    }

    /// <summary>std::sort_heap(heap.begin(), heap.end(), comparePairs): best first.</summary>
    public void Sort()
    {
        for (int last = Count; last > 1; last--)
        {
            PopHeap(last);
        }
    }

    private static bool Comp((float Score, int Label) l, (float Score, int Label) r) => l.Score > r.Score;

    // std::__push_heap
    private void PushHole(int hole, int top, (float Score, int Label) value)
    {
        var a = _items;
        int parent = (hole - 1) / 2;
        while (hole > top && Comp(a[parent], value))
        {
            a[hole] = a[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        a[hole] = value;
    }

    // std::__adjust_heap
    private void AdjustHeap(int hole, int len, (float Score, int Label) value)
    {
        var a = _items;
        int top = hole;
        int second = hole;
        while (second < (len - 1) / 2)
        {
            second = 2 * (second + 1);
            if (Comp(a[second], a[second - 1]))
            {
                second--;
            }
            a[hole] = a[second];
            hole = second;
        }
        if ((len & 1) == 0 && second == (len - 2) / 2)
        {
            second = 2 * (second + 1);
            a[hole] = a[second - 1];
            hole = second - 1;
        }
        PushHole(hole, top, value);
    }

    // std::pop_heap over [0, last): the front moves to last - 1.
    private void PopHeap(int last)
    {
        if (last > 1)
        {
            last--;
            var value = _items[last];
            _items[last] = _items[0];
            AdjustHeap(0, last, value);
        }
    }
}
