using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Tokenize.Packing;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Steps;

/// <summary>The settings of a tokenize step, as a pipeline file or the tokenize verb gives them.</summary>
public sealed record TokenizeSettings
{
    public required TokenizerSpec Tokenizer { get; init; }

    public int SequenceLength { get; init; } = 2048;

    public PackingMode Packing { get; init; } = PackingMode.Concat;

    public int? PadId { get; init; }

    public LongDocuments? LongDocuments { get; init; }

    public bool KeepRemainder { get; init; }

    /// <summary>mds (llm-foundry's convention: a <c>tokens</c> column of L int32 ids per sample) or megatron (one sequence per document).</summary>
    public string Format { get; init; } = "mds";

    /// <summary>MDS shard compression as upstream names it (zstd, zstd:N, br, gz) or null for none.</summary>
    public string? Compression { get; init; } = "zstd";

    /// <summary>MDS shard size limit in bytes (upstream's size_limit).</summary>
    public long? ShardSize { get; init; } = 1L << 26;

    public IReadOnlyList<string> Hashes { get; init; } = [];

    /// <summary>
    /// Read (and run the stage's earlier steps) on a second thread, a few batches of documents
    /// ahead, so that reading and parsing overlap tokenization instead of adding to it.
    /// </summary>
    public bool ReadAhead { get; init; } = true;

    public static readonly string[] Formats = ["mds", "megatron"];

    /// <summary>Reads the settings of a <c>tokenize</c> step; relative file paths are taken from <paramref name="baseDirectory"/>.</summary>
    public static TokenizeSettings From(StepParameters p, string baseDirectory)
    {
        string format = p.GetString("format", "mds");
        if (!Formats.Contains(format))
        {
            throw new DataPipelineException($"step 'tokenize': format must be mds or megatron, not '{format}'");
        }
        bool megatron = format == "megatron";
        var tokenizerName = p.GetStringOrNull("tokenizer") ?? throw new DataPipelineException("step 'tokenize': 'tokenizer' is required (a bundled encoding such as cl100k_base, or a tokenizer file)");
        var spec = TokenizerSpecs.Parse(tokenizerName, p.GetStringOrNull("kind") ?? "auto", p.GetStringOrNull("pattern"), p.GetStringOrNull("merges"), baseDirectory) with
        {
            AddBos = p.GetBool("add_bos", false),
            // Megatron's preprocess_data appends the end-of-document id only with --append-eod.
            AddEos = megatron ? p.GetBool("append_eod", false) : p.GetBool("add_eos", true),
            Bos = p.GetStringOrNull("bos") is { } bos ? SpecialTokenRef.Parse(bos) : null,
            Eos = p.GetStringOrNull("eos") is { } eos ? SpecialTokenRef.Parse(eos) : null,
        };
        string packing = p.GetString("packing", megatron ? "none" : "concat");
        var mode = packing switch
        {
            "concat" => PackingMode.Concat,
            "bestfit" => PackingMode.BestFit,
            "none" => PackingMode.None,
            _ => throw new DataPipelineException($"step 'tokenize': packing must be concat, bestfit or none, not '{packing}'"),
        };
        if (megatron && mode != PackingMode.None)
        {
            throw new DataPipelineException("step 'tokenize': format megatron stores one sequence per document (Megatron packs at training time); leave packing out");
        }
        bool keepRemainder = p.GetBool("keep_remainder", false);
        if (!megatron && (mode != PackingMode.Concat || keepRemainder) && !p.Has("pad_id"))
        {
            throw new DataPipelineException($"step 'tokenize': packing {packing}{(keepRemainder ? " with keep_remainder" : "")} pads samples; give pad_id (no id is safe to pad with by default)");
        }
        string? longDocs = p.GetStringOrNull("long_documents");
        string compression = p.GetString("compression", megatron ? "none" : "zstd");
        return new TokenizeSettings
        {
            Tokenizer = spec,
            Format = format,
            SequenceLength = p.GetInt("seq_len", 2048),
            Packing = mode,
            PadId = p.Has("pad_id") ? p.GetInt("pad_id", 0) : null,
            LongDocuments = longDocs switch
            {
                null => null,
                "truncate" => DataPipeline.Tokenize.Packing.LongDocuments.Truncate,
                "split" => DataPipeline.Tokenize.Packing.LongDocuments.Split,
                _ => throw new DataPipelineException($"step 'tokenize': long_documents must be truncate or split, not '{longDocs}'"),
            },
            KeepRemainder = keepRemainder,
            Compression = compression is "none" or "" ? null : compression,
            ShardSize = Mds.MdsSizeLimit.Parse(p.GetString("shard_size", "67108864")),
            Hashes = p.GetStringList("hashes", []),
            ReadAhead = p.GetBool("read_ahead", true),
        };
    }
}

/// <summary>Turns a tokenizer setting (a bundled name or a file) into a <see cref="TokenizerSpec"/>.</summary>
public static class TokenizerSpecs
{
    /// <param name="value">cl100k_base, o200k_base, r50k_base, gpt2; or a .tiktoken / Llama-3 tokenizer.model file; a SentencePiece .model; a vocab.json (with merges); or a folder holding vocab.json and merges.txt.</param>
    /// <param name="kind">auto (tell by the name and the file's first bytes), tiktoken, sentencepiece or bpe.</param>
    /// <param name="pattern">Pre-tokenizer regex or preset name for tiktoken and BPE files.</param>
    /// <param name="merges">merges.txt for a vocab.json (default: beside it).</param>
    /// <param name="baseDirectory">Folder relative paths are taken from.</param>
    public static TokenizerSpec Parse(string value, string kind, string? pattern, string? merges, string baseDirectory)
    {
        if (kind == "auto" && TokenizerSpec.BundledEncodings.Contains(value, StringComparer.Ordinal))
        {
            return TokenizerSpec.Named(value);
        }
        string path = Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(baseDirectory, value));
        if (Directory.Exists(path) && (kind is "auto" or "bpe"))
        {
            return TokenizerSpec.Bpe(Path.Combine(path, "vocab.json"), Path.Combine(path, "merges.txt"), pattern);
        }
        if (!File.Exists(path))
        {
            throw new DataPipelineException(
                $"tokenizer '{value}': not a bundled encoding ({string.Join(", ", TokenizerSpec.BundledEncodings)}) and no such file: {path}");
        }
        kind = kind != "auto" ? kind : Detect(path);
        return kind switch
        {
            "tiktoken" => TokenizerSpec.Tiktoken(path, pattern),
            "sentencepiece" => TokenizerSpec.SentencePieceModel(path),
            "bpe" => TokenizerSpec.Bpe(path, merges is null ? Path.Combine(Path.GetDirectoryName(path)!, "merges.txt") : Path.GetFullPath(Path.Combine(baseDirectory, merges)), pattern),
            _ => throw new DataPipelineException($"tokenizer kind must be auto, tiktoken, sentencepiece or bpe, not '{kind}'"),
        };
    }

    /// <summary>tiktoken files are text lines "base64 rank"; SentencePiece models are protobuf; vocab.json is JSON.</summary>
    private static string Detect(string path)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return "bpe";
        }
        using var f = File.OpenRead(path);
        var head = new byte[256];
        int n = f.Read(head);
        var line = System.Text.Encoding.ASCII.GetString(head, 0, n).Split('\n')[0];
        var parts = line.Split(' ');
        return parts.Length == 2 && int.TryParse(parts[1], out _) ? "tiktoken" : "sentencepiece";
    }
}
