using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Elb.IntegrationTests;
using Elb.Signing;
using Elb.Tests;

namespace Elb.Conformance.Tests;

/// <summary>One call of the recorded flow: the request exactly as the official SDK sent it, and what it got.</summary>
public sealed record SdkStep(
    string Operation,
    string Method,
    string Path,
    string Query,
    string? ContentType,
    string? Body,
    int Status,
    string? ResponseModel,
    IReadOnlyDictionary<string, string>? Reads,
    IReadOnlyDictionary<string, string>? Captures,
    string? ErrorCode);

public sealed record SdkRecording(string Sdk, IReadOnlyList<SdkStep> Steps, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Models)
{
    public static readonly SdkRecording Load = JsonSerializer.Deserialize<SdkRecording>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sdk-flow.json")),
        new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
}

/// <summary>What the gateway answered one step, or why the step could not be sent.</summary>
public sealed record SdkAnswer(int Status, JsonElement Body, string? RequestId, string? NotSent = null);

/// <summary>
/// Replays sdk-flow.json (recorded from the official Python SDK by samples/python-sdk/run.sh and
/// export_conformance.py) once against a real gateway, in a project of its own: the inventory the flow needs first,
/// then every SDK call in order, each id the flow sends back taken from this run's own answers.
/// </summary>
public sealed class SdkFlow : IAsyncLifetime
{
    private static readonly Regex Placeholder = new(@"\{([^{}""]+)\}");
    private readonly GatewayFixture _gateway = new();

    public IReadOnlyList<SdkAnswer> Answers { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await _gateway.InitializeAsync();
        var api = new ElbApi(_gateway.Gateway);
        var run = Random.Shared.Next(100_000, 999_999).ToString();
        var certificate = TestCertificates.For("www.example.com");
        var values = new Dictionary<string, string>
        {
            ["project_id"] = api.Project, ["run"] = run,
            ["certificate_pem"] = certificate.Certificate, ["private_key_pem"] = certificate.PrivateKey,
        };

        // Elb's inventory has no SDK operation: the VPC the flow names, with a subnet for VIPs and servers on loopback.
        var vpc = $"vpc-sdk-{run}";
        await api.RegisterSubnetAsync($"vip-{run}", "10.0.0.0/24", vpc);
        await api.RegisterSubnetAsync($"web-{run}", "127.0.0.0/24", vpc);
        foreach (var n in new[] { 11, 12, 13 }) await api.RegisterServerAsync($"ecs-{run}-{n}", $"127.0.0.{n}", subnet: $"web-{run}");

        // Over a real socket, as the SDK talks: an in-memory server would rewrite headers such as its Content-Type.
        using var sdk = new HttpClient(new SdkSigningHandler(api.User!.AccessKey, api.User.SecretKey, TimeProvider.System)
        {
            InnerHandler = new SocketsHttpHandler(),
        }) { BaseAddress = _gateway.ListeningGatewayUrl() };
        var answers = new List<SdkAnswer>();
        foreach (var step in SdkRecording.Load.Steps)
        {
            var answer = await SendAsync(sdk, api.Project, step, values);
            answers.Add(answer);
            foreach (var (name, path) in step.Captures ?? new Dictionary<string, string>())
            {
                if (answer.NotSent is null && answer.Body.ValueKind == JsonValueKind.Object
                    && JsonPaths.Find(answer.Body, path) is { ValueKind: JsonValueKind.String } id)
                {
                    values[name] = id.GetString()!;
                }
            }
        }
        Answers = answers;
    }

    private static async Task<SdkAnswer> SendAsync(HttpClient sdk, string project, SdkStep step, Dictionary<string, string> values)
    {
        var missing = new List<string>();
        string Fill(string text, bool json) => Placeholder.Replace(text, m =>
        {
            if (values.TryGetValue(m.Groups[1].Value, out var value)) return json ? JsonEncodedText.Encode(value).ToString() : value;
            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        var url = Fill(step.Path, false) + (step.Query.Length > 0 ? "?" + Fill(step.Query, false) : "");
        var body = step.Body is { } text ? Fill(text, true) : null;
        if (missing.Count > 0) return new SdkAnswer(0, default, null, $"no value for {string.Join(", ", missing)}: an earlier step failed");

        // As the SDK sends it: its own Content-Type (with or without a body) and X-Project-Id, signed with the key.
        using var request = new HttpRequestMessage(new HttpMethod(step.Method), url)
        {
            Content = new ByteArrayContent(body is null ? [] : Encoding.UTF8.GetBytes(body)),
        };
        if (step.ContentType is { } contentType) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("X-Project-Id", project);
        using var response = await sdk.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return new SdkAnswer((int)response.StatusCode,
            content.Length == 0 ? default : JsonDocument.Parse(content).RootElement.Clone(),
            response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.Single() : null);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SdkFlowCollection : ICollectionFixture<SdkFlow>
{
    public const string Name = "sdk flow";
}
