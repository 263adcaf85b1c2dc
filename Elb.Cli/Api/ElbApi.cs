using System.Text.Json;
using Elb.Cli.Configuration;
using Elb.Signing;

namespace Elb.Cli.Api;

/// <summary>An answer of the gateway: its body as sent (what <c>--output json</c> prints) and parsed.</summary>
public sealed record ApiAnswer(string Json, JsonElement Root);

/// <summary>The gateway's HTTP API, as the configured caller: every request AK/SK-signed, or carrying the token.</summary>
public sealed class ElbApi(HttpClient http) : IDisposable
{
    public static ElbApi For(CliSettings settings)
    {
        if (settings.Endpoint is not { Length: > 0 } endpoint)
        {
            throw new CliSetupException("No endpoint configured: run `elb configure --endpoint <url> ...` or set ELB_ENDPOINT.");
        }
        var baseAddress = new Uri(endpoint.TrimEnd('/') + "/");
        var http = settings switch
        {
            { AccessKey: { Length: > 0 } accessKey, SecretKey: { Length: > 0 } secretKey } =>
                new HttpClient(new SdkSigningHandler(accessKey, secretKey, TimeProvider.System) { InnerHandler = new SocketsHttpHandler() }),
            { Token: { Length: > 0 } token } => new HttpClient { DefaultRequestHeaders = { { "X-Auth-Token", token } } },
            _ => throw new CliSetupException(
                "No credentials configured: run `elb configure --access-key <AK> --secret-key <SK>` or `elb configure --token <token>`."),
        };
        http.BaseAddress = baseAddress;
        return new ElbApi(http);
    }

    /// <param name="path">Relative to the endpoint, with its query already escaped.</param>
    public async Task<ApiAnswer> GetAsync(string path, CancellationToken cancellation)
    {
        using var response = await http.GetAsync(path, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        if (!response.IsSuccessStatusCode) throw ElbApiException.From(response, body);
        using var parsed = JsonDocument.Parse(body);
        return new ApiAnswer(body, parsed.RootElement.Clone());
    }

    public void Dispose() => http.Dispose();
}

/// <summary>The tool cannot call the gateway as configured (no endpoint, no credentials, no project).</summary>
public sealed class CliSetupException(string message) : Exception(message);
