using System.Text.RegularExpressions;
using Elb.Gateway.Identity;

namespace Elb.Gateway.OpenApi;

/// <summary>
/// The error codes a route can answer, by what decides them: the middleware every request passes, the route's policy,
/// its path (the resources it names), whether it takes a body, and what the route declares itself
/// (<see cref="ElbErrorsAttribute"/>).
/// </summary>
public static partial class RouteErrors
{
    private static readonly string[] Authentication =
    [
        "ELB.AuthenticationRequired", "ELB.SignatureMalformed", "ELB.SignatureDateInvalid", "ELB.SignatureExpired",
        "ELB.SignatureMismatch", "ELB.AccessKeyInvalid", "ELB.TokenInvalid", "ELB.TokenExpired",
    ];

    private static readonly HashSet<string> ProjectPolicies = [ElbPolicy.ProjectRead, ElbPolicy.ProjectWrite, ElbPolicy.ProjectAdmin];

    /// <summary>Route parameters that are not the id of a resource a 404 could name.</summary>
    private static readonly HashSet<string> NotResources = ["projectId", "role", "user", "accessKey"];

    public static SortedDictionary<int, SortedSet<string>> Of(string method, string route, string? policy, bool takesBody,
        IEnumerable<ElbErrorsAttribute> declared)
    {
        var errors = new SortedDictionary<int, SortedSet<string>>();
        void Add(int status, params string[] codes)
        {
            if (!errors.TryGetValue(status, out var set)) errors[status] = set = [];
            set.UnionWith(codes);
        }

        Add(400, "ELB.InvalidCharacter", "ELB.FieldTooLong");
        Add(429, "ELB.TooManyRequests");
        Add(500, "ELB.InternalError");
        Add(503, "ELB.StoreUnavailable");
        if (policy is not null)
        {
            Add(401, Authentication);
            Add(403, "ELB.Forbidden");
        }
        var parameters = RouteParameter().Matches(route).Select(m => m.Groups[1].Value).ToList();
        if (parameters.Contains("projectId")) Add(404, "ELB.ProjectNotFound");
        if (policy is not null && ProjectPolicies.Contains(policy) && parameters.Contains("projectId"))
        {
            // ElbAuthorizationResultHandler: an outsider is told a resource is not there, as for an unknown one.
            Add(400, "ELB.InvalidProjectId");
            if (parameters.Count > 1) Add(404, "ELB.NotFound");
        }
        foreach (var parameter in parameters.Where(p => !NotResources.Contains(p) && p.EndsWith("Id", StringComparison.Ordinal)))
        {
            Add(404, $"ELB.{char.ToUpperInvariant(parameter[0])}{parameter[1..^2]}NotFound");
        }
        if (takesBody)
        {
            Add(400, "ELB.MalformedRequest", "ELB.MissingField", "ELB.DuplicateField", "ELB.TooManyItems");
            Add(413, "ELB.RequestTooLarge");
            Add(415, "ELB.UnsupportedMediaType");
        }
        if (!HttpMethods.IsGet(method) && policy is not null)
        {
            // LockWait: a change waits a bounded time for its load balancer.
            Add(503, "ELB.LoadBalancerBusy");
        }
        if (HttpMethods.IsPost(method) && policy is not null)
        {
            // IdempotentRetries: a POST may carry an Idempotency-Key.
            Add(400, "ELB.InvalidIdempotencyKey");
            Add(409, "ELB.IdempotencyKeyInProgress");
            Add(422, "ELB.IdempotencyKeyReused");
        }
        foreach (var errorsOfRoute in declared) Add(errorsOfRoute.Status, [.. errorsOfRoute.Codes]);
        return errors;
    }

    [GeneratedRegex("{([^}:?]+)")]
    private static partial Regex RouteParameter();
}
