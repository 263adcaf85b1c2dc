using System.Net;
using System.Text.Json;

namespace Elb.Cli.Api;

/// <summary>A refusal from the gateway: its ProblemDetails' <c>error_code</c>, message and request id, where it sent them.</summary>
public sealed class ElbApiException(HttpStatusCode status, string? errorCode, string? detail, string? requestId)
    : Exception($"{errorCode ?? ((int)status).ToString()}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
    public string? ErrorCode { get; } = errorCode;
    public string? Detail { get; } = detail;
    public string? RequestId { get; } = requestId;

    public static ElbApiException From(HttpResponseMessage response, string body)
    {
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            return new ElbApiException(response.StatusCode, Text(root, "error_code"),
                Text(root, "error_msg") ?? Text(root, "detail") ?? Text(root, "title") ?? response.ReasonPhrase,
                Text(root, "request_id") ?? requestId);
        }
        catch (JsonException)
        {
            return new ElbApiException(response.StatusCode, null, body.Length > 0 ? body : response.ReasonPhrase, requestId);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
