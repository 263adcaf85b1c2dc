using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Elb.Commands.Identity;
using Elb.Signing;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Elb.Gateway.Identity;

/// <summary>
/// Verifies requests signed with an access key exactly as the official Huawei Cloud SDKs sign them
/// (<c>SDK-HMAC-SHA256</c>): the canonical request is rebuilt from the bytes as sent, the secret is decrypted from the
/// store (the key read once, then kept in <see cref="IdentityCache"/> until it changes), and the date must be within
/// 15 minutes of the gateway's clock.
/// </summary>
public sealed class SdkSignatureAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    SecretProtector protector,
    PrincipalFactory principals,
    IdentityCache cache,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = SdkSignature.Algorithm;

    private static readonly string EmptyBodySha256 = Convert.ToHexStringLower(SHA256.HashData([]));

    public static bool Applies(HttpRequest request) =>
        request.Headers.Authorization is [{ } value] && value.StartsWith(SdkSignature.Algorithm + " ", StringComparison.Ordinal);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Applies(Request)) return AuthenticateResult.NoResult();
        if (!SdkSignature.TryParseAuthorization(Request.Headers.Authorization, out var authorization) || authorization is null)
        {
            return Refuse("ELB.SignatureMalformed", "The Authorization header is not 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...'.");
        }
        // The date bounds replay in time and the host bounds it to this service; every official SDK signs both.
        if (!authorization.SignedHeaders.Contains("x-sdk-date") || !authorization.SignedHeaders.Contains("host"))
        {
            return Refuse("ELB.SignatureMalformed", "The signature must cover the Host and X-Sdk-Date headers.");
        }
        if (!SdkSignature.TryParseDate(Request.Headers[SdkSignature.DateHeader], out var date))
        {
            return Refuse("ELB.SignatureDateInvalid", "X-Sdk-Date must be the signing time as yyyyMMddTHHmmssZ.");
        }
        if ((clock.GetUtcNow() - date).Duration() > SdkSignature.MaxClockSkew)
        {
            return Refuse("ELB.SignatureExpired", "X-Sdk-Date is more than 15 minutes away from the gateway's clock; sign the request again.");
        }
        await using var session = store.QuerySession();
        var key = authorization.AccessKey.Length <= 64 ? await AccessKeyAsync(session, authorization.AccessKey) : null;
        if (key is null || protector.Unprotect(key.EncryptedSecret) is not { } secret)
        {
            return Refuse("ELB.AccessKeyInvalid", "The access key does not exist or was deleted.");
        }
        var target = RawTarget();
        // The signed path is decoded before it is split, so "/a%2Fb" signs as "/a/b": refuse it rather than route it elsewhere.
        if (target.AsSpan(0, target.IndexOf('?') is var q and >= 0 ? q : target.Length).Contains("%2F", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("ELB.SignatureMalformed", "A signed path may not contain an encoded '/' (%2F).");
        }
        var canonical = SdkSignature.CanonicalRequest(Request.Method, target, authorization.SignedHeaders,
            name => Request.Headers[name] is { Count: > 0 } values ? values.ToString() : null, await BodySha256Async());
        if (!SdkSignature.Verify(secret, Request.Headers[SdkSignature.DateHeader]!, canonical, authorization.Signature))
        {
            return Refuse("ELB.SignatureMismatch",
                "The signature does not match the request: sign the method, path, query, signed headers and body as sent.");
        }
        var principal = await principals.CreateAsync(session, key.UserId, SchemeName, AuthMethod.AkSk, key.Id, null, Context.RequestAborted);
        return principal is null
            ? Refuse("ELB.AccessKeyInvalid", "The access key's user no longer exists.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<AccessKeyRecord?> AccessKeyAsync(IQuerySession session, string accessKeyId)
    {
        if (cache.TryGetKey(accessKeyId, out var cached)) return cached;
        var readAt = cache.Generation;
        var key = await session.LoadAsync<AccessKeyRecord>(accessKeyId, Context.RequestAborted);
        if (key is not null) cache.KeepKey(key, readAt);
        return key;
    }

    private AuthenticateResult Refuse(string errorCode, string detail)
    {
        AuthenticationFailure.Record(Context, errorCode, detail);
        return AuthenticateResult.Fail(detail);
    }

    /// <summary>The target as the client sent it (the SDK signs its own encoding), rebuilt only where a server lacks it.</summary>
    private string RawTarget() =>
        Context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
            ? raw
            : (Request.PathBase + Request.Path).ToUriComponent() + Request.QueryString.ToUriComponent();

    /// <summary>Hashes the body as it streams in and leaves it readable for the endpoint; Kestrel's size limit bounds it.</summary>
    private async Task<string> BodySha256Async()
    {
        if (Request.ContentLength == 0 || (Request.ContentLength is null && !Request.Headers.TransferEncoding.Any())) return EmptyBodySha256;
        Request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await Request.Body.ReadAsync(buffer, Context.RequestAborted)) > 0) hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
