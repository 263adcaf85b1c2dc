namespace Elb.Signing;

/// <summary>Signs every request an <see cref="HttpClient"/> sends with an access key, as the official SDKs do.</summary>
public sealed class SdkSigningHandler(string accessKey, string secretKey, TimeProvider clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        await SdkSignature.SignAsync(request, accessKey, secretKey, clock.GetUtcNow(), cancellation);
        return await base.SendAsync(request, cancellation);
    }
}
