using System.IO.Hashing;
using System.Security.Cryptography;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// The shard digests MDS can record (<c>streaming/base/hashing.py</c>): lowercase hex, the xxh family
/// in canonical big-endian form, which is also the byte order System.IO.Hashing emits.
/// </summary>
public static class MdsHashes
{
    /// <summary>Every name upstream accepts; <see cref="IsSupported"/> says which .NET can compute.</summary>
    public static readonly IReadOnlyList<string> UpstreamNames =
    [
        "blake2b", "blake2s", "md5", "sha1", "sha224", "sha256", "sha384", "sha512",
        "sha3_224", "sha3_256", "sha3_384", "sha3_512", "xxh128", "xxh32", "xxh3_128", "xxh3_64", "xxh64",
    ];

    public static bool IsKnown(string name) => UpstreamNames.Contains(name);

    /// <summary>blake2*, sha224 and sha3_224 have no .NET implementation; SHA-3 depends on the OS crypto library.</summary>
    public static bool IsSupported(string name) => name switch
    {
        "md5" or "sha1" or "sha256" or "sha384" or "sha512" => true,
        "sha3_256" => SHA3_256.IsSupported,
        "sha3_384" => SHA3_384.IsSupported,
        "sha3_512" => SHA3_512.IsSupported,
        "xxh32" or "xxh64" or "xxh3_64" or "xxh128" or "xxh3_128" => true,
        _ => false,
    };

    /// <summary>Throws unless every name is known, computable here, and the list is sorted as upstream requires.</summary>
    public static void Validate(IReadOnlyList<string> names)
    {
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (!IsKnown(name))
            {
                throw new ArgumentException($"Unknown MDS hash '{name}'; upstream accepts: {string.Join(", ", UpstreamNames)}.");
            }
            if (!IsSupported(name))
            {
                throw new NotSupportedException($"MDS hash '{name}' is valid upstream but has no implementation on this platform.");
            }
            if (i > 0 && CodePointComparer.Instance.Compare(names[i - 1], name) > 0)
            {
                throw new ArgumentException("MDS hashes must be listed in sorted order (upstream Writer refuses otherwise).");
            }
        }
    }

    /// <summary>The lowercase hex digest of <paramref name="data"/>.</summary>
    public static string Compute(string name, ReadOnlySpan<byte> data)
    {
        byte[] digest = name switch
        {
#pragma warning disable CA5350, CA5351 // integrity checksums upstream chose, not security: the format names them
            "md5" => MD5.HashData(data),
            "sha1" => SHA1.HashData(data),
#pragma warning restore CA5350, CA5351
            "sha256" => SHA256.HashData(data),
            "sha384" => SHA384.HashData(data),
            "sha512" => SHA512.HashData(data),
            "sha3_256" => SHA3_256.HashData(data),
            "sha3_384" => SHA3_384.HashData(data),
            "sha3_512" => SHA3_512.HashData(data),
            "xxh32" => XxHash32.Hash(data),
            "xxh64" => XxHash64.Hash(data),
            "xxh3_64" => XxHash3.Hash(data),
            // Python's xxhash.xxh128 is XXH3-128, the same function under its older name.
            "xxh128" or "xxh3_128" => XxHash128.Hash(data),
            _ => throw new NotSupportedException($"MDS hash '{name}' is not available here."),
        };
        return Convert.ToHexStringLower(digest);
    }
}
