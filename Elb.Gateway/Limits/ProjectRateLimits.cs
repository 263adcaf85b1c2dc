using System.Threading.RateLimiting;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Elb.Gateway.Limits;

/// <summary>How much of the gateway one tenant may take (<c>Elb:RateLimits</c>).</summary>
public sealed record RateLimitOptions
{
    /// <summary>
    /// Requests a second, sustained: well under what one gateway serves (bench/isolation.sh: a 2-core gateway answers
    /// about 60 writes/s in all), so that one project's flood leaves room for the others.
    /// </summary>
    public int RequestsPerSecond { get; init; } = 20;

    /// <summary>Requests at once after a quiet spell.</summary>
    public int Burst { get; init; } = 50;

    /// <summary>Requests in progress at once; more wait in line, up to <see cref="Queue"/>, then are refused.</summary>
    public int ConcurrentRequests { get; init; } = 8;

    public int Queue { get; init; } = 32;
}

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by tenant, twice: before authentication by the client's address and the
/// credential it claims (so a flood is turned away before it costs a signature check and a key lookup, and nobody can
/// spend another caller's budget by naming its key), and after it by the project a verified caller names (otherwise
/// its user): one project flooding the gateway spends its own budget, not another's. Over either, the answer is 429
/// with <c>Retry-After</c>, at once, never a timeout.
/// </summary>
public static class ProjectRateLimits
{
    public static IServiceCollection AddProjectRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Elb:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddSingleton(new CallerRateLimit(PartitionedRateLimiter.Create<HttpContext, string>(http =>
            RateLimitPartition.GetTokenBucketLimiter(CallerOf(http), _ => Bucket(options)))));
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(TenantOf(http),
                    _ => Bucket(options))),
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetConcurrencyLimiter(TenantOf(http),
                    _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.ConcurrentRequests,
                        QueueLimit = options.Queue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })));
            limiter.OnRejected = (context, _) => new ValueTask(RefuseAsync(context.HttpContext, context.Lease));
        });
        return services;
    }

    private static TokenBucketRateLimiterOptions Bucket(RateLimitOptions options) => new()
    {
        TokenLimit = options.Burst,
        TokensPerPeriod = options.RequestsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
    };

    public static Task RefuseAsync(HttpContext http, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ElbResults.WriteProblemAsync(http, StatusCodes.Status429TooManyRequests, "ELB.TooManyRequests",
            $"More requests than this project or caller may make for now; retry after {retryAfter} s.");
    }

    /// <summary>Before authentication: the client's address with the access key or token it presents, unverified.</summary>
    private static string CallerOf(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString().AsSpan();
        var access = authorization.IndexOf("Access=", StringComparison.Ordinal) is var at and >= 0
            ? authorization[(at + 7)..] is var rest && rest.IndexOf(',') is var end and >= 0 ? rest[..end] : rest
            : http.Request.Headers["X-Auth-Token"].ToString() is { Length: > 0 } token ? token.AsSpan()[^Math.Min(16, token.Length)..] : [];
        return $"{http.Connection.RemoteIpAddress}|{access[..Math.Min(access.Length, 64)]}";
    }

    /// <summary>Runs after authentication, so a caller's requests count against the project only once it is verified.</summary>
    private static string TenantOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? http.GetRouteValue("projectId") is string project ? $"project:{project}" : $"user:{http.User.UserIdOf()}"
            : $"address:{http.Connection.RemoteIpAddress}";
}

/// <summary>The limiter that runs before authentication (ASP.NET Core's middleware holds only one global limiter).</summary>
public sealed class CallerRateLimit(PartitionedRateLimiter<HttpContext> limiter)
{
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        using var lease = limiter.AttemptAcquire(http);
        if (lease.IsAcquired) await next(http);
        else await ProjectRateLimits.RefuseAsync(http, lease);
    }
}
