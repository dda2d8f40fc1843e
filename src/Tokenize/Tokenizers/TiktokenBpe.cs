namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// tiktoken's byte-pair merge (<c>_byte_pair_merge</c> in its src/lib.rs, which Microsoft.ML.Tokenizers
/// ports too): start from single bytes, repeatedly merge the adjacent pair whose joined bytes have the
/// lowest rank (the leftmost of equal ones) until no adjacent pair is a token, then emit the ranks of
/// the parts. Only each merge's neighbours are looked up again, so a piece of n bytes costs O(n) rank
/// lookups per merge; the first round reads two-byte ranks from a flat table. Single-threaded: it
/// keeps its work arrays between calls.
/// </summary>
internal sealed class TiktokenBpe(TiktokenRanks ranks)
{
    private const int Max = int.MaxValue;
    private int[] _starts = new int[64];
    private int[] _ranks = new int[64];

    /// <summary>
    /// Appends the ids of <paramref name="piece"/> (one pre-token's UTF-8) to <paramref name="destination"/>;
    /// false, with nothing appended, if some part is not a token at all (a vocabulary without every
    /// single byte), which the caller leaves to the tokenizer itself.
    /// </summary>
    public bool TryEncode(ReadOnlySpan<byte> piece, List<int> destination)
    {
        int whole = ranks.RankOf(piece);
        if (whole >= 0)
        {
            destination.Add(whole);
            return true;
        }
        if (piece.Length < 2)
        {
            return false;
        }
        int n = piece.Length;
        if (_starts.Length < n + 1)
        {
            _starts = new int[n + 1];
            _ranks = new int[n + 1];
        }
        var starts = _starts;
        var partRanks = _ranks;
        // parts[i] = (start, rank of the bytes from start[i] to start[i + 2]); parts has count entries,
        // the last two with rank Max (as upstream's vector ends with (len - 1, MAX), (len, MAX)).
        for (int i = 0; i < n - 1; i++)
        {
            starts[i] = i;
            int r = ranks.PairRank(piece[i], piece[i + 1]);
            partRanks[i] = r < 0 ? Max : r;
        }
        starts[n - 1] = n - 1;
        partRanks[n - 1] = Max;
        starts[n] = n;
        partRanks[n] = Max;
        int count = n + 1;
        while (true)
        {
            int min = Max, at = -1;
            for (int i = 0; i < count - 1; i++)
            {
                if (partRanks[i] < min)
                {
                    min = partRanks[i];
                    at = i;
                }
            }
            if (at < 0)
            {
                break;
            }
            // Merge part at with part at + 1: its rank becomes that of the bytes up to part at + 3's
            // start, and the part before it sees a longer right neighbour.
            if (at > 0)
            {
                partRanks[at - 1] = RankOfSpan(piece, starts, count, at - 1);
            }
            partRanks[at] = RankOfSpan(piece, starts, count, at);
            Array.Copy(starts, at + 2, starts, at + 1, count - at - 2);
            Array.Copy(partRanks, at + 2, partRanks, at + 1, count - at - 2);
            count--;
        }
        int before = destination.Count;
        for (int i = 0; i < count - 1; i++)
        {
            int r = ranks.RankOf(piece[starts[i]..starts[i + 1]]);
            if (r < 0)
            {
                destination.RemoveRange(before, destination.Count - before);
                return false;
            }
            destination.Add(r);
        }
        return true;
    }

    /// <summary>Upstream's get_rank: the rank of the bytes from part i's start to part i + 3's start (two parts joined), else Max.</summary>
    private int RankOfSpan(ReadOnlySpan<byte> piece, int[] starts, int count, int i)
    {
        if (i + 3 >= count)
        {
            return Max;
        }
        int r = ranks.RankOf(piece[starts[i]..starts[i + 3]]);
        return r < 0 ? Max : r;
    }
}
