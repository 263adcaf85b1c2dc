using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;

namespace Elb.Projections.Listeners;

/// <summary>Whether a listener is served and where (<c>address:port</c>), with the reasons where it is not everywhere.</summary>
public sealed record ListenerServingState(IReadOnlyList<string> ServedAt, OperatingStatus OperatingStatus, IReadOnlyList<string> Reasons);

/// <summary>A listener as the ELB v3 API shows it, and (Elb's addition) whether and where it is served.</summary>
public sealed record ListenerResource(
    Guid Id,
    string ProjectId,
    Guid LoadBalancerId,
    IReadOnlyList<ResourceRef> LoadBalancers,
    string Name,
    string Description,
    Protocol Protocol,
    int ProtocolPort,
    Guid? DefaultPoolId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Guid? DefaultTlsContainerRef,
    IReadOnlyList<Guid> SniContainerRefs,
    IReadOnlyList<string>? ServedAt,
    OperatingStatus? OperatingStatus,
    IReadOnlyList<string>? OperatingStatusReasons,
    ProvisioningStatus ProvisioningStatus = ProvisioningStatus.Active)
{
    /// <param name="serving">What the nodes say now, or null where that is not known (history).</param>
    public static ListenerResource From(LoadBalancer lb, Listener l, ListenerServingState? serving = null) => new(l.Id,
        lb.ProjectId, lb.Id, [new ResourceRef(lb.Id)], l.Name, l.Description, l.Protocol, l.ProtocolPort, lb.DefaultPoolOf(l),
        l.CreatedAt, l.UpdatedAt, l.DefaultTlsContainerRef, l.SniContainerRefs, serving?.ServedAt, serving?.OperatingStatus,
        serving?.Reasons);
}
