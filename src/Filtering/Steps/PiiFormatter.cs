using System.Text;
using System.Text.RegularExpressions;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;

namespace DataPipeline.Filtering.Steps;

/// <summary>PIIFormatter's settings, upstream (datatrove HEAD) defaults.</summary>
public sealed record PiiOptions
{
    public bool RemoveEmails { get; init; } = true;

    public bool RemoveIps { get; init; } = true;

    /// <summary>Replace only globally reachable addresses (Python's <c>ipaddress ... .is_global</c>).</summary>
    public bool OnlyRemovePublicIps { get; init; } = true;

    /// <summary>Used in turn, one per replaced address (the turn carries over from document to document, as upstream's replacer keeps it).</summary>
    public IReadOnlyList<string> EmailReplacement { get; init; } = ["email@example.com", "firstname.lastname@example.org"];

    public IReadOnlyList<string> IpReplacement { get; init; } =
        ["22.214.171.124", "126.96.36.199", "188.8.131.52", "184.108.40.206", "220.127.116.11", "18.104.22.168"];
}

/// <summary>
/// datatrove's PIIFormatter (formatters/pii.py at HEAD): e-mail addresses, then IPv4 addresses, are
/// replaced by the configured strings, with upstream's regular expressions. An IP match is replaced
/// only when Python's <c>ipaddress.ip_address</c> accepts it (no octet with a leading zero) and,
/// with only_remove_public_ips, when it is global by CPython 3.13's tables. Never removes a document.
/// <para>
/// Python's <c>\b</c> (word = Unicode letters, digits, numerics and <c>_</c>) is spelled out, since
/// .NET's <c>\b</c> counts other characters as word characters. The regex runs on UTF-16, so a
/// letter outside the Basic Multilingual Plane next to an address does not count as a word
/// character here as it would in Python (a boundary case only).
/// </para>
/// </summary>
public sealed class PiiFormatter(PiiOptions options) : IPipelineStep
{
    private const string Word = @"[\p{L}\p{N}_]";
    private const string PyBoundary = "(?:(?<=" + Word + ")(?!" + Word + ")|(?<!" + Word + ")(?=" + Word + "))";
    private const string Local = @"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)";

    private static readonly Regex EmailRegex = new(
        PyBoundary + Local + "+(?:\\." + Local + "+)*@(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?|\\[(?:" + Octet +
        "\\.){3}(?:" + Octet + "|[A-Za-z0-9-]*[A-Za-z0-9]:)\\])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex IpRegex = new("(?:" + Octet + "\\.){3}" + Octet, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // The characters a match's local part is made of: an e-mail match starts within the run of these before an '@'.
    private static readonly System.Buffers.SearchValues<char> LocalChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+/=?^_`{|}~-.");

    private int _emailTurn;
    private int _ipTurn;

    public string Name => "pii";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        foreach (var document in documents)
        {
            Apply(document, context.Stats);
            yield return document;
        }
    }

    /// <summary>Formats one document's text in place; returns whether it changed.</summary>
    public bool Apply(Document document, Core.Stats.StepStats? stats = null)
    {
        bool hasAt = false, hasDot = false;
        if (document.TryGetUtf8(out var utf8))
        {
            hasAt = options.RemoveEmails && utf8.Span.Contains((byte)'@');
            hasDot = options.RemoveIps && utf8.Span.Contains((byte)'.');
        }
        else
        {
            hasAt = options.RemoveEmails && document.Text.Contains('@');
            hasDot = options.RemoveIps && document.Text.Contains('.');
        }
        if (!hasAt && !hasDot)
        {
            return false;
        }
        string text = document.Text;
        string result = Format(text, out int emails, out int ips);
        if (emails > 0)
        {
            stats?.Add("emails_replaced", emails);
        }
        if (ips > 0)
        {
            stats?.Add("ips_replaced", ips);
        }
        if (ReferenceEquals(result, text))
        {
            return false;
        }
        document.Text = result;
        return true;
    }

    /// <summary>format(text): e-mails first, then IPs, on the text the e-mail pass left.</summary>
    public string Format(string text, out int emailsReplaced, out int ipsReplaced)
    {
        emailsReplaced = 0;
        ipsReplaced = 0;
        if (options.RemoveEmails && text.Contains('@'))
        {
            text = ReplaceEmails(text, ref emailsReplaced);
        }
        if (options.RemoveIps && text.Contains('.'))
        {
            text = ReplaceIps(text, ref ipsReplaced);
        }
        return text;
    }

    private string ReplaceEmails(string text, ref int count)
    {
        StringBuilder? sb = null;
        int pos = 0;
        while (pos < text.Length)
        {
            int at = text.IndexOf('@', pos);
            if (at < 0)
            {
                break;
            }
            // No match can start before the run of local-part characters (and dots) that ends at this
            // '@' (its '@' would be this one, and everything between must be such characters), so the
            // search starts there; the result is re.sub's leftmost match from pos all the same.
            int start = at;
            while (start > pos && LocalChars.Contains(text[start - 1]))
            {
                start--;
            }
            var m = EmailRegex.Match(text, start);
            if (!m.Success)
            {
                break;
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, pos, m.Index - pos);
            sb.Append(options.EmailReplacement[_emailTurn]);
            _emailTurn = (_emailTurn + 1) % options.EmailReplacement.Count;
            count++;
            pos = m.Index + m.Length;
        }
        if (sb is null)
        {
            return text;
        }
        sb.Append(text, pos, text.Length - pos);
        return sb.ToString();
    }

    private string ReplaceIps(string text, ref int count)
    {
        StringBuilder? sb = null;
        int pos = 0;
        for (var m = IpRegex.Match(text); m.Success; m = m.NextMatch())
        {
            // The validator's "not a valid match" case replaces the match with itself and keeps the turn.
            if (!IsReplaceable(text.AsSpan(m.Index, m.Length)))
            {
                continue;
            }
            sb ??= new StringBuilder(text.Length);
            sb.Append(text, pos, m.Index - pos);
            sb.Append(options.IpReplacement[_ipTurn]);
            _ipTurn = (_ipTurn + 1) % options.IpReplacement.Count;
            count++;
            pos = m.Index + m.Length;
        }
        if (sb is null)
        {
            return text;
        }
        sb.Append(text, pos, text.Length - pos);
        return sb.ToString();
    }

    /// <summary>public_ip_validator: ip_address() parses it, and it is global unless every IP is to go.</summary>
    private bool IsReplaceable(ReadOnlySpan<char> dotted)
    {
        if (!TryParseIpv4(dotted, out uint ip))
        {
            return false;
        }
        return !options.OnlyRemovePublicIps || IsGlobal(ip);
    }

    /// <summary>IPv4Address parsing as Python 3.9.5+ does it: four decimal octets up to 255, no leading zeros.</summary>
    public static bool TryParseIpv4(ReadOnlySpan<char> s, out uint address)
    {
        address = 0;
        int octets = 0;
        foreach (var range in s.Split('.'))
        {
            var part = s[range];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }
            int v = 0;
            foreach (char c in part)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255)
            {
                return false;
            }
            address = (address << 8) | (uint)v;
            octets++;
        }
        return octets == 4;
    }

    private static readonly (uint Network, int Prefix)[] PrivateNetworks =
    [
        (Ip(0, 0, 0, 0), 8), (Ip(10, 0, 0, 0), 8), (Ip(127, 0, 0, 0), 8), (Ip(169, 254, 0, 0), 16),
        (Ip(172, 16, 0, 0), 12), (Ip(192, 0, 0, 0), 24), (Ip(192, 0, 0, 170), 31), (Ip(192, 0, 2, 0), 24),
        (Ip(192, 168, 0, 0), 16), (Ip(198, 18, 0, 0), 15), (Ip(198, 51, 100, 0), 24), (Ip(203, 0, 113, 0), 24),
        (Ip(240, 0, 0, 0), 4), (Ip(255, 255, 255, 255), 32),
    ];

    private static readonly (uint Network, int Prefix)[] PrivateExceptions = [(Ip(192, 0, 0, 9), 32), (Ip(192, 0, 0, 10), 32)];

    private static uint Ip(uint a, uint b, uint c, uint d) => (a << 24) | (b << 16) | (c << 8) | d;

    private static bool In(uint ip, (uint Network, int Prefix) net) =>
        net.Prefix == 0 || (ip >> (32 - net.Prefix)) == (net.Network >> (32 - net.Prefix));

    /// <summary>
    /// IPv4Address.is_global as CPython 3.13 (and 3.12.4+) defines it: not in 100.64.0.0/10 and not
    /// private (in the IANA special-purpose "not globally reachable" table, less 192.0.0.9 and .10).
    /// Multicast addresses count as global there, and so here.
    /// </summary>
    public static bool IsGlobal(uint ip)
    {
        if (In(ip, (Ip(100, 64, 0, 0), 10)))
        {
            return false;
        }
        bool isPrivate = PrivateNetworks.Any(n => In(ip, n)) && !PrivateExceptions.Any(n => In(ip, n));
        return !isPrivate;
    }

    public static void Register(StepRegistry registry) =>
        registry.Register("pii", "datatrove PIIFormatter: replaces e-mail addresses and public IP addresses with the configured strings (used in turn)", p =>
        {
            var d = new PiiOptions();
            var emails = p.GetStringList("email_replacement", d.EmailReplacement);
            var ips = p.GetStringList("ip_replacement", d.IpReplacement);
            if (emails.Count == 0 || ips.Count == 0)
            {
                throw new Core.Errors.DataPipelineException("step 'pii': email_replacement and ip_replacement need at least one string each");
            }
            return new PiiFormatter(new PiiOptions
            {
                RemoveEmails = p.GetBool("remove_emails", d.RemoveEmails),
                RemoveIps = p.GetBool("remove_ips", d.RemoveIps),
                OnlyRemovePublicIps = p.GetBool("only_remove_public_ips", d.OnlyRemovePublicIps),
                EmailReplacement = emails,
                IpReplacement = ips,
            });
        });
}
