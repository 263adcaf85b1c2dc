using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using RabbitMQ.Client;

namespace Elb.Gateway.Subscribers;

/// <summary>
/// Where the gateway reaches RabbitMQ's management HTTP API and as whom: <c>ELB_RABBITMQ_MANAGEMENT</c>,
/// <c>http://user:password@host:15672/</c>, an administrator (<c>elb-broker-admin</c>). Without it the subscriber
/// endpoints answer 503. <see cref="VirtualHost"/> is the gateway's own (from <c>ELB_RABBITMQ</c>): where
/// <c>elb.events</c> lives.
/// </summary>
public sealed record BrokerManagementOptions(Uri? BaseAddress, string User, string Password, string VirtualHost)
{
    public static BrokerManagementOptions From(string? managementUri, string gatewayAmqpUri)
    {
        var virtualHost = new ConnectionFactory { Uri = new Uri(gatewayAmqpUri) }.VirtualHost;
        if (string.IsNullOrEmpty(managementUri)) return new(null, "", "", virtualHost);
        var uri = new Uri(managementUri);
        var credentials = uri.UserInfo.Split(':', 2);
        var address = new UriBuilder(uri) { UserName = "", Password = "" };
        if (!address.Path.EndsWith('/')) address.Path += "/";
        return new(address.Uri,
            Uri.UnescapeDataString(credentials[0]),
            credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "",
            virtualHost);
    }
}

/// <summary>The management API could not be reached, or refused what the gateway asked.</summary>
public sealed class BrokerManagementException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The few calls of RabbitMQ's management HTTP API that subscriber accounts need, as a typed HttpClient.</summary>
public sealed class RabbitMqManagement(HttpClient http, BrokerManagementOptions options)
{
    public bool IsConfigured => options.BaseAddress is not null;

    public string VirtualHost => options.VirtualHost;

    /// <summary>Creates the user, or sets its password and tags if it exists. No tags: no management UI or API access.</summary>
    public Task PutUserAsync(string user, string password, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Put, $"api/users/{Path(user)}", new { password, tags = "" }, cancellation);

    public Task PutPermissionsAsync(string user, string configure, string write, string read, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Put, $"api/permissions/{Path(VirtualHost)}/{Path(user)}", new { configure, write, read }, cancellation);

    public Task PutTopicPermissionsAsync(string user, string exchange, string write, string read, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Put, $"api/topic-permissions/{Path(VirtualHost)}/{Path(user)}", new { exchange, write, read }, cancellation);

    /// <summary>A per-user limit such as <c>max-connections</c> or <c>max-channels</c>.</summary>
    public Task PutUserLimitAsync(string user, string limit, int value, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Put, $"api/user-limits/{Path(user)}/{Path(limit)}", new { value }, cancellation);

    public async Task<IReadOnlyList<string>> ListUsersAsync(CancellationToken cancellation)
    {
        using var response = await SendAsync(HttpMethod.Get, "api/users?columns=name", null, cancellation, HttpStatusCode.OK);
        var users = await response.Content.ReadFromJsonAsync<List<Named>>(cancellation) ?? [];
        return [.. users.Select(u => u.Name)];
    }

    /// <summary>Deletes the user and closes its open connections; false when there is no such user.</summary>
    public async Task<bool> DeleteUserAsync(string user, CancellationToken cancellation)
    {
        using (var response = await SendAsync(HttpMethod.Delete, $"api/users/{Path(user)}", null, cancellation, HttpStatusCode.NotFound))
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
        }
        // A deleted user's open connections would otherwise go on consuming.
        using (var connections = await SendAsync(HttpMethod.Get, "api/connections?columns=name,user", null, cancellation, HttpStatusCode.OK))
        {
            foreach (var connection in await connections.Content.ReadFromJsonAsync<List<Connection>>(cancellation) ?? [])
            {
                if (connection.User != user) continue;
                using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/connections/{Path(connection.Name)}");
                request.Headers.Add("X-Reason", "Elb subscriber credentials deleted");
                using var closed = await SendAsync(request, cancellation, HttpStatusCode.NotFound);
            }
        }
        return true;
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellation)
    {
        using var response = await SendAsync(method, path, body, cancellation, HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellation,
        HttpStatusCode alsoAccepted)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        return SendAsync(request, cancellation, alsoAccepted);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation,
        HttpStatusCode alsoAccepted)
    {
        using var _ = request;
        if (!IsConfigured) throw new BrokerManagementException("ELB_RABBITMQ_MANAGEMENT is not set");
        var what = $"{request.Method} /{request.RequestUri}";
        request.RequestUri = new Uri(options.BaseAddress!, request.RequestUri!);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellation);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            // unreachable, timed out (Polly's TimeoutRejectedException), or the circuit is open
            throw new BrokerManagementException($"{what}: {e.Message}", e);
        }
        if (response.IsSuccessStatusCode || response.StatusCode == alsoAccepted) return response;
        var answer = await response.Content.ReadAsStringAsync(cancellation);
        response.Dispose();
        throw new BrokerManagementException($"{what} answered {(int)response.StatusCode}: {answer}");
    }

    private static string Path(string segment) => Uri.EscapeDataString(segment);

    private sealed record Named([property: JsonPropertyName("name")] string Name);

    private sealed record Connection(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("user")] string? User);
}

public static class BrokerManagementRegistration
{
    /// <summary>The typed client, with the standard resilience pipeline (retries on transient failures, timeouts).</summary>
    public static IServiceCollection AddBrokerManagement(this IServiceCollection services, IConfiguration configuration,
        string gatewayAmqpUri)
    {
        services.AddSingleton(BrokerManagementOptions.From(configuration["ELB_RABBITMQ_MANAGEMENT"], gatewayAmqpUri));
        services.AddHttpClient<RabbitMqManagement>()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
            });
        return services;
    }
}
