using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Elb.Signing.Tests;

public class SdkSignatureTests
{
    private const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Sig = "5beee5e3a26d3ec6dc9eeade30ffbdad682f556a1c54cba5cf4bf3e77fb25c9e";

    private static readonly VectorFile Vectors = VectorFile.Load();

    public static TheoryData<int> VectorIndexes => [.. Enumerable.Range(0, Vectors.Vectors.Length)];

    [Theory, MemberData(nameof(VectorIndexes))]
    public void Each_vector_verifies_as_sent(int index) => Assert.True(Verifies(AsSent(index)));

    [Theory, MemberData(nameof(VectorIndexes))]
    public void A_changed_method_is_rejected(int index)
    {
        var request = AsSent(index);
        foreach (var changed in Mutations(request.Method))
            Assert.False(Verifies(request with { Method = changed }), changed);
    }

    [Theory, MemberData(nameof(VectorIndexes))]
    public void A_changed_path_byte_is_rejected(int index)
    {
        var request = AsSent(index);
        var queryStart = request.RawTarget.IndexOf('?') is var q and >= 0 ? q : request.RawTarget.Length;
        foreach (var changed in Mutations(request.RawTarget, 0, queryStart))
            Assert.False(Verifies(request with { RawTarget = changed }), changed);
    }

    [Theory, MemberData(nameof(VectorIndexes))]
    public void A_changed_query_byte_is_rejected(int index)
    {
        var request = AsSent(index);
        var queryStart = request.RawTarget.IndexOf('?');
        if (queryStart < 0)
        {
            Assert.False(Verifies(request with { RawTarget = request.RawTarget + "?a=1" }));
            return;
        }
        foreach (var changed in Mutations(request.RawTarget, queryStart + 1, request.RawTarget.Length))
            Assert.False(Verifies(request with { RawTarget = changed }), changed);
    }

    [Theory, MemberData(nameof(VectorIndexes))]
    public void A_changed_signed_header_value_is_rejected(int index)
    {
        var request = AsSent(index);
        Assert.True(SdkSignature.TryParseAuthorization(request.Header("Authorization"), out var authorization));
        foreach (var name in authorization.SignedHeaders)
        foreach (var changed in Mutations(request.Header(name)!))
        {
            var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { [name] = changed };
            Assert.False(Verifies(request with { Headers = headers }), $"{name}: {changed}");
        }
    }

    [Theory, MemberData(nameof(VectorIndexes))]
    public void A_changed_body_byte_is_rejected(int index)
    {
        var request = AsSent(index);
        Assert.False(Verifies(request with { Body = [.. request.Body, (byte)' '] }));
        for (var i = 0; i < request.Body.Length; i++)
        {
            var body = request.Body.ToArray();
            body[i] ^= 0x01;
            Assert.False(Verifies(request with { Body = body }), $"body byte {i}");
        }
    }

    [Theory, MemberData(nameof(VectorIndexes))]
    public void A_changed_signature_is_rejected(int index)
    {
        var request = AsSent(index);
        var authorization = request.Header("Authorization")!;
        var signatureStart = authorization.IndexOf("Signature=", StringComparison.Ordinal) + "Signature=".Length;
        foreach (var changed in Mutations(authorization, signatureStart, authorization.Length))
        {
            var headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase) { ["Authorization"] = changed };
            Assert.False(Verifies(request with { Headers = headers }), changed);
        }
    }

    [Theory, MemberData(nameof(VectorIndexes))]
    public async Task SignAsync_reproduces_the_SDK_authorization_header(int index)
    {
        var vector = Vectors.Vectors[index];
        var body = Encoding.UTF8.GetBytes(vector.BodyUtf8);
        using var request = new HttpRequestMessage(new HttpMethod(vector.Method), $"http://{Vectors.Host}{vector.UriAsSent}");
        request.Content = new ByteArrayContent(body) { Headers = { ContentType = MediaTypeHeaderValue.Parse(vector.Headers["Content-Type"]) } };
        if (vector.Headers.TryGetValue("X-Project-Id", out var projectId)) request.Headers.Add("X-Project-Id", projectId);
        Assert.True(SdkSignature.TryParseDate(vector.Headers[SdkSignature.DateHeader], out var now));

        await SdkSignature.SignAsync(request, Vectors.AccessKey, Vectors.SecretKey, now);

        Assert.Equal(vector.Authorization, Assert.Single(request.Headers.GetValues("Authorization")));
        Assert.Equal(vector.Headers[SdkSignature.DateHeader], Assert.Single(request.Headers.GetValues(SdkSignature.DateHeader)));
        Assert.Equal(Vectors.Host, request.Headers.Host);
        Assert.Equal(body, await request.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task SignAsync_without_content_signs_host_and_date_and_verifies()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://elb.example.com/v3/p/elb/pools?marker=x+y&limit=10&id=b&id=a");

        await SdkSignature.SignAsync(request, Vectors.AccessKey, Vectors.SecretKey, now);

        var authorization = Assert.Single(request.Headers.GetValues("Authorization"));
        Assert.Contains(", SignedHeaders=host;x-sdk-date, ", authorization);
        Assert.Equal("elb.example.com", request.Headers.Host);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = request.Headers.Host!, [SdkSignature.DateHeader] = "20261201T120000Z", ["Authorization"] = authorization,
        };
        Assert.True(Verifies(new Received("GET", request.RequestUri!.PathAndQuery, headers, [])));
    }

    [Theory]
    [InlineData("http://127.0.0.1:80/", "127.0.0.1")]
    [InlineData("http://[::1]:5080/", "[::1]:5080")]
    [InlineData("https://b\u00fccher.example:8443/", "xn--bcher-kva.example:8443")]
    public async Task SignAsync_takes_the_host_from_the_uri_as_HttpClient_sends_it(string uri, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        await SdkSignature.SignAsync(request, "ak", "sk", DateTimeOffset.UnixEpoch);
        Assert.Equal(host, request.Headers.Host);
    }

    [Fact]
    public async Task SignAsync_keeps_a_host_header_already_set()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://10.0.0.1:5080/v3/p/elb/pools") { Headers = { Host = "elb.internal" } };
        await SdkSignature.SignAsync(request, "ak", "sk", DateTimeOffset.UnixEpoch);
        Assert.Equal("elb.internal", request.Headers.Host);
    }

    [Fact]
    public async Task SignAsync_needs_an_absolute_uri()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v3/p/elb/pools", UriKind.Relative));
        await Assert.ThrowsAsync<InvalidOperationException>(() => SdkSignature.SignAsync(request, "ak", "sk", DateTimeOffset.UnixEpoch));
    }

    /// <summary>
    /// Canonical requests and Authorization headers produced by the official Python signer (huaweicloudsdkcore 3.1.211,
    /// X-Sdk-Date 20261201T120000Z, the vector file's key pair) for targets that exercise the encoding rules: a path
    /// parameter quoted with <c>safe=''</c> (so it holds <c>%2F</c>); query keys whose code-point order differs from that of
    /// their escapes and from UTF-16 order; integer array values, which the SDK sorts numerically; escapes that are not
    /// UTF-8 or not escapes at all.
    /// </summary>
    [Theory]
    [InlineData("/v3/p/elb/pools/caf%C3%A9%20x~y%21%2A%27%28%29%2Fz/members",
        "GET\n/v3/p/elb/pools/caf%C3%A9%20x~y%21%2A%27%28%29/z/members/\n\n",
        "431a9625e951fe5d9ff5c482749c892798e1b6301d5d59c9d605783bc610e6e9")]
    [InlineData("/v3/p/elb/pools?A=x&a.b=2&a%2Fb=1&empty=&flag=true&plus=1%2B1%202&port=80&port=443&tilde=~%2A%26%3D&z=4&%C3%A9=3&%EF%BD%9A=6&%F0%9F%98%80=5",
        "GET\n/v3/p/elb/pools/\nA=x&a.b=2&a%2Fb=1&empty=&flag=true&plus=1%2B1%202&port=80&port=443&tilde=~%2A%26%3D&z=4&%C3%A9=3&%EF%BD%9A=6&%F0%9F%98%80=5\n",
        "e810dd9d67ea9c2eab23ca17442e5e5138c651eb5d0d4aaefd2d2fd3dbdfcb1d")]
    [InlineData("/v3/p/%C3%28/%E2%82/%ED%A0%80/%FF/%zz/a%2",
        "GET\n/v3/p/%EF%BF%BD%28/%EF%BF%BD/%EF%BF%BD%EF%BF%BD%EF%BF%BD/%EF%BF%BD/%25zz/a%252/\n\n",
        "6893a91dc40e19c8e1b687d93f6b0096274b0a7fd58c8ffb415927606b9162bf")]
    [InlineData("/", "GET\n/\n\n", "06ea8bca5065a3f1bdf3723dd08d6c36c349f8c8a5c145f108852cc22e7d77b6")]
    [InlineData("/v3/p/elb/listeners/?protocol_port=80&protocol_port=443&protocol_port=8080",
        "GET\n/v3/p/elb/listeners/\nprotocol_port=80&protocol_port=443&protocol_port=8080\n",
        "8d1883208b2e36d8c053d4494bb9abcd94666cfc4a66daeb63c04b8e81680f0d")]
    public void Matches_the_python_signer_on_encoding_edge_cases(string uriAsSent, string canonicalStart, string signature)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = "application/json", ["Host"] = Vectors.Host, [SdkSignature.DateHeader] = "20261201T120000Z",
            ["Authorization"] = $"SDK-HMAC-SHA256 Access={Vectors.AccessKey}, SignedHeaders=content-type;host;x-sdk-date, Signature={signature}",
        };
        var request = new Received("GET", uriAsSent, headers, []);

        Assert.Equal(canonicalStart + "content-type:application/json\nhost:127.0.0.1:5080\nx-sdk-date:20261201T120000Z\n\n"
            + "content-type;host;x-sdk-date\n" + EmptyBodyHash, Canonical(request));
        Assert.True(Verifies(request));
    }

    /// <summary>The client escapes before signing only what it escapes on the wire, so a target is read back to its
    /// characters: how they were escaped, and the order of different keys, do not matter.</summary>
    [Theory]
    [InlineData("/v3/p/elb/pools?limit=10&marker=01a2-x%20y", "/v3/p/elb/pools?marker=01a2-x+y&limit=10")]
    [InlineData("/v3/p/elb/pools?marker=01a2-x%20y", "/v3/p/elb/pools?marker=01a2-x%20y&&")]
    [InlineData("/v3/p/caf%C3%A9?k=caf%C3%A9", "/v3/p/caf%c3%a9?k=caf\u00e9")]
    [InlineData("/v3/p/a~b?k=a~b", "/v3/p/a%7Eb?k=a%7eb")]
    [InlineData("/v3/p/a!b", "/v3/p/a%21b")]
    [InlineData("/v3/p/elb/pools?flag=", "/v3/p/elb/pools?flag")]
    public void Equivalent_targets_share_a_canonical_form(string target, string equivalent) =>
        Assert.Equal(CanonicalTarget(target), CanonicalTarget(equivalent));

    /// <summary>Quirks of the SDK's canonical URI a server must route consistently: a trailing slash, and an escaped slash,
    /// sign the same as their plain forms.</summary>
    [Theory]
    [InlineData("/v3/p/elb/pools", "/v3/p/elb/pools/")]
    [InlineData("/v3/p/elb/pools/a/b", "/v3/p/elb/pools/a%2Fb")]
    public void The_canonical_uri_does_not_tell_apart(string target, string other) =>
        Assert.Equal(CanonicalTarget(target), CanonicalTarget(other));

    [Theory]
    [InlineData("/v3/p/elb/pools?port=80&port=443", "/v3/p/elb/pools?port=443&port=80")]
    [InlineData("/v3/p/elb/pools?k=a+b", "/v3/p/elb/pools?k=a%2Bb")]
    [InlineData("/v3/p/a+b", "/v3/p/a%20b")]
    [InlineData("/v3/p/elb//pools", "/v3/p/elb/pools")]
    public void Targets_that_differ_in_meaning_have_different_canonical_forms(string target, string other) =>
        Assert.NotEqual(CanonicalTarget(target), CanonicalTarget(other));

    [Fact]
    public void A_long_query_is_sorted_stably_by_key()
    {
        var pairs = Enumerable.Range(0, 300).Select(i => $"k{(299 - i) % 7}={i}").ToArray();
        var expected = pairs.Select((pair, position) => (pair, position)).OrderBy(p => p.pair[..2], StringComparer.Ordinal)
            .ThenBy(p => p.position).Select(p => p.pair);
        Assert.Equal($"GET\n/x/\n{string.Join('&', expected)}\n", CanonicalTarget("/x?" + string.Join('&', pairs)));
    }

    [Fact]
    public void The_method_is_upper_cased_as_the_sdk_does() =>
        Assert.StartsWith("DELETE\n", SdkSignature.CanonicalRequest("delete", "/", [], _ => null, EmptyBodyHash));

    [Fact]
    public void Header_values_are_trimmed_and_an_absent_header_reads_as_empty() =>
        Assert.Equal($"GET\n/\n\nhost:h\nx-project-id:\n\nhost;x-project-id\n{EmptyBodyHash}",
            SdkSignature.CanonicalRequest("GET", "/", ["host", "x-project-id"], name => name == "host" ? " \th " : null, EmptyBodyHash));

    [Fact]
    public void The_hash_of_no_body_is_the_sdk_empty_hash() => Assert.Equal(EmptyBodyHash, SdkSignature.HexSha256([]));

    [Fact]
    public void Verify_rejects_a_signature_that_is_not_lower_case_hex_of_the_right_length()
    {
        var canonical = SdkSignature.CanonicalRequest("GET", "/", ["host"], _ => "h", EmptyBodyHash);
        var signature = SdkSignature.Sign("sk", "20261201T120000Z", canonical);
        Assert.True(SdkSignature.Verify("sk", "20261201T120000Z", canonical, signature));
        Assert.False(SdkSignature.Verify("sk", "20261201T120000Z", canonical, signature.ToUpperInvariant()));
        Assert.False(SdkSignature.Verify("sk", "20261201T120000Z", canonical, signature[..^1]));
        Assert.False(SdkSignature.Verify("sk", "20261201T120000Z", canonical, signature + "0"));
        Assert.False(SdkSignature.Verify("sk", "20261201T120000Z", canonical, ""));
        Assert.False(SdkSignature.Verify("sk2", "20261201T120000Z", canonical, signature));
        Assert.False(SdkSignature.Verify("sk", "20261201T120001Z", canonical, signature));
    }

    [Fact]
    public void Long_inputs_spill_from_the_stack_to_pooled_buffers()
    {
        var target = "/v3/" + new string('\u00e9', 2000) + "?" + string.Join('&', Enumerable.Range(0, 100).Select(i => $"k={i}"));
        var secret = new string('s', 1000);
        var date = new string('d', 500);
        var canonical = SdkSignature.CanonicalRequest("GET", target, ["host"], _ => new string('h', 3000), EmptyBodyHash);
        Assert.StartsWith("GET\n/v3/" + string.Concat(Enumerable.Repeat("%C3%A9", 2000)) + "/\nk=0&k=1&", canonical);
        Assert.True(SdkSignature.Verify(secret, date, canonical, SdkSignature.Sign(secret, date, canonical)));
    }

    [Fact]
    public void A_well_formed_authorization_header_parses()
    {
        Assert.True(SdkSignature.TryParseAuthorization(Vectors.Vectors[2].Authorization, out var authorization));
        Assert.Equal(Vectors.AccessKey, authorization.AccessKey);
        Assert.Equal(["content-type", "host", "x-project-id", "x-sdk-date"], authorization.SignedHeaders);
        Assert.Equal(Sig, authorization.Signature);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("SDK-HMAC-SHA256")]
    [InlineData("SDK-HMAC-SHA256 ")]
    [InlineData("SDK-HMAC-SHA256 ,,,")]
    [InlineData("SDK-HMAC-SHA256 ===")]
    [InlineData("SDK-HMAC-SHA256Access=AK, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SM3 Access=AK, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("sdk-hmac-sha256 Access=AK, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("Bearer abc")]
    [InlineData("SDK-HMAC-SHA256 SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host")]
    [InlineData("SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=A K, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=ho st, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host:x, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + Sig + "0")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=5BEEE5E3A26D3EC6DC9EEADE30FFBDAD682F556A1C54CBA5CF4BF3E77FB25C9E")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=zbeee5e3a26d3ec6dc9eeade30ffbdad682f556a1c54cba5cf4bf3e77fb25c9e")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, Access=AK, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + Sig + ", Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + Sig + ", Extra=1")]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + Sig + ",")]
    [InlineData("SDK-HMAC-SHA256 access=AK, SignedHeaders=host, Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK; SignedHeaders=host; Signature=" + Sig)]
    [InlineData("SDK-HMAC-SHA256 Access=AK, SignedHeaders=h\u00f6st, Signature=" + Sig)]
    public void A_malformed_authorization_header_does_not_parse(string? header)
    {
        Assert.False(SdkSignature.TryParseAuthorization(header, out var authorization));
        Assert.Null(authorization);
    }

    [Fact]
    public void A_date_parses_as_utc_and_formats_back()
    {
        Assert.True(SdkSignature.TryParseDate("20261201T120000Z", out var date));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), date);
        Assert.Equal(TimeSpan.Zero, date.Offset);
        Assert.Equal("20261201T120000Z", SdkSignature.FormatDate(date));
        Assert.Equal("20261201T120000Z", SdkSignature.FormatDate(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.FromHours(8))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("20261201T120000")]
    [InlineData("20261201T120000z")]
    [InlineData("20261201t120000Z")]
    [InlineData("20261201 120000Z")]
    [InlineData(" 20261201T120000Z")]
    [InlineData("20261201T120000Z ")]
    [InlineData("2026121T120000Z")]
    [InlineData("020261201T120000Z")]
    [InlineData("20261301T120000Z")]
    [InlineData("20260230T120000Z")]
    [InlineData("20261200T120000Z")]
    [InlineData("20261201T240000Z")]
    [InlineData("20261201T126000Z")]
    [InlineData("20261201T120060Z")]
    [InlineData("2026-12-01T12:00:00Z")]
    [InlineData("Tue, 01 Dec 2026 12:00:00 GMT")]
    [InlineData("20261201T1200+0Z")]
    [InlineData("2026120ZT120000T")]
    [InlineData("\uff12\uff10\uff12\uff16\uff11\uff12\uff10\uff11T\uff11\uff12\uff10\uff10\uff10\uff10Z")]
    [InlineData("\u0662\u0660\u0662\u0666\u0661\u0662\u0660\u0661T\u0661\u0662\u0660\u0660\u0660\u0660Z")]
    public void A_bad_date_does_not_parse(string? value) => Assert.False(SdkSignature.TryParseDate(value, out _));

    /// <summary>What the server does with a request: the Authorization and X-Sdk-Date headers, the canonical request
    /// rebuilt from the target as received, the signature checked with the access key's secret.</summary>
    private static bool Verifies(Received request)
    {
        if (!SdkSignature.TryParseAuthorization(request.Header("Authorization"), out var authorization)
            || authorization.AccessKey != Vectors.AccessKey)
            return false;
        var date = request.Header(SdkSignature.DateHeader);
        if (!SdkSignature.TryParseDate(date, out _)) return false;
        var canonical = SdkSignature.CanonicalRequest(request.Method, request.RawTarget, authorization.SignedHeaders,
            request.Header, SdkSignature.HexSha256(request.Body));
        return SdkSignature.Verify(Vectors.SecretKey, date!, canonical, authorization.Signature);
    }

    private static string Canonical(Received request)
    {
        Assert.True(SdkSignature.TryParseAuthorization(request.Header("Authorization"), out var authorization));
        return SdkSignature.CanonicalRequest(request.Method, request.RawTarget, authorization.SignedHeaders, request.Header,
            SdkSignature.HexSha256(request.Body));
    }

    /// <summary>The method, canonical URI and canonical query lines of a GET of <paramref name="target"/>.</summary>
    private static string CanonicalTarget(string target)
    {
        var canonical = SdkSignature.CanonicalRequest("GET", target, [], _ => null, EmptyBodyHash);
        return canonical[..^("\n\n" + EmptyBodyHash).Length];
    }

    private static Received AsSent(int index)
    {
        var vector = Vectors.Vectors[index];
        return new Received(vector.Method, vector.UriAsSent,
            new Dictionary<string, string>(vector.Headers, StringComparer.OrdinalIgnoreCase), Encoding.UTF8.GetBytes(vector.BodyUtf8));
    }

    /// <summary>Every copy of <paramref name="text"/> with one character in [start, end) replaced by another.</summary>
    private static IEnumerable<string> Mutations(string text, int start = 0, int end = -1)
    {
        for (var i = start; i < (end < 0 ? text.Length : end); i++)
        {
            var chars = text.ToCharArray();
            chars[i] = chars[i] switch
            {
                'z' => 'a',
                'Z' => 'A',
                '9' => '0',
                'f' => '0',
                var c when char.IsAsciiLetterOrDigit(c) => (char)(c + 1),
                _ => 'x',
            };
            yield return new string(chars);
        }
    }

    private sealed record Received(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }

    private sealed record Vector(string Method, string Path, string UriAsSent, Dictionary<string, string> Headers,
        string BodyUtf8, string Authorization);

    private sealed record VectorFile(string AccessKey, string SecretKey, string Host, Vector[] Vectors)
    {
        /// <summary>The vectors live in the shared notes beside the repository (../shared/notes), locally and in CI.</summary>
        public static VectorFile Load()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Elb.sln"))) directory = directory.Parent;
            if (directory is null) throw new InvalidOperationException($"No Elb.sln above {AppContext.BaseDirectory}.");
            var path = Path.Combine(directory.FullName, "..", "shared", "notes", "sdk-signing-vectors.json");
            return JsonSerializer.Deserialize<VectorFile>(File.ReadAllText(path),
                new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        }
    }
}
