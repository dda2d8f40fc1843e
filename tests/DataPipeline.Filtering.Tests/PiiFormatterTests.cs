using DataPipeline.Core.Documents;
using DataPipeline.Core.Stats;
using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Steps;

namespace DataPipeline.Filtering.Tests;

/// <summary>
/// The PII step on datatrove's own test inputs and expected outputs
/// (tests/pipeline/filters/test_pii_removal.py at datatrove HEAD: PIIFormatter(email_replacement="EMAIL", ip_replacement="IP")).
/// </summary>
public sealed class PiiFormatterTests
{
    private const string IpInput = """
        It correctly doesn't match this invalid ips:
        999.999.999.999.
        108.0.0.01
        0.1.2.3
        00.0000.00.00
        192.168.l.1
        912.456.123.123
        .3.3.3.0
        192.168.o.0

        It doesn't match local IPs:

        172.16.0.9
        172.16.4.1
        172.17.1.1
        127.0.0.2
        10.0.1.5
        10.0.0.1
        10.155.155.155
        10.255.255.254
        172.16.0.4
        172.16.0.1
        172.17.1.1
        172.31.254.254
        192.168.1.2
        192.168.254.0

        valid ips:
        163.36.107.25
        114.35.103.54
        57.120.21.121
        13.83.69.70
        29.116.31.158
        193.163.229.23
        211.160.67.46
        4.132.211.142
        214.70.227.4
        35.88.121.75
        """;

    private const string IpOutput = """
        It correctly doesn't match this invalid ips:
        999.999.999.999.
        108.0.0.01
        0.1.2.3
        00.0000.00.00
        192.168.l.1
        912.456.123.123
        .IP
        192.168.o.0

        It doesn't match local IPs:

        172.16.0.9
        172.16.4.1
        172.17.1.1
        127.0.0.2
        10.0.1.5
        10.0.0.1
        10.155.155.155
        10.255.255.254
        172.16.0.4
        172.16.0.1
        172.17.1.1
        172.31.254.254
        192.168.1.2
        192.168.254.0

        valid ips:
        IP
        IP
        IP
        IP
        IP
        IP
        IP
        IP
        IP
        IP
        """;

    private const string EmailInput = """
        Use: for testing against email regex
        ref: http://codefool.tumblr.com/post/15288874550/list-of-valid-and-invalid-email-addresses


        List of Valid Email Addresses

        email@example.com
        firstname.lastname@example.com
        email@subdomain.example.com
        firstname+lastname@example.com
        email@123.123.123.123
        email@[123.123.123.123]
        "email"@example.com
        1234567890@example.com
        email@example-one.com
        _______@example.com
        email@example.name
        email@example.museum
        email@example.co.jp
        firstname-lastname@example.com
        NAME@MYSITE.COM



        List of Strange Valid Email Addresses

        much.”more\ unusual”@example.com
        very.unusual.”@”.unusual.com@example.com
        very.”(),:;<>[]”.VERY.”very@\ "very”.unusual@strange.example.com



        List of Invalid Email Addresses

        plainaddress
        #@%^%#$@#$@#.com
        @example.com
        Joe Smith <email@example.com>
        email.example.com
        email@example@example.com
        .email@example.com
        email.@example.com
        email..email@example.com
        あいうえお@example.com
        email@example.com (Joe Smith)
        email@example
        email@-example.com
        email@example.web
        email@111.222.333.44444
        email@example..com
        Abc..123@example.com



        List of Strange Invalid Email Addresses

        ”(),:;<>[\]@example.com
        just”not”right@example.com
        this\ is"really"not\allowed@example.com
        """;

    private const string EmailOutput = """
        Use: for testing against email regex
        ref: http://codefool.tumblr.com/post/15288874550/list-of-valid-and-invalid-email-addresses


        List of Valid Email Addresses

        EMAIL
        EMAIL
        EMAIL
        EMAIL
        EMAIL
        EMAIL
        "email"@example.com
        EMAIL
        EMAIL
        EMAIL
        EMAIL
        EMAIL
        EMAIL
        EMAIL
        EMAIL



        List of Strange Valid Email Addresses

        much.”more\ unusual”@example.com
        very.unusual.”@”.EMAIL
        very.”(),:;<>[]”.VERY.”very@\ "very”.EMAIL



        List of Invalid Email Addresses

        plainaddress
        #@%^%#$@#$@#.com
        @example.com
        Joe Smith <EMAIL>
        email.example.com
        email@EMAIL
        .EMAIL
        email.@example.com
        email..EMAIL
        あいうえお@example.com
        EMAIL (Joe Smith)
        email@example
        email@-example.com
        EMAIL
        EMAIL
        email@example..com
        Abc..EMAIL



        List of Strange Invalid Email Addresses

        ”(),:;<>[\]@example.com
        just”not”EMAIL
        this\ is"really"not\EMAIL
        """;

    private static PiiFormatter Upstream() => new(new PiiOptions { EmailReplacement = ["EMAIL"], IpReplacement = ["IP"] });

    [Fact]
    public void Ips_as_datatrove_tests_them() => Assert.Equal(IpOutput, Upstream().Format(IpInput, out _, out _));

    [Fact]
    public void Emails_as_datatrove_tests_them() => Assert.Equal(EmailOutput, Upstream().Format(EmailInput, out _, out _));

    [Fact]
    public void Replacements_are_used_in_turn_across_documents()
    {
        var pii = new PiiFormatter(new PiiOptions());
        var a = new Document("a", "write to a@b.org or c@d.org", new DocumentOrigin("x", 1, OriginKind.Line));
        var b = new Document("b", "then e@f.org, from 8.8.8.8 and 10.0.0.1 and 1.1.1.1", new DocumentOrigin("x", 2, OriginKind.Line));
        var stats = new StepStats();
        var output = pii.Run([a, b], new StepContext(0, 1, stats, null, CancellationToken.None)).ToList();
        Assert.Equal(2, output.Count);
        Assert.Equal("write to email@example.com or firstname.lastname@example.org", a.Text);
        Assert.Equal("then email@example.com, from 22.214.171.124 and 10.0.0.1 and 126.96.36.199", b.Text);
        Assert.Equal(3, stats.Counters!["emails_replaced"]);
        Assert.Equal(2, stats.Counters["ips_replaced"]);
    }

    [Fact]
    public void Options_switch_parts_off_and_private_ips_can_go_too()
    {
        var keepEmails = new PiiFormatter(new PiiOptions { RemoveEmails = false, IpReplacement = ["IP"] });
        Assert.Equal("a@b.org IP", keepEmails.Format("a@b.org 8.8.4.4", out _, out _));
        var allIps = new PiiFormatter(new PiiOptions { OnlyRemovePublicIps = false, IpReplacement = ["IP"], RemoveEmails = false });
        Assert.Equal("IP IP 01.2.3.4", allIps.Format("192.168.1.1 127.0.0.1 01.2.3.4", out _, out _));
    }

    [Theory]
    [InlineData("100.64.0.1", false)]
    [InlineData("100.128.0.1", true)]
    [InlineData("192.0.0.9", true)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.0.0.171", false)]
    [InlineData("224.0.0.1", true)]
    [InlineData("255.255.255.255", false)]
    [InlineData("198.19.255.255", false)]
    [InlineData("198.20.0.0", true)]
    public void Global_addresses_follow_cpython(string ip, bool global)
    {
        Assert.True(PiiFormatter.TryParseIpv4(ip, out uint address));
        Assert.Equal(global, PiiFormatter.IsGlobal(address));
    }

    [Fact]
    public void Unchanged_documents_keep_their_utf8_text()
    {
        var doc = new Document("a", "no addresses here, just text."u8.ToArray(), new DocumentOrigin("x", 1, OriginKind.Line));
        Assert.False(Upstream().Apply(doc));
        Assert.True(doc.TryGetUtf8(out _));
    }
}
