using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;

namespace Elb.Projections.Listeners;

/// <summary>A listener as the ELB v3 API shows it, and (Elb's addition) where it is served.</summary>
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
    DateTimeOffset UpdatedAt,
    Guid? DefaultTlsContainerRef,
    IReadOnlyList<Guid> SniContainerRefs,
    IReadOnlyList<string>? ServedAt)
{
    /// <param name="servedAt">Where nodes serve it now (<c>address:port</c>), or null where that is not known (history).</param>
    public static ListenerResource From(LoadBalancer lb, Listener l, IReadOnlyList<string>? servedAt = null) => new(l.Id,
        lb.ProjectId, lb.Id, [new ResourceRef(lb.Id)], l.Name, l.Description, l.Protocol, l.ProtocolPort, l.DefaultPoolId,
        l.CreatedAt, l.UpdatedAt, l.DefaultTlsContainerRef, l.SniContainerRefs, servedAt);
}
