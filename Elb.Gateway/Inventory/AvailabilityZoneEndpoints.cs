using Elb.Gateway.OpenApi;
using Elb.Commands.Inventory;
using Elb.Commands;
using Elb.Gateway.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Elb.Gateway.Inventory;

/// <summary>An availability zone as ELB v3 lists it: every zone serves layer 4 and layer 7, at the central site.</summary>
public sealed record AvailabilityZone(string Code, string State, IReadOnlyList<string> Protocol, string PublicBorderGroup, int Category);

public static class AvailabilityZoneEndpoints
{
    private const string CentralSite = "center";

    /// <summary>ELB v3's <c>list_availability_zones</c>: the zones of the project's subnets, as one set a load balancer may span.</summary>
    [WolverineGet("/v3/{projectId}/elb/availability-zones")]
    [ElbAnswer("availability_zones", typeof(AvailabilityZone[]), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> List(string projectId, [FromQuery(Name = "public_border_group")] string? publicBorderGroup,
        IQuerySession session, CancellationToken cancellation)
    {
        var zones = publicBorderGroup is null or CentralSite
            ? (await session.Query<Subnet>().Where(s => s.ProjectId == projectId).Select(s => s.AvailabilityZone).ToListAsync(cancellation))
                .Distinct().Order(StringComparer.Ordinal)
                .Select(code => new AvailabilityZone(code, "ACTIVE", ["L4", "L7"], CentralSite, 0)).ToList()
            : [];
        return Results.Json(new Dictionary<string, object> { ["availability_zones"] = new[] { zones } }, ElbJson.Options);
    }
}
