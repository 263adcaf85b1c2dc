using System.Net;
using Elb.Commands.LoadBalancers;
using Marten;
using Marten.Events.Projections;

namespace Elb.Projections.LoadBalancers;

/// <summary>The VIPs held, one per load balancer: taken with its creation, released with its deletion.</summary>
public sealed partial class VipAllocationProjection : EventProjection
{
    public void Project(LoadBalancerCreated e, IDocumentOperations operations)
    {
        if (e.VipAddress is { } vip)
        {
            operations.Store(new VipAllocation(e.LoadBalancerId, vip, VipRules.ToNumber(IPAddress.Parse(vip)), e.ProjectId));
        }
    }

    public void Project(LoadBalancerDeleted e, IDocumentOperations operations) => operations.Delete<VipAllocation>(e.LoadBalancerId);
}
