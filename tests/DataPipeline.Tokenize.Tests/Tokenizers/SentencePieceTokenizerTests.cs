using DataPipeline.Core.Errors;
using DataPipeline.Tokenize.Tokenizers;
using DataPipeline.Tokenize.Tokenizers.SentencePiece;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

/// <summary>
/// Our SentencePiece ids against spm_encode's, line by line and id for id, for models trained here
/// by spm_train on the sample corpus: the kinds a user brings (BPE as Llama 2 and Mistral, unigram
/// as T5 and most others), with byte fallback on and off, and the normalizer and whitespace options.
/// </summary>
public sealed class SentencePieceTokenizerTests(SentencePieceModels models) : IClassFixture<SentencePieceModels>
{
    /// <summary>The spm_train flags of each model compared.</summary>
    public static readonly TheoryData<string, string[]> Models = new()
    {
        // spm_train's defaults otherwise: nmt_nfkc normalization, dummy prefix, extra spaces removed.
        { "bpe", ["--model_type=bpe", "--vocab_size=2000"] },
        { "bpe_bytes", ["--model_type=bpe", "--vocab_size=2000", "--byte_fallback=true"] },
        { "unigram", ["--model_type=unigram", "--vocab_size=2000"] },
        { "unigram_bytes", ["--model_type=unigram", "--vocab_size=2000", "--byte_fallback=true"] },
        // Llama 2's settings: BPE, no normalization, digits split, unknown characters as bytes.
        { "llama2", ["--model_type=bpe", "--vocab_size=2000", "--normalization_rule_name=identity",
            "--byte_fallback=true", "--split_digits=true", "--character_coverage=0.9995", "--add_dummy_prefix=true",
            "--remove_extra_whitespaces=false", "--allow_whitespace_only_pieces=true"] },
        // The other whitespace and symbol options, and another charsmap.
        { "unigram_options", ["--model_type=unigram", "--vocab_size=1500", "--normalization_rule_name=nmt_nfkc_cf",
            "--user_defined_symbols=<sep>,http,==,ﬁ,HTTP", "--control_symbols=<cls>", "--treat_whitespace_as_suffix=true",
            "--remove_extra_whitespaces=false", "--add_dummy_prefix=false"] },
        { "bpe_options", ["--model_type=bpe", "--vocab_size=1500", "--normalization_rule_name=nfkc",
            "--user_defined_symbols=<sep>,http,==,ﬁ,HTTP", "--byte_fallback=true", "--add_dummy_prefix=false",
            "--character_coverage=0.98"] },
        { "char", ["--model_type=char", "--character_coverage=0.995"] },
        { "word", ["--model_type=word", "--vocab_size=3000"] },
    };

    [SentencePieceTheory]
    [MemberData(nameof(Models))]
    public void Every_line_matches_spm_encode_exactly(string name, string[] flags)
    {
        var (model, expected) = models.Get(name, flags);
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with { AddEos = false });
        Assert.Equal(models.TestLines.Count, expected.Count);
        int mismatches = 0;
        string examples = "";
        for (int i = 0; i < expected.Count; i++)
        {
            var ours = tokenizer.Encode(models.TestLines[i]);
            if (!ours.AsSpan().SequenceEqual(expected[i]))
            {
                mismatches++;
                if (mismatches <= 6)
                {
                    examples += $"\n  line {i} '{Escape(models.TestLines[i])}':\n    spm  [{string.Join(' ', expected[i])}]\n    ours [{string.Join(' ', ours)}]";
                }
            }
        }
        Assert.True(mismatches == 0, $"{name}: {mismatches} of {expected.Count} lines differ from spm_encode:{examples}");
    }

    /// <summary>Malformed UTF-8 (stray bytes, truncated, overlong and surrogate forms) as spm_encode reads it from a file.</summary>
    [SentencePieceTheory]
    [InlineData("bpe_bytes")]
    [InlineData("unigram")]
    [InlineData("llama2")]
    public void Malformed_utf8_matches_spm_encode(string name)
    {
        var flags = Models.Single(m => (string)m[0] == name)[1];
        var (model, _) = models.Get(name, (string[])flags);
        var processor = SentencePieceProcessor.Load(model);
        var lines = SentencePieceModels.MalformedLines;
        var expected = models.EncodeBytes(model, lines);
        for (int i = 0; i < lines.Length; i++)
        {
            var ours = new List<int>();
            processor.Encode(lines[i], ours);
            Assert.True(ours.SequenceEqual(expected[i]),
                $"line {i} [{Convert.ToHexString(lines[i])}]: spm [{string.Join(' ', expected[i])}], ours [{string.Join(' ', ours)}]");
        }
    }

    [SentencePieceFact]
    public void Utf8_and_string_input_give_the_same_ids()
    {
        var (model, _) = models.Get("bpe", "--model_type=bpe", "--vocab_size=2000");
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model));
        foreach (var line in models.TestLines.Take(300))
        {
            var fromUtf8 = new List<int>();
            tokenizer.Encode(System.Text.Encoding.UTF8.GetBytes(line), fromUtf8);
            Assert.Equal(tokenizer.Encode(line), fromUtf8);
        }
    }

    [SentencePieceFact]
    public void Decode_gives_back_the_normalized_text()
    {
        var (model, _) = models.Get("llama2", (string[])Models.Single(m => (string)m[0] == "llama2")[1]);
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with { AddBos = true });
        // Identity normalization and byte fallback: every line comes back as it was.
        foreach (var line in models.TestLines.Take(500).Where(l => !l.Contains('\0')))
        {
            Assert.Equal(line, tokenizer.Decode(tokenizer.Encode(line)));
        }
    }

    [SentencePieceFact]
    public void Bos_and_eos_come_from_the_model_and_frame_each_document()
    {
        var (model, _) = models.Get("bpe", "--model_type=bpe", "--vocab_size=2000");
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with { AddBos = true });
        // spm_train's defaults: unk 0, bos 1, eos 2.
        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal(2000, tokenizer.VocabularySize);
        var ids = tokenizer.Encode("Standards-Version: 4.6.0");
        Assert.Equal(1, ids[0]);
        Assert.Equal(2, ids[^1]);
        Assert.Equal(tokenizer.EncodeText("Standards-Version: 4.6.0"), ids[1..^1]);
    }

    [SentencePieceFact]
    public void Eos_named_by_text_resolves_through_the_vocabulary()
    {
        var (model, _) = models.Get("bpe", "--model_type=bpe", "--vocab_size=2000");
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with { Eos = SpecialTokenRef.Parse("</s>"), Bos = SpecialTokenRef.Parse("0") });
        Assert.Equal(2, tokenizer.EosId);
        Assert.Equal(0, tokenizer.BosId);
        Assert.Throws<DataPipelineException>(() =>
            TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with { Eos = SpecialTokenRef.Parse("<no such piece>") }));
    }

    [SentencePieceFact]
    public void Special_tokens_given_are_cut_out_of_the_text_whole()
    {
        var (model, _) = models.Get("bpe", "--model_type=bpe", "--vocab_size=2000");
        var plain = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with { AddEos = false });
        var tokenizer = TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(model) with
        {
            AddEos = false,
            SpecialTokens = new Dictionary<string, int> { ["<|sep|>"] = 2000 },
        });
        Assert.Equal([.. plain.Encode("left side"), 2000, .. plain.Encode("right")], tokenizer.Encode("left side<|sep|>right"));
        Assert.Equal(2001, tokenizer.VocabularySize);
    }

    [Fact]
    public void A_file_that_is_not_a_model_is_a_clear_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.model"), "this is not a protobuf: \xff\xff\xff");
        var e = Assert.Throws<DataPipelineException>(() => TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(dir.File("bad.model"))));
        Assert.Contains("bad.model", e.Message);
        File.WriteAllBytes(dir.File("empty.model"), []);
        e = Assert.Throws<DataPipelineException>(() => TokenizerFactory.Create(TokenizerSpec.SentencePieceModel(dir.File("empty.model"))));
        Assert.Contains("unk is not defined", e.Message);
    }

    private static string Escape(string s) => s.Replace("\t", "\\t").Replace("\0", "\\0");
}
