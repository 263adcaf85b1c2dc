using System.Threading.RateLimiting;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Elb.Gateway.Limits;

/// <summary>How much of the gateway one tenant may take (<c>Elb:RateLimits</c>).</summary>
public sealed record RateLimitOptions
{
    /// <summary>Requests a second, sustained.</summary>
    public int RequestsPerSecond { get; init; } = 100;

    /// <summary>Requests at once after a quiet spell.</summary>
    public int Burst { get; init; } = 200;

    /// <summary>Requests in progress at once; more wait in line, up to <see cref="Queue"/>, then are refused.</summary>
    public int ConcurrentRequests { get; init; } = 32;

    public int Queue { get; init; } = 128;
}

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by tenant: the project a request names, otherwise the verified user,
/// otherwise the client's address. One project flooding the gateway spends its own budget, not another's; over it the
/// answer is 429 with <c>Retry-After</c>, at once, never a timeout.
/// </summary>
public static class ProjectRateLimits
{
    public static IServiceCollection AddProjectRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Elb:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(TenantOf(http),
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.Burst,
                        TokensPerPeriod = options.RequestsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    })),
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetConcurrencyLimiter(TenantOf(http),
                    _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.ConcurrentRequests,
                        QueueLimit = options.Queue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })));
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new ValueTask(ElbResults.WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    "ELB.TooManyRequests", $"This project has made more requests than it may for now; retry after {retryAfter} s."));
            };
        });
        return services;
    }

    /// <summary>Runs after authentication, so a caller's requests count against the project only once it is verified.</summary>
    private static string TenantOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
            ? http.GetRouteValue("projectId") is string project ? $"project:{project}" : $"user:{http.User.UserIdOf()}"
            : $"address:{http.Connection.RemoteIpAddress}";
}
