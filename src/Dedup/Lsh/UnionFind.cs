namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Union-find over dense document indices in one <c>int[]</c> (4 bytes per document, nothing per
/// edge). Union always hangs the larger root under the smaller one, so every root is the smallest
/// index of its set whatever order the edges arrive in — which makes the keep rule ("keep the
/// smallest global index") free and the result independent of pair order and task count.
/// Path halving keeps finds near-constant in practice; without union by size the worst case is
/// O(log n) amortised per operation, a fair trade for dropping the size array.
/// </summary>
public sealed class UnionFind
{
    private readonly int[] _parent;

    public UnionFind(int count)
    {
        _parent = new int[count];
        for (int i = 0; i < count; i++) _parent[i] = i;
    }

    public int Count => _parent.Length;

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    /// <summary>Joins the sets of a and b; returns false when they were already one set.</summary>
    public bool Union(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra == rb) return false;
        if (ra < rb) _parent[rb] = ra;
        else _parent[ra] = rb;
        return true;
    }
}
