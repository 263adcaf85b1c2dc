namespace Elb.Gateway.OpenApi;

/// <summary>
/// Error codes a route answers beyond those <see cref="RouteErrors"/> derives from what every route shares, for the
/// OpenAPI document's <c>x-error-codes</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ElbErrorsAttribute(int status, params string[] codes) : Attribute
{
    public int Status => status;

    public IReadOnlyList<string> Codes => codes;
}
