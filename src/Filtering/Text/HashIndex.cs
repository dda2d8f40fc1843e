using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace DataPipeline.Filtering.Text;

/// <summary>Equality of two keys of a <see cref="HashIndex"/> (a struct, so the check is inlined).</summary>
internal interface IKeyEquality
{
    bool Equals(int storedKey, int key);
}

/// <summary>
/// An open-addressing set of integer keys (indices into something the caller owns: a line's
/// start, an n-gram's first word) under 64-bit hashes of their content, with an integer value
/// per entry. Entries are numbered in insertion order. Equal hashes are confirmed with the
/// caller's equality, so a hash collision costs time, never a wrong answer. Reused from document
/// to document without allocating.
/// </summary>
internal sealed class HashIndex
{
    private ulong[] _slotHashes = [];
    private int[] _slotEntries = [];
    private int[] _keys = [];
    private int[] _values = [];
    private ulong[] _entryHashes = [];
    private int _count;
    private int _mask;
    private int _shift;

    public int Count => _count;

    /// <summary>Empties the index, sized for about <paramref name="expected"/> entries (it grows past that).</summary>
    public void Reset(int expected)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, expected * 2));
        // Keep buffers between documents, but not a huge one after a huge document.
        if (_slotEntries.Length < size || (_slotEntries.Length > 1 << 20 && _slotEntries.Length > size * 4))
        {
            _slotHashes = new ulong[size];
            _slotEntries = new int[size];
        }
        else
        {
            Array.Clear(_slotEntries, 0, size);
        }
        if (_keys.Length < size / 2 || (_keys.Length > 1 << 20 && _keys.Length > size * 2))
        {
            _keys = new int[size / 2];
            _values = new int[size / 2];
            _entryHashes = new ulong[size / 2];
        }
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
        _count = 0;
    }

    public int KeyAt(int entry) => _keys[entry];

    public ref int ValueAt(int entry) => ref _values[entry];

    /// <summary>The entry holding a key equal to <paramref name="key"/>, or a new entry for it (value 0).</summary>
    public int FindOrAdd<TEq>(ulong hash, int key, ref TEq equality, out bool added)
        where TEq : struct, IKeyEquality
    {
        int slot = (int)((hash * 0x9E3779B97F4A7C15UL) >> _shift);
        while (true)
        {
            int e = _slotEntries[slot];
            if (e == 0)
            {
                break;
            }
            if (_slotHashes[slot] == hash && equality.Equals(_keys[e - 1], key))
            {
                added = false;
                return e - 1;
            }
            slot = (slot + 1) & _mask;
        }
        added = true;
        int entry = _count++;
        if (entry == _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _values, _keys.Length);
            Array.Resize(ref _entryHashes, _keys.Length);
        }
        _keys[entry] = key;
        _values[entry] = 0;
        _entryHashes[entry] = hash;
        _slotEntries[slot] = entry + 1;
        _slotHashes[slot] = hash;
        if (_count * 2 > _mask + 1)
        {
            Grow();
        }
        return entry;
    }

    private void Grow()
    {
        int size = (_mask + 1) * 2;
        if (_slotEntries.Length < size)
        {
            _slotHashes = new ulong[size];
            _slotEntries = new int[size];
        }
        else
        {
            Array.Clear(_slotEntries, 0, size);
        }
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
        for (int e = 0; e < _count; e++)
        {
            ulong hash = _entryHashes[e];
            int slot = (int)((hash * 0x9E3779B97F4A7C15UL) >> _shift);
            while (_slotEntries[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }
            _slotEntries[slot] = e + 1;
            _slotHashes[slot] = hash;
        }
    }
}

/// <summary>A fast 64-bit hash of characters (8 bytes a step), for <see cref="HashIndex"/> keys.</summary>
internal static class TextHash
{
    private const ulong K1 = 0x9E3779B97F4A7C15UL;
    private const ulong K2 = 0xC2B2AE3D27D4EB4FUL;

    public static ulong Of(ReadOnlySpan<char> text)
    {
        var bytes = MemoryMarshal.AsBytes(text);
        ulong h = (ulong)bytes.Length * K2;
        while (bytes.Length >= 8)
        {
            h = BitOperations.RotateLeft((h ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * K1, 31);
            bytes = bytes[8..];
        }
        if (bytes.Length > 0)
        {
            ulong tail = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }
            h = BitOperations.RotateLeft((h ^ tail) * K1, 31);
        }
        h ^= h >> 33;
        h *= K2;
        h ^= h >> 29;
        return h;
    }
}
