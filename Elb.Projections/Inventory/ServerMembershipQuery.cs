using Elb.Commands.Inventory;
using Marten;

namespace Elb.Projections.Inventory;

/// <summary>The load balancers with a member on a server, from the resource index (its instance id is indexed).</summary>
public sealed class ServerMembershipQuery : IServerMembership
{
    public async Task<IReadOnlyList<Guid>> LoadBalancersServedByAsync(IQuerySession session, string projectId, string serverId,
        CancellationToken cancellation) =>
        (await session.Query<ResourceLocation>()
            .Where(l => l.Kind == ResourceKind.Member && l.ProjectId == projectId && l.InstanceId == serverId)
            .Select(l => l.LoadBalancerId).ToListAsync(cancellation)).Distinct().ToList();
}
