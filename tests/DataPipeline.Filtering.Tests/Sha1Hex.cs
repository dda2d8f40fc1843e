using System.Security.Cryptography;
using System.Text;

namespace DataPipeline.Filtering.Tests;

/// <summary>sha1 hex of UTF-8 text: the checksum format the golden files use (not a security use).</summary>
internal static class Sha1Hex
{
#pragma warning disable CA5350 // the golden files record SHA-1; nothing here is about security
    public static string Of(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
}
