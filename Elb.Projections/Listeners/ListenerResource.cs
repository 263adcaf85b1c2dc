using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;

namespace Elb.Projections.Listeners;

public sealed record ListenerResource(
    Guid Id,
    string ProjectId,
    Guid LoadBalancerId,
    IReadOnlyList<ResourceRef> LoadBalancers,
    string Name,
    string Description,
    string Protocol,
    int ProtocolPort,
    Guid? DefaultPoolId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ListenerResource From(LoadBalancer lb, Listener l) => new(l.Id, lb.ProjectId, lb.Id,
        [new ResourceRef(lb.Id)], l.Name, l.Description, l.Protocol, l.ProtocolPort, l.DefaultPoolId, l.CreatedAt,
        l.UpdatedAt);
}
