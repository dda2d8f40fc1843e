using System.Globalization;
using System.Text;

namespace DataPipeline.Tokenize.Tokenizers.SentencePiece;

/// <summary>
/// A SentencePiece <c>.model</c> (Llama 2, Mistral, T5, Gemma ...) encoded exactly as the reference
/// C++ library does (<c>SentencePieceProcessor::Encode</c>, what <c>spm_encode --output_format=id</c>
/// prints): a port of its normalizer (precompiled charsmap, whitespace rules), its unigram Viterbi
/// (<c>unigram::Model::EncodeOptimized</c>, with its float/double arithmetic), its BPE merge loop
/// (<c>bpe::Model::SampleEncode</c> without dropout: best score first, leftmost first on equal
/// scores), its char and word models, byte fallback, and the merging of runs of unknown pieces into
/// one &lt;unk&gt;. Text is handled as UTF-8, so a document read from disk is never transcoded.
/// Immutable and thread-safe: per-call work buffers are per thread.
/// </summary>
public sealed class SentencePieceProcessor
{
    private readonly SentencePieceEntry[] _pieces;
    private readonly PieceTrie _normalPieces;   // NORMAL, USER_DEFINED, UNUSED: what segmentation matches
    private readonly PieceTrie? _reservedPieces; // UNKNOWN, CONTROL, BYTE: looked up first by PieceToId
    private readonly SentencePieceNormalizer _normalizer;
    private readonly PieceTrie? _userDefined;
    private readonly float[] _scores;
    private readonly byte[] _kinds;
    private readonly int[] _byteIds = new int[256];
    private readonly bool _hasUnused;
    private readonly float _minScore;
    private readonly float _maxScore;
    private readonly byte[] _unkSurface;
    private readonly bool _addDummyPrefix;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _treatWhitespaceAsSuffix;
    private readonly bool _allowWhitespaceOnlyPieces;

    [ThreadStatic]
    private static Scratch? t_scratch;

    private SentencePieceProcessor(SentencePieceModelFile model)
    {
        ModelType = model.ModelType;
        ByteFallback = model.ByteFallback;
        NormalizerName = model.NormalizerName;
        _unkSurface = model.UnkSurface;
        _addDummyPrefix = model.AddDummyPrefix;
        _removeExtraWhitespaces = model.RemoveExtraWhitespaces;
        _treatWhitespaceAsSuffix = model.TreatWhitespaceAsSuffix;
        _allowWhitespaceOnlyPieces = model.AllowWhitespaceOnlyPieces;
        _pieces = [.. model.Pieces];
        _scores = new float[_pieces.Length];
        _kinds = new byte[_pieces.Length];

        // model_interface.cc InitializePieces, with its checks.
        var normal = new List<(byte[], int)>();
        var reserved = new List<(byte[], int)>();
        var userDefined = new List<(byte[], int)>();
        var normalSeen = new HashSet<string>(StringComparer.Ordinal);
        var reservedSeen = new HashSet<string>(StringComparer.Ordinal);
        var byteFound = new bool[256];
        int unk = -1;
        for (int i = 0; i < _pieces.Length; i++)
        {
            var p = _pieces[i];
            _scores[i] = p.Score;
            _kinds[i] = (byte)p.Type;
            if (p.Piece.Length == 0)
            {
                throw new InvalidDataException($"piece {i} is empty");
            }
            if (p.Piece.AsSpan().Contains((byte)0))
            {
                throw new InvalidDataException($"piece {i} contains a NUL character");
            }
            string key = Encoding.Latin1.GetString(p.Piece); // byte-exact key
            bool isNormal = p.Type is SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused;
            if (!(isNormal ? normalSeen : reservedSeen).Add(key))
            {
                throw new InvalidDataException($"piece {i} '{Encoding.UTF8.GetString(p.Piece)}' is already defined");
            }
            (isNormal ? normal : reserved).Add((p.Piece, i));
            switch (p.Type)
            {
                case SentencePieceType.UserDefined:
                    userDefined.Add((p.Piece, i));
                    break;
                case SentencePieceType.Unused:
                    _hasUnused = true;
                    break;
                case SentencePieceType.Unknown:
                    if (unk >= 0)
                    {
                        throw new InvalidDataException("unk is already defined");
                    }
                    unk = i;
                    break;
                case SentencePieceType.Byte:
                    if (!model.ByteFallback)
                    {
                        throw new InvalidDataException($"byte piece {Encoding.UTF8.GetString(p.Piece)} is found although byte_fallback is false");
                    }
                    int b = PieceToByte(p.Piece);
                    if (b < 0)
                    {
                        throw new InvalidDataException($"byte piece {Encoding.UTF8.GetString(p.Piece)} is invalid");
                    }
                    byteFound[b] = true;
                    break;
            }
        }
        if (unk < 0)
        {
            throw new InvalidDataException("unk is not defined");
        }
        if (model.ByteFallback && Array.IndexOf(byteFound, false) >= 0)
        {
            throw new InvalidDataException("there are not 256 byte pieces although byte_fallback is true");
        }
        if (normal.Count == 0 && ModelType is SentencePieceModelType.Unigram)
        {
            throw new InvalidDataException("no pieces are loaded");
        }
        UnkId = unk;
        _normalPieces = PieceTrie.Build(normal);
        _reservedPieces = reserved.Count > 0 ? PieceTrie.Build(reserved) : null;
        _userDefined = userDefined.Count > 0 ? PieceTrie.Build(userDefined) : null;
        if (model.ByteFallback)
        {
            for (int b = 0; b < 256; b++)
            {
                _byteIds[b] = PieceToId(Encoding.ASCII.GetBytes(ByteToPiece(b)));
            }
        }

        // unigram_model.cc: min/max over NORMAL pieces; max starts at FLT_MIN (the smallest
        // positive float), so over all-negative scores it stays there, as upstream's does.
        _minScore = float.MaxValue;
        _maxScore = 1.17549435E-38f;
        foreach (var p in _pieces)
        {
            if (p.Type == SentencePieceType.Normal)
            {
                _minScore = Math.Min(_minScore, p.Score);
                _maxScore = Math.Max(_maxScore, p.Score);
            }
        }

        _normalizer = new SentencePieceNormalizer(model, _userDefined);
        BosId = ControlId(model.BosPiece);
        EosId = ControlId(model.EosPiece);
        PadId = ControlId(model.PadPiece);
    }

    /// <summary>Reads a <c>.model</c> file; a malformed one is an <see cref="InvalidDataException"/>.</summary>
    public static SentencePieceProcessor Load(string path) => FromBytes(File.ReadAllBytes(path));

    public static SentencePieceProcessor Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return FromBytes(buffer.ToArray());
    }

    public static SentencePieceProcessor FromBytes(ReadOnlySpan<byte> model) => new(SentencePieceModelFile.Parse(model));

    public SentencePieceModelType ModelType { get; }

    public bool ByteFallback { get; }

    /// <summary>The normalizer spec's name (nmt_nfkc, identity, ...), for descriptions.</summary>
    public string NormalizerName { get; }

    /// <summary>Number of pieces; ids run from 0 to this - 1.</summary>
    public int PieceCount => _pieces.Length;

    public int UnkId { get; }

    /// <summary>The id of the BOS piece (trainer_spec.bos_piece, default &lt;s&gt;) if it is a control symbol, else -1.</summary>
    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public SentencePieceType PieceType(int id) => (SentencePieceType)_kinds[id];

    public float Score(int id) => _scores[id];

    public string IdToPiece(int id) => Encoding.UTF8.GetString(_pieces[id].Piece);

    /// <summary><c>PieceToId</c>: reserved pieces (unknown, control, byte) first, then the others; unknown text gives <see cref="UnkId"/>.</summary>
    public int PieceToId(string piece) => PieceToId(Encoding.UTF8.GetBytes(piece));

    /// <summary>The id of exactly this piece, or null (where <see cref="PieceToId(string)"/> would say unk).</summary>
    public int? FindPiece(string piece)
    {
        var bytes = Encoding.UTF8.GetBytes(piece);
        int id = _reservedPieces?.Find(bytes) ?? -1;
        if (id < 0)
        {
            id = _normalPieces.Find(bytes);
        }
        return id >= 0 ? id : null;
    }

    private int PieceToId(ReadOnlySpan<byte> piece)
    {
        if (_reservedPieces is not null)
        {
            int r = _reservedPieces.Find(piece);
            if (r >= 0)
            {
                return r;
            }
        }
        int id = _normalPieces.Find(piece);
        return id >= 0 ? id : UnkId;
    }

    private int ControlId(string piece)
    {
        int id = PieceToId(Encoding.UTF8.GetBytes(piece));
        return _kinds[id] == (byte)SentencePieceType.Control ? id : -1;
    }

    /// <summary>The ids of <paramref name="text"/>, as spm_encode gives them (no BOS/EOS).</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        Encode(text.AsSpan(), ids);
        return [.. ids];
    }

    /// <summary>Appends the ids of <paramref name="text"/> (transcoded to UTF-8; lone surrogates become U+FFFD).</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids)
    {
        var scratch = t_scratch ??= new Scratch();
        int max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (scratch.Utf8.Length < max)
        {
            scratch.Utf8 = new byte[Math.Max(max, scratch.Utf8.Length * 2)];
        }
        int n = Encoding.UTF8.GetBytes(text, scratch.Utf8);
        Encode(scratch.Utf8.AsSpan(0, n), ids);
    }

    /// <summary>Appends the ids of UTF-8 <paramref name="utf8"/>; malformed bytes are handled as upstream does (each becomes U+FFFD).</summary>
    public void Encode(ReadOnlySpan<byte> utf8, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var scratch = t_scratch ??= new Scratch();
        int length = _normalizer.Normalize(utf8, ref scratch.Normalized);
        if (length == 0)
        {
            return;
        }
        var normalized = scratch.Normalized.AsSpan(0, length);
        switch (ModelType)
        {
            case SentencePieceModelType.Unigram:
                EncodeUnigram(normalized, scratch, ids);
                break;
            case SentencePieceModelType.Bpe:
                EncodeBpe(normalized, scratch, ids);
                break;
            case SentencePieceModelType.Char:
                EncodeChar(normalized, ids);
                break;
            default:
                EncodeWord(normalized, ids);
                break;
        }
    }

    /// <summary>
    /// <c>SentencePieceProcessor::PopulateSentencePieceText</c>, ids only: an unknown piece becomes
    /// its UTF-8 bytes' &lt;0xXX&gt; pieces under byte fallback; otherwise a run of unknown pieces
    /// becomes one unknown id.
    /// </summary>
    private void Emit(ReadOnlySpan<byte> piece, int id, ref bool prevUnk, List<int> ids)
    {
        bool isUnk = id == UnkId;
        if (isUnk && ByteFallback)
        {
            foreach (byte b in piece)
            {
                ids.Add(_byteIds[b]);
            }
        }
        else if (!(isUnk && prevUnk))
        {
            ids.Add(id);
        }
        prevUnk = isUnk;
    }

    /// <summary>
    /// <c>unigram::Model::EncodeOptimized</c>: the best path ending at each byte position, pieces
    /// tried shortest first from each character start, a later candidate replacing an earlier one
    /// only when strictly better. Upstream's piece candidate is a double (its user-defined score
    /// expression is double), compared with the float it would replace and stored as float; the
    /// unknown candidate is float throughout. Both are kept so, since ties go by that rounding.
    /// </summary>
    private void EncodeUnigram(ReadOnlySpan<byte> normalized, Scratch scratch, List<int> ids)
    {
        int size = normalized.Length;
        scratch.EnsureLattice(size + 1);
        var bestScore = scratch.BestScore;
        var startsAt = scratch.StartsAt;
        var bestId = scratch.BestId;
        Array.Fill(startsAt, -1, 0, size + 1);
        bestScore[0] = 0;
        float unkScore = _minScore - 10.0f;
        var trie = _normalPieces;
        var scores = _scores;
        var kinds = _kinds;

        int start = 0;
        while (start < size)
        {
            float tillHere = bestScore[start];
            bool hasSingleNode = false;
            int mblen = Math.Min(Utf8Rules.OneCharLen(normalized[start]), size - start);
            int node = PieceTrie.Root;
            for (int keyPos = start; keyPos < size;)
            {
                node = trie.Next(node, normalized[keyPos]);
                keyPos++;
                if (node == PieceTrie.None)
                {
                    break;
                }
                int id = trie.ValueAt(node);
                if (id < 0)
                {
                    continue;
                }
                byte kind = kinds[id];
                if (kind == (byte)SentencePieceType.Unused)
                {
                    continue;
                }
                int length = keyPos - start;
                double score = kind == (byte)SentencePieceType.UserDefined
                    ? (double)(length * _maxScore) - 0.1
                    : scores[id];
                double candidate = score + tillHere;
                if (startsAt[keyPos] == -1 || candidate > bestScore[keyPos])
                {
                    bestScore[keyPos] = (float)candidate;
                    startsAt[keyPos] = start;
                    bestId[keyPos] = id;
                }
                if (!hasSingleNode && length == mblen)
                {
                    hasSingleNode = true;
                }
            }
            if (!hasSingleNode)
            {
                int target = start + mblen;
                float candidate = unkScore + tillHere;
                if (startsAt[target] == -1 || candidate > bestScore[target])
                {
                    bestScore[target] = candidate;
                    startsAt[target] = start;
                    bestId[target] = UnkId;
                }
            }
            start += mblen;
        }

        // Backtrack, then emit left to right.
        var path = scratch.Path;
        int count = 0;
        for (int end = size; end > 0; end = startsAt[end])
        {
            path[count++] = end;
        }
        bool prevUnk = false;
        int from = 0;
        for (int k = count - 1; k >= 0; k--)
        {
            int end = path[k];
            Emit(normalized[from..end], bestId[end], ref prevUnk, ids);
            from = end;
        }
    }

    /// <summary>
    /// <c>bpe::Model::SampleEncode</c> with alpha 0: characters (user-defined symbols whole and
    /// frozen) merged pair by pair, the best-scoring pair in the vocabulary first and, between
    /// equal scores, the leftmost; stale queue entries are recognised by their size, as upstream
    /// does. Pieces of type UNUSED are split back into the pieces they were merged from.
    /// </summary>
    private void EncodeBpe(ReadOnlySpan<byte> normalized, Scratch scratch, List<int> ids)
    {
        int size = normalized.Length;
        scratch.EnsureSymbols(size);
        var symStart = scratch.SymStart;
        var symLen = scratch.SymLen;
        var prev = scratch.Prev;
        var next = scratch.Next;
        var freeze = scratch.Freeze;
        var symNode = scratch.SymNode;
        var trie = _normalPieces;
        var heap = scratch.Heap;
        heap.Clear();
        Dictionary<string, (int, int, int, int)>? revMerge = null;

        int n = 0;
        for (int pos = 0; pos < size; n++)
        {
            int len = PrefixMatchUserDefined(normalized[pos..], out bool frozen);
            symStart[n] = pos;
            symLen[n] = len;
            freeze[n] = frozen;
            symNode[n] = Walk(trie, PieceTrie.Root, normalized.Slice(pos, len));
            prev[n] = n - 1;
            pos += len;
            next[n] = pos < size ? n + 1 : -1;
        }

        for (int i = 1; i < n; i++)
        {
            MaybeAddPair(normalized, i - 1, i);
        }

        while (heap.Count > 0)
        {
            var top = heap.Pop();
            int l = top.Left, r = top.Right;
            if (symLen[l] == 0 || symLen[r] == 0 || symLen[l] + symLen[r] != top.Size)
            {
                continue;
            }
            symLen[l] += symLen[r];
            symNode[l] = top.Node;
            next[l] = next[r];
            if (next[r] >= 0)
            {
                prev[next[r]] = l;
            }
            symLen[r] = 0;
            MaybeAddPair(normalized, prev[l], l);
            MaybeAddPair(normalized, l, next[l]);
        }

        bool prevUnk = false;
        for (int i = 0; i != -1 && n > 0; i = next[i])
        {
            var w = normalized.Slice(symStart[i], symLen[i]);
            Resegment(w, normalized, revMerge, ref prevUnk, ids);
        }

        void MaybeAddPair(ReadOnlySpan<byte> text, int left, int right)
        {
            if (left == -1 || right == -1 || freeze[left] || freeze[right])
            {
                return;
            }
            // The pair's piece, walked on from where the left symbol's piece ends in the trie.
            int node = Walk(trie, symNode[left], text.Slice(symStart[right], symLen[right]));
            int id = node == PieceTrie.None ? -1 : trie.ValueAt(node);
            if (id < 0)
            {
                return;
            }
            int combined = symLen[left] + symLen[right];
            heap.Push(new BpePair(_scores[id], left, right, combined, node));
            if (_hasUnused && _kinds[id] == (byte)SentencePieceType.Unused)
            {
                revMerge ??= new Dictionary<string, (int, int, int, int)>(StringComparer.Ordinal);
                revMerge[Encoding.Latin1.GetString(text.Slice(symStart[left], combined))] =
                    (symStart[left], symLen[left], symStart[right], symLen[right]);
            }
        }
    }

    private static int Walk(PieceTrie trie, int node, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length && node != PieceTrie.None; i++)
        {
            node = trie.Next(node, bytes[i]);
        }
        return node;
    }

    private void Resegment(ReadOnlySpan<byte> w, ReadOnlySpan<byte> normalized, Dictionary<string, (int, int, int, int)>? revMerge, ref bool prevUnk, List<int> ids)
    {
        int id = PieceToId(w);
        if (_kinds[id] != (byte)SentencePieceType.Unused || revMerge is null
            || !revMerge.TryGetValue(Encoding.Latin1.GetString(w), out var split))
        {
            Emit(w, id, ref prevUnk, ids);
            return;
        }
        Resegment(normalized.Slice(split.Item1, split.Item2), normalized, revMerge, ref prevUnk, ids);
        Resegment(normalized.Slice(split.Item3, split.Item4), normalized, revMerge, ref prevUnk, ids);
    }

    /// <summary><c>PrefixMatcher::PrefixMatch</c>: the longest user-defined symbol at the start (found), else one character.</summary>
    private int PrefixMatchUserDefined(ReadOnlySpan<byte> text, out bool found)
    {
        if (_userDefined is not null)
        {
            int node = PieceTrie.Root;
            int longest = 0;
            for (int i = 0; i < text.Length; i++)
            {
                node = _userDefined.Next(node, text[i]);
                if (node == PieceTrie.None)
                {
                    break;
                }
                if (_userDefined.ValueAt(node) >= 0)
                {
                    longest = i + 1;
                }
            }
            if (longest > 0)
            {
                found = true;
                return longest;
            }
        }
        found = false;
        return Math.Min(text.Length, Utf8Rules.OneCharLen(text[0]));
    }

    /// <summary><c>character::Model::Encode</c>: one piece per character (user-defined symbols whole).</summary>
    private void EncodeChar(ReadOnlySpan<byte> normalized, List<int> ids)
    {
        bool prevUnk = false;
        while (!normalized.IsEmpty)
        {
            int len = PrefixMatchUserDefined(normalized, out _);
            var w = normalized[..len];
            Emit(w, PieceToId(w), ref prevUnk, ids);
            normalized = normalized[len..];
        }
    }

    /// <summary><c>word::Model::Encode</c>: one piece per whitespace-delimited word (<c>SplitIntoWords</c>).</summary>
    private void EncodeWord(ReadOnlySpan<byte> text, List<int> ids)
    {
        ReadOnlySpan<byte> ws = "\u2581"u8;
        bool prevUnk = false;
        bool inWsSequence = false;
        int begin = 0;
        int wordStart = -1;
        if (_treatWhitespaceAsSuffix)
        {
            wordStart = 0;
            while (begin < text.Length)
            {
                int mblen = Math.Min(Utf8Rules.OneCharLen(text[begin]), text.Length - begin);
                bool isWs = text.Slice(begin, mblen).SequenceEqual(ws);
                if (isWs)
                {
                    inWsSequence = true;
                }
                else if (inWsSequence)
                {
                    if (_allowWhitespaceOnlyPieces)
                    {
                        Word(wordStart, begin, text, ref prevUnk, ids);
                        wordStart = begin;
                    }
                    inWsSequence = false;
                }
                begin += mblen;
                if (begin < text.Length && isWs && !_allowWhitespaceOnlyPieces)
                {
                    Word(wordStart, begin, text, ref prevUnk, ids);
                    wordStart = begin;
                }
            }
            Word(wordStart, text.Length, text, ref prevUnk, ids);
            return;
        }
        while (begin < text.Length)
        {
            int mblen = Math.Min(Utf8Rules.OneCharLen(text[begin]), text.Length - begin);
            bool isWs = text.Slice(begin, mblen).SequenceEqual(ws);
            if (begin == 0 || (isWs && (!inWsSequence || !_allowWhitespaceOnlyPieces)))
            {
                if (wordStart >= 0)
                {
                    Word(wordStart, begin, text, ref prevUnk, ids);
                }
                wordStart = begin;
                inWsSequence = true;
            }
            if (inWsSequence && !isWs)
            {
                inWsSequence = false;
            }
            begin += mblen;
        }
        if (wordStart >= 0)
        {
            Word(wordStart, text.Length, text, ref prevUnk, ids);
        }
    }

    private void Word(int from, int to, ReadOnlySpan<byte> text, ref bool prevUnk, List<int> ids)
    {
        var w = text[from..to];
        Emit(w, PieceToId(w), ref prevUnk, ids);
    }

    /// <summary>
    /// Text of <paramref name="ids"/>, as <c>SentencePieceProcessor::Decode</c> gives it: control
    /// pieces vanish, unknown ones read as the model's unk_surface, runs of byte pieces are decoded
    /// as UTF-8 (a malformed byte as U+FFFD), U+2581 becomes a space, and the dummy prefix space is
    /// dropped. (A model's denormalizer rules, which few models carry, are not applied.)
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new List<byte>();
        var bytes = new List<byte>();
        bool first = true;
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)_pieces.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id out of range (the model has {_pieces.Length} pieces)");
            }
            var kind = (SentencePieceType)_kinds[id];
            if (kind == SentencePieceType.Byte)
            {
                bytes.Add((byte)PieceToByte(_pieces[id].Piece));
                continue;
            }
            FlushBytes(bytes, text, ref first);
            switch (kind)
            {
                case SentencePieceType.Control:
                    break;
                case SentencePieceType.Unknown:
                    text.AddRange(_unkSurface);
                    first = false;
                    break;
                default:
                    ReadOnlySpan<byte> piece = _pieces[id].Piece;
                    if (first && !_treatWhitespaceAsSuffix && (_addDummyPrefix || _removeExtraWhitespaces) && piece.StartsWith("\u2581"u8))
                    {
                        piece = piece[3..];
                    }
                    AppendUnescaped(piece, text);
                    first = false;
                    break;
            }
        }
        FlushBytes(bytes, text, ref first);
        if (_treatWhitespaceAsSuffix && _addDummyPrefix && text.Count > 0 && text[^1] == (byte)' ')
        {
            text.RemoveAt(text.Count - 1);
        }
        return Encoding.UTF8.GetString(text.ToArray());

        static void FlushBytes(List<byte> bytes, List<byte> text, ref bool first)
        {
            if (bytes.Count == 0)
            {
                return;
            }
            var span = bytes.ToArray().AsSpan();
            while (!span.IsEmpty)
            {
                if (Utf8Rules.IsValidDecode(span, out int length))
                {
                    text.AddRange(span[..length]);
                }
                else
                {
                    text.AddRange("\uFFFD"u8);
                }
                span = span[length..];
            }
            bytes.Clear();
            first = false;
        }

        static void AppendUnescaped(ReadOnlySpan<byte> piece, List<byte> text)
        {
            while (!piece.IsEmpty)
            {
                if (piece.StartsWith("\u2581"u8))
                {
                    text.Add((byte)' ');
                    piece = piece[3..];
                }
                else
                {
                    text.Add(piece[0]);
                    piece = piece[1..];
                }
            }
        }
    }

    private static string ByteToPiece(int b) => "<0x" + b.ToString("X2", CultureInfo.InvariantCulture) + ">";

    /// <summary><c>PieceToByte</c>: 0-255 for exactly "&lt;0xXX&gt;" with upper-case hex digits, else -1.</summary>
    private static int PieceToByte(ReadOnlySpan<byte> piece)
    {
        if (piece.Length != 6 || !piece.StartsWith("<0x"u8) || piece[5] != (byte)'>')
        {
            return -1;
        }
        int hi = Hex(piece[3]), lo = Hex(piece[4]);
        return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;

        static int Hex(byte c) => c switch
        {
            >= (byte)'0' and <= (byte)'9' => c - '0',
            >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
            _ => -1,
        };
    }

    private readonly record struct BpePair(float Score, int Left, int Right, int Size, int Node);

    /// <summary>A binary max-heap in upstream's order: higher score first, then lower left index.</summary>
    private sealed class PairHeap
    {
        private BpePair[] _items = new BpePair[256];

        public int Count { get; private set; }

        public void Clear() => Count = 0;

        private static bool Before(in BpePair a, in BpePair b) => a.Score > b.Score || (a.Score == b.Score && a.Left < b.Left);

        public void Push(BpePair item)
        {
            if (Count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }
            int i = Count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Before(item, _items[parent]))
                {
                    break;
                }
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = item;
        }

        public BpePair Pop()
        {
            var top = _items[0];
            var last = _items[--Count];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= Count)
                {
                    break;
                }
                if (child + 1 < Count && Before(_items[child + 1], _items[child]))
                {
                    child++;
                }
                if (!Before(_items[child], last))
                {
                    break;
                }
                _items[i] = _items[child];
                i = child;
            }
            if (Count > 0)
            {
                _items[i] = last;
            }
            return top;
        }
    }

    /// <summary>Per-thread work buffers, grown to the longest document seen.</summary>
    private sealed class Scratch
    {
        public byte[] Utf8 = new byte[4096];
        public byte[] Normalized = new byte[4096];
        public float[] BestScore = [];
        public int[] StartsAt = [];
        public int[] BestId = [];
        public int[] Path = [];
        public int[] SymStart = [];
        public int[] SymLen = [];
        public int[] Prev = [];
        public int[] Next = [];
        public int[] SymNode = [];
        public bool[] Freeze = [];
        public readonly PairHeap Heap = new();

        public void EnsureLattice(int n)
        {
            if (BestScore.Length < n)
            {
                int size = Math.Max(n, BestScore.Length * 2);
                BestScore = new float[size];
                StartsAt = new int[size];
                BestId = new int[size];
                Path = new int[size];
            }
        }

        public void EnsureSymbols(int n)
        {
            if (SymStart.Length < n)
            {
                int size = Math.Max(n, SymStart.Length * 2);
                SymStart = new int[size];
                SymLen = new int[size];
                Prev = new int[size];
                Next = new int[size];
                SymNode = new int[size];
                Freeze = new bool[size];
            }
        }
    }
}
