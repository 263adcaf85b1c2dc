using Elb.Gateway.OpenApi;
using Elb.Gateway.Identity;
using Microsoft.AspNetCore.Authorization;
using Elb.Commands;
using Elb.Commands.Inventory;
using Elb.Projections;
using Elb.Commands.LoadBalancers;
using Elb.Projections.Inventory;
using Elb.Projections.LoadBalancers;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Elb.Gateway.Inventory;

public sealed record SubnetRequest(RegisterSubnet? Subnet);

public sealed record ServerRequest(RegisterServer? Server);

public sealed record ServerActionRequest(string? Action);

/// <summary>The cloud facts the rules need: subnets (network service) and servers (compute service).</summary>
public static class InventoryEndpoints
{
    [WolverinePost("/v3/{projectId}/inventory/subnets")]
    [ElbAnswer("subnet", typeof(SubnetResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> RegisterSubnet(string projectId, SubnetRequest request, IMessageBus bus,
        CancellationToken cancellation) =>
        request.Subnet is null
            ? Task.FromResult(RuleViolation.MissingField("subnet").ToProblem())
            : bus.Execute<Subnet>(request.Subnet with { ProjectId = projectId, Replace = false },
                (subnet, _) => Task.FromResult(ElbResults.Created("subnet", SubnetResource.From(subnet))), cancellation);

    [WolverinePut("/v3/{projectId}/inventory/subnets/{subnetId}")]
    [ElbAnswer("subnet", typeof(SubnetResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> UpdateSubnet(string projectId, string subnetId, SubnetRequest request, IMessageBus bus,
        CancellationToken cancellation) =>
        request.Subnet is null
            ? Task.FromResult(RuleViolation.MissingField("subnet").ToProblem())
            : bus.Execute<Subnet>(request.Subnet with { ProjectId = projectId, Id = subnetId, Replace = true },
                (subnet, _) => Task.FromResult(ElbResults.Resource("subnet", SubnetResource.From(subnet))), cancellation);

    [WolverineGet("/v3/{projectId}/inventory/subnets")]
    [ElbAnswer("subnets", typeof(SubnetResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> ListSubnets(string projectId, int? limit, string? marker, IQuerySession session,
        CancellationToken cancellation)
    {
        var subnets = await session.Query<Subnet>().Where(s => s.ProjectId == projectId).ToListAsync(cancellation);
        return ElbResults.Page("subnets", Paging.Page(subnets.Select(SubnetResource.From), s => s.Id, limit, marker));
    }

    [WolverineGet("/v3/{projectId}/inventory/subnets/{subnetId}")]
    [ElbAnswer("subnet", typeof(SubnetResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> GetSubnet(string projectId, string subnetId, IQuerySession session,
        CancellationToken cancellation) =>
        await session.LoadAsync<Subnet>(InventoryKey.Subnet(projectId, subnetId), cancellation) is { } subnet
            ? ElbResults.Resource("subnet", SubnetResource.From(subnet))
            : RuleViolation.NotFound("Subnet", subnetId).ToProblem();

    [WolverinePost("/v3/{projectId}/inventory/servers")]
    [ElbAnswer("server", typeof(ServerResource), Status = StatusCodes.Status201Created)]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> RegisterServer(string projectId, ServerRequest request, IMessageBus bus,
        CancellationToken cancellation) =>
        request.Server is null
            ? Task.FromResult(RuleViolation.MissingField("server").ToProblem())
            : bus.Execute<Server>(request.Server with { ProjectId = projectId },
                (server, _) => Task.FromResult(ElbResults.Created("server", ServerResource.From(server))), cancellation);

    /// <summary>Renames a server; power changes go through <c>POST .../servers/{id}/action</c>.</summary>
    [WolverinePut("/v3/{projectId}/inventory/servers/{serverId}")]
    [ElbAnswer("server", typeof(ServerResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> UpdateServer(string projectId, string serverId, ServerRequest request, IMessageBus bus,
        CancellationToken cancellation) =>
        bus.Execute<Server>(new RenameServer(projectId, serverId, request.Server?.Name),
            (server, _) => Task.FromResult(ElbResults.Resource("server", ServerResource.From(server))), cancellation);

    /// <summary><c>{"action": "stop" | "start" | "restart"}</c>; members on the server record the change (rule 14).</summary>
    [WolverinePost("/v3/{projectId}/inventory/servers/{serverId}/action")]
    [ElbAnswer("server", typeof(ServerResource))]
    [Authorize(Policy = ElbPolicy.ProjectWrite)]
    public static Task<IResult> ChangePower(string projectId, string serverId, ServerActionRequest request,
        IMessageBus bus, CancellationToken cancellation) =>
        bus.Execute<Server>(new ChangeServerPower(projectId, serverId, request.Action),
            (server, _) => Task.FromResult(ElbResults.Resource("server", ServerResource.From(server))), cancellation);

    /// <summary>The load balancers this server is a backend server of.</summary>
    [WolverineGet("/v3/{projectId}/inventory/servers/{serverId}/loadbalancers")]
    [ElbAnswer("loadbalancers", typeof(LoadBalancerResource), Shape = ElbAnswerShape.Many)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> LoadBalancersOf(string projectId, string serverId, IQuerySession session,
        IServerMembership membership, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Server>(InventoryKey.Server(projectId, serverId), cancellation) is null)
        {
            return RuleViolation.NotFound("Server", serverId).ToProblem();
        }
        var loadBalancerIds = await membership.LoadBalancersServedByAsync(session, projectId, serverId, cancellation);
        var loadBalancers = await session.LoadLoadBalancersAsync(loadBalancerIds, cancellation);
        return ElbResults.Resource("loadbalancers", loadBalancers.OrderBy(lb => lb.Id).Select(LoadBalancerResource.From).ToList());
    }

    [WolverineGet("/v3/{projectId}/inventory/servers")]
    [ElbAnswer("servers", typeof(ServerResource), Shape = ElbAnswerShape.Page)]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> ListServers(string projectId, int? limit, string? marker, IQuerySession session,
        CancellationToken cancellation)
    {
        var servers = await session.Query<Server>().Where(s => s.ProjectId == projectId).ToListAsync(cancellation);
        return ElbResults.Page("servers", Paging.Page(servers.Select(ServerResource.From), s => s.Id, limit, marker));
    }

    [WolverineGet("/v3/{projectId}/inventory/servers/{serverId}")]
    [ElbAnswer("server", typeof(ServerResource))]
    [Authorize(Policy = ElbPolicy.ProjectRead)]
    public static async Task<IResult> GetServer(string projectId, string serverId, IQuerySession session,
        CancellationToken cancellation) =>
        await session.LoadAsync<Server>(InventoryKey.Server(projectId, serverId), cancellation) is { } server
            ? ElbResults.Resource("server", ServerResource.From(server))
            : RuleViolation.NotFound("Server", serverId).ToProblem();
}
