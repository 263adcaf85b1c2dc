namespace Elb.Gateway.OpenApi;

/// <summary>
/// How every refusal reads (RFC 7807 with ELB's fields, see <see cref="ElbResults.AddErrorCode"/>): the schema the
/// OpenAPI document gives each 4xx and 5xx answer.
/// </summary>
public sealed record ElbProblem(
    string Type,
    string Title,
    int Status,
    string Detail,
    string ErrorCode,
    string ErrorMsg,
    string RequestId,
    string TraceId);
