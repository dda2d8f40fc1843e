using System.Buffers.Binary;
using System.Text;

namespace DataPipeline.Tokenize.Tokenizers.SentencePiece;

/// <summary>The type of a vocabulary entry (sentencepiece_model.proto, ModelProto.SentencePiece.Type).</summary>
public enum SentencePieceType
{
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}

/// <summary>The segmentation algorithm of a model (TrainerSpec.ModelType).</summary>
public enum SentencePieceModelType
{
    Unigram = 1,
    Bpe = 2,
    Word = 3,
    Char = 4,
}

/// <summary>One vocabulary entry: its UTF-8 text, score and type; its id is its position.</summary>
internal readonly record struct SentencePieceEntry(byte[] Piece, float Score, SentencePieceType Type);

/// <summary>
/// The fields of a SentencePiece <c>.model</c> file (a serialised <c>ModelProto</c>) that encoding
/// and decoding read, parsed straight off the protobuf wire format with the proto2 defaults of
/// sentencepiece_model.proto. Everything else (training options, self-test data) is skipped.
/// </summary>
internal sealed class SentencePieceModelFile
{
    public List<SentencePieceEntry> Pieces { get; } = [];

    // TrainerSpec
    public SentencePieceModelType ModelType { get; private set; } = SentencePieceModelType.Unigram;
    public bool TreatWhitespaceAsSuffix { get; private set; }
    public bool AllowWhitespaceOnlyPieces { get; private set; }
    public bool ByteFallback { get; private set; }
    public byte[] UnkSurface { get; private set; } = " \u2047 "u8.ToArray();
    public string UnkPiece { get; private set; } = "<unk>";
    public string BosPiece { get; private set; } = "<s>";
    public string EosPiece { get; private set; } = "</s>";
    public string PadPiece { get; private set; } = "<pad>";

    // NormalizerSpec
    public string NormalizerName { get; private set; } = "";
    public byte[] PrecompiledCharsMap { get; private set; } = [];
    public bool AddDummyPrefix { get; private set; } = true;
    public bool RemoveExtraWhitespaces { get; private set; } = true;
    public bool EscapeWhitespaces { get; private set; } = true;

    public static SentencePieceModelFile Parse(ReadOnlySpan<byte> data)
    {
        var model = new SentencePieceModelFile();
        var reader = new ProtoReader(data, "ModelProto");
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited:
                    model.Pieces.Add(ParsePiece(reader.ReadBytes(), model.Pieces.Count));
                    break;
                case 2 when wire == ProtoReader.LengthDelimited:
                    model.ParseTrainerSpec(reader.ReadBytes());
                    break;
                case 3 when wire == ProtoReader.LengthDelimited:
                    model.ParseNormalizerSpec(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return model;
    }

    private static SentencePieceEntry ParsePiece(ReadOnlySpan<byte> data, int index)
    {
        byte[] piece = [];
        float score = 0;
        var type = SentencePieceType.Normal;
        var reader = new ProtoReader(data, "SentencePiece");
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited:
                    piece = reader.ReadBytes().ToArray();
                    break;
                case 2 when wire == ProtoReader.Fixed32:
                    score = BitConverter.Int32BitsToSingle(reader.ReadFixed32());
                    break;
                case 3 when wire == ProtoReader.Varint:
                    long t = reader.ReadVarint();
                    if (t < 1 || t > 6)
                    {
                        throw new InvalidDataException($"piece {index} has unknown type {t}");
                    }
                    type = (SentencePieceType)t;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return new SentencePieceEntry(piece, score, type);
    }

    private void ParseTrainerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "TrainerSpec");
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 3 when wire == ProtoReader.Varint:
                    long type = reader.ReadVarint();
                    if (type < 1 || type > 4)
                    {
                        throw new InvalidDataException($"unknown model_type {type}");
                    }
                    ModelType = (SentencePieceModelType)type;
                    break;
                case 24 when wire == ProtoReader.Varint:
                    TreatWhitespaceAsSuffix = reader.ReadVarint() != 0;
                    break;
                case 26 when wire == ProtoReader.Varint:
                    AllowWhitespaceOnlyPieces = reader.ReadVarint() != 0;
                    break;
                case 35 when wire == ProtoReader.Varint:
                    ByteFallback = reader.ReadVarint() != 0;
                    break;
                case 44 when wire == ProtoReader.LengthDelimited:
                    UnkSurface = reader.ReadBytes().ToArray();
                    break;
                case 45 when wire == ProtoReader.LengthDelimited:
                    UnkPiece = OrDefault(reader.ReadBytes(), "<unk>");
                    break;
                case 46 when wire == ProtoReader.LengthDelimited:
                    BosPiece = OrDefault(reader.ReadBytes(), "<s>");
                    break;
                case 47 when wire == ProtoReader.LengthDelimited:
                    EosPiece = OrDefault(reader.ReadBytes(), "</s>");
                    break;
                case 48 when wire == ProtoReader.LengthDelimited:
                    PadPiece = OrDefault(reader.ReadBytes(), "<pad>");
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    // model_interface.cc: an empty *_piece field means the default piece.
    private static string OrDefault(ReadOnlySpan<byte> text, string fallback) => text.IsEmpty ? fallback : Encoding.UTF8.GetString(text);

    private void ParseNormalizerSpec(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data, "NormalizerSpec");
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtoReader.LengthDelimited:
                    NormalizerName = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                case 2 when wire == ProtoReader.LengthDelimited:
                    PrecompiledCharsMap = reader.ReadBytes().ToArray();
                    break;
                case 3 when wire == ProtoReader.Varint:
                    AddDummyPrefix = reader.ReadVarint() != 0;
                    break;
                case 4 when wire == ProtoReader.Varint:
                    RemoveExtraWhitespaces = reader.ReadVarint() != 0;
                    break;
                case 5 when wire == ProtoReader.Varint:
                    EscapeWhitespaces = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
    }

    /// <summary>A bounds-checked reader of protobuf wire format; malformed input is an <see cref="InvalidDataException"/>.</summary>
    private ref struct ProtoReader(ReadOnlySpan<byte> data, string message)
    {
        public const int Varint = 0;
        public const int Fixed64 = 1;
        public const int LengthDelimited = 2;
        public const int StartGroup = 3;
        public const int EndGroup = 4;
        public const int Fixed32 = 5;

        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public bool Next(out int field, out int wire)
        {
            if (_pos >= _data.Length)
            {
                field = wire = 0;
                return false;
            }
            long tag = ReadVarint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            if (field <= 0)
            {
                throw Broken($"field number {tag >> 3}");
            }
            return true;
        }

        public long ReadVarint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= _data.Length)
                {
                    throw Broken("truncated varint");
                }
                byte b = _data[_pos++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return (long)result;
                }
            }
            throw Broken("varint longer than 10 bytes");
        }

        public int ReadFixed32()
        {
            if (_data.Length - _pos < 4)
            {
                throw Broken("truncated fixed32");
            }
            int v = BinaryPrimitives.ReadInt32LittleEndian(_data[_pos..]);
            _pos += 4;
            return v;
        }

        public ReadOnlySpan<byte> ReadBytes()
        {
            long length = ReadVarint();
            if (length < 0 || length > _data.Length - _pos)
            {
                throw Broken($"length {length} runs past the end");
            }
            var bytes = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case Varint:
                    ReadVarint();
                    break;
                case Fixed64:
                    Advance(8);
                    break;
                case LengthDelimited:
                    ReadBytes();
                    break;
                case Fixed32:
                    Advance(4);
                    break;
                case StartGroup:
                    while (true)
                    {
                        if (!Next(out _, out int inner))
                        {
                            throw Broken("unterminated group");
                        }
                        if (inner == EndGroup)
                        {
                            return;
                        }
                        Skip(inner);
                    }
                default:
                    throw Broken($"wire type {wire}");
            }
        }

        private void Advance(int n)
        {
            if (_data.Length - _pos < n)
            {
                throw Broken("truncated field");
            }
            _pos += n;
        }

        private readonly InvalidDataException Broken(string what) =>
            new($"not a SentencePiece model: {message} at byte {_pos}: {what}");
    }
}
