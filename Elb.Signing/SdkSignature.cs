using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Elb.Signing;

/// <summary>
/// Huawei Cloud AK/SK request signing (<c>SDK-HMAC-SHA256</c>) as the official SDKs compute it (reference:
/// huaweicloud-sdk-python-v3, <c>huaweicloudsdkcore/signer/signer.py</c>):
/// <code>
/// canonical request = METHOD \n canonical URI \n canonical query \n (name:trimmed value \n)* \n names joined by ; \n hex SHA-256(body)
/// string to sign    = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex SHA-256(canonical request)
/// signature         = hex HMAC-SHA256(secret key, string to sign)
/// </code>
/// </summary>
public static class SdkSignature
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string DateHeader = "X-Sdk-Date";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    private const int HashBytes = 32;
    private const int HexSignatureLength = 2 * HashBytes;
    private const int FormattedDateLength = 16;
    private const string ProjectIdHeader = "X-Project-Id";

    // Above these sizes the working buffers come from the pool rather than the stack.
    private const int StackChars = 512;
    private const int StackBytes = 1024;

    private static ReadOnlySpan<byte> LowerHexDigits => "0123456789abcdef"u8;
    private static readonly SearchValues<char> LowerHexChars = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool TryParseAuthorization(string? header, [NotNullWhen(true)] out SdkAuthorization? authorization)
    {
        authorization = null;
        if (header is null || header.Length <= Algorithm.Length || !header.StartsWith(Algorithm, StringComparison.Ordinal)
            || header[Algorithm.Length] != ' ')
            return false;

        string? accessKey = null, signature = null;
        string[]? signedHeaders = null;
        var parameters = header.AsSpan(Algorithm.Length + 1);
        foreach (var range in parameters.Split(','))
        {
            var parameter = parameters[range].Trim(' ');
            var equals = parameter.IndexOf('=');
            if (equals < 0) return false;
            var name = parameter[..equals];
            var value = parameter[(equals + 1)..];
            if (name.SequenceEqual("Access") && accessKey is null && IsToken(value))
                accessKey = value.ToString();
            else if (name.SequenceEqual("SignedHeaders") && signedHeaders is null && TryParseSignedHeaders(value, out signedHeaders))
                continue;
            else if (name.SequenceEqual("Signature") && signature is null && IsLowerHexSignature(value))
                signature = value.ToString();
            else
                return false;
        }

        if (accessKey is null || signedHeaders is null || signature is null) return false;
        authorization = new SdkAuthorization(accessKey, signedHeaders, signature);
        return true;
    }

    /// <summary>Exactly <see cref="DateFormat"/>, in UTC. The SDK re-formats the date it parsed into the string to sign,
    /// so accepting only the canonical form keeps the header value and the signed date the same text.</summary>
    public static bool TryParseDate(string? value, out DateTimeOffset date)
    {
        date = default;
        if (value is null || value.Length != FormattedDateLength) return false;
        foreach (var c in value)
            if (!char.IsAsciiDigit(c) && c is not 'T' and not 'Z') return false;
        return DateTimeOffset.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);
    }

    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The canonical request for a request as received.
    /// </summary>
    /// <param name="rawTarget">The request target exactly as sent on the wire: path plus optional <c>?query</c>
    /// (percent-encoded as the client sent it, e.g. <c>/v3/p/elb/pools?limit=10&amp;marker=01a2-x%20y</c>).</param>
    /// <param name="signedHeaders">The names from the Authorization header, in its order; they are written as given.</param>
    /// <param name="headerValue">The (possibly comma-joined) value of a header by case-insensitive name, or null. An absent
    /// header reads as empty: the line stays in place, so the names and lines still pair up.</param>
    /// <param name="bodySha256Hex"><see cref="HexSha256"/> of the body (that of no bytes when there is none). For a body
    /// that is not JSON the SDK signs the value of its X-Sdk-Content-Sha256 header (<c>UNSIGNED-PAYLOAD</c>) here
    /// instead; passing the real hash refuses such requests, whose body nobody vouches for.</param>
    public static string CanonicalRequest(string method, string rawTarget, IReadOnlyList<string> signedHeaders,
        Func<string, string?> headerValue, string bodySha256Hex)
    {
        var target = rawTarget.AsSpan();
        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target[..queryStart];
        var query = queryStart < 0 ? ReadOnlySpan<char>.Empty : target[(queryStart + 1)..];

        var scratchLength = CanonicalTarget.ScratchBytes(target.Length);
        byte[]? rentedScratch = null;
        var scratch = scratchLength <= StackBytes
            ? stackalloc byte[StackBytes]
            : (rentedScratch = ArrayPool<byte>.Shared.Rent(scratchLength));
        var output = new CharBuffer(stackalloc char[StackChars]);
        try
        {
            foreach (var c in method) output.Append(char.ToUpperInvariant(c));
            output.Append('\n');
            CanonicalTarget.AppendUri(ref output, path, scratch);
            output.Append('\n');
            CanonicalTarget.AppendQuery(ref output, query, scratch);
            output.Append('\n');
            // Indexed loops: enumerating an IReadOnlyList would allocate an enumerator per request.
            for (var i = 0; i < signedHeaders.Count; i++)
            {
                output.Append(signedHeaders[i]);
                output.Append(':');
                output.Append(headerValue(signedHeaders[i]).AsSpan().Trim());
                output.Append('\n');
            }
            output.Append('\n');
            for (var i = 0; i < signedHeaders.Count; i++)
            {
                if (i > 0) output.Append(';');
                output.Append(signedHeaders[i]);
            }
            output.Append('\n');
            output.Append(bodySha256Hex);
            return output.ToString();
        }
        finally
        {
            output.Dispose();
            if (rentedScratch is not null) ArrayPool<byte>.Shared.Return(rentedScratch);
        }
    }

    public static string HexSha256(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(body, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Lower-case hex HMAC-SHA256 of the string to sign, as the SDK puts it in the Authorization header.</summary>
    public static string Sign(string secretKey, string sdkDate, string canonicalRequest)
    {
        Span<byte> mac = stackalloc byte[HashBytes];
        ComputeSignature(secretKey, sdkDate, canonicalRequest, mac);
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Constant-time comparison of the expected signature with the one presented, which must be lower-case hex
    /// as every SDK writes it.</summary>
    public static bool Verify(string secretKey, string sdkDate, string canonicalRequest, string presentedSignature)
    {
        if (presentedSignature.Length != HexSignatureLength) return false;
        Span<byte> mac = stackalloc byte[HashBytes];
        ComputeSignature(secretKey, sdkDate, canonicalRequest, mac);
        Span<char> expected = stackalloc char[HexSignatureLength];
        Convert.TryToHexStringLower(mac, expected, out _);
        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected),
            MemoryMarshal.AsBytes(presentedSignature.AsSpan()));
    }

    /// <summary>
    /// Client side: sets X-Sdk-Date (from <paramref name="now"/>), Host (when absent, from the request URI) and the
    /// Authorization header. Signs what the Python SDK signs for an ELB call: content-type (when the request has
    /// content that declares one), host, x-project-id (when present) and x-sdk-date, and the SHA-256 of the body, which
    /// is read into the content's buffer so it can still be sent (always hashed: the SDK's <c>UNSIGNED-PAYLOAD</c> for
    /// bodies that are not JSON is not offered). The request URI must be absolute, as it is by the time an HttpClient's
    /// handlers see it: its path and query are what goes on the wire.
    /// </summary>
    public static async Task SignAsync(HttpRequestMessage request, string accessKey, string secretKey, DateTimeOffset now,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute
            ? absolute
            : throw new InvalidOperationException("Only a request with an absolute URI can be signed.");

        // The body is hashed as sent; ReadAsByteArrayAsync buffers the content, so it can still be sent afterwards.
        var bodySha256Hex = HexSha256(request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellation));

        var date = FormatDate(now);
        request.Headers.Remove(DateHeader);
        request.Headers.TryAddWithoutValidation(DateHeader, date);
        // As HttpClient would write it itself: an IPv6 address in brackets, an international name in punycode, the
        // default port left out.
        if (request.Headers.Host is null)
        {
            var hostName = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
            request.Headers.Host = uri.IsDefaultPort ? hostName : $"{hostName}:{uri.Port}";
        }

        var contentType = request.Content?.Headers.NonValidated.TryGetValues("Content-Type", out var values) == true
            ? values.ToString()
            : null;
        var projectId = request.Headers.NonValidated.TryGetValues(ProjectIdHeader, out var projectIds)
            ? projectIds.ToString()
            : null;

        // In the SDK's order: sorted by lower-case name.
        var signedHeaders = new List<string>(4);
        if (contentType is not null) signedHeaders.Add("content-type");
        signedHeaders.Add("host");
        if (projectId is not null) signedHeaders.Add("x-project-id");
        signedHeaders.Add("x-sdk-date");

        var host = request.Headers.Host;
        var canonicalRequest = CanonicalRequest(request.Method.Method, uri.PathAndQuery, signedHeaders,
            name => name switch
            {
                "content-type" => contentType,
                "host" => host,
                "x-project-id" => projectId,
                "x-sdk-date" => date,
                _ => null,
            },
            bodySha256Hex);
        var signature = Sign(secretKey, date, canonicalRequest);

        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{Algorithm} Access={accessKey}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}");
    }

    private static void ComputeSignature(string secretKey, string sdkDate, string canonicalRequest, Span<byte> mac)
    {
        byte[]? rentedCanonical = null, rentedStringToSign = null, rentedKey = null;
        try
        {
            Span<byte> canonicalHash = stackalloc byte[HashBytes];
            SHA256.HashData(Utf8(canonicalRequest, stackalloc byte[StackBytes], ref rentedCanonical), canonicalHash);

            // SDK-HMAC-SHA256 \n date \n hex(canonical hash)
            var stringToSignLength = Algorithm.Length + 1 + Encoding.UTF8.GetByteCount(sdkDate) + 1 + HexSignatureLength;
            var stringToSign = stringToSignLength <= 256
                ? stackalloc byte[256]
                : (rentedStringToSign = ArrayPool<byte>.Shared.Rent(stringToSignLength));
            var written = Encoding.UTF8.GetBytes(Algorithm, stringToSign);
            stringToSign[written++] = (byte)'\n';
            written += Encoding.UTF8.GetBytes(sdkDate, stringToSign[written..]);
            stringToSign[written++] = (byte)'\n';
            foreach (var b in canonicalHash)
            {
                stringToSign[written++] = LowerHexDigits[b >> 4];
                stringToSign[written++] = LowerHexDigits[b & 0xF];
            }

            var key = Utf8(secretKey, stackalloc byte[256], ref rentedKey);
            HMACSHA256.HashData(key, stringToSign[..written], mac);
            CryptographicOperations.ZeroMemory(key);
        }
        finally
        {
            if (rentedCanonical is not null) ArrayPool<byte>.Shared.Return(rentedCanonical);
            if (rentedStringToSign is not null) ArrayPool<byte>.Shared.Return(rentedStringToSign);
            if (rentedKey is not null) ArrayPool<byte>.Shared.Return(rentedKey, clearArray: true);
        }
    }

    /// <summary>UTF-8 of <paramref name="text"/> in <paramref name="stackBuffer"/> when it fits, else in a pooled array
    /// the caller returns.</summary>
    private static Span<byte> Utf8(string text, Span<byte> stackBuffer, ref byte[]? rented)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var buffer = length <= stackBuffer.Length ? stackBuffer : (rented = ArrayPool<byte>.Shared.Rent(length));
        return buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }

    private static bool TryParseSignedHeaders(ReadOnlySpan<char> value, [NotNullWhen(true)] out string[]? names)
    {
        names = null;
        if (value.IsEmpty) return false;
        var parsed = new string[value.Count(';') + 1];
        var i = 0;
        foreach (var range in value.Split(';'))
        {
            if (!IsToken(value[range])) return false;
            parsed[i++] = value[range].ToString();
        }
        names = parsed;
        return true;
    }

    private static bool IsLowerHexSignature(ReadOnlySpan<char> value) =>
        value.Length == HexSignatureLength && !value.ContainsAnyExcept(LowerHexChars);

    /// <summary>An HTTP token (RFC 9110 tchar+): header names, and access keys, which are letters and digits.</summary>
    private static bool IsToken(ReadOnlySpan<char> value) =>
        !value.IsEmpty && !value.ContainsAnyExcept(TokenChars);
}
