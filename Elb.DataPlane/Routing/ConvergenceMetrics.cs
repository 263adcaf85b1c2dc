using System.Diagnostics.Metrics;
using Elb.Commands.Hosting;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using Elb.DataPlane.LoadBalancing;

namespace Elb.DataPlane.Routing;

/// <summary>
/// How far this node trails the control plane: <c>elb.node.apply_lag</c>, from a change's commit to this node applying
/// it (across two clocks: a skew between the machines shows in it), and <c>elb.node.versions_behind</c>, the versions
/// its load balancers lack of those the control plane listed at the last digest check (<see cref="DigestReconciler"/>).
/// </summary>
public sealed class ConvergenceMetrics
{
    private readonly RoutingTable _table;
    private readonly TimeProvider _time;
    private readonly Histogram<double> _applyLag;
    private IReadOnlyList<RoutingDigestEntry> _controlPlane = [];

    public ConvergenceMetrics(RoutingTable table, TimeProvider time, IMeterFactory meters)
    {
        _table = table;
        _time = time;
        var meter = meters.Create(MemberMetrics.MeterName);
        _applyLag = meter.CreateHistogram<double>("elb.node.apply_lag", "s",
            "From a change's commit in the control plane to this node applying it", tags: null, advice: ElbTelemetry.LagBuckets);
        meter.CreateObservableGauge("elb.node.versions_behind", () => VersionsBehind,
            description: "Versions this node lacks of those the control plane listed at its last digest check");
    }

    public long VersionsBehind
    {
        get
        {
            var state = _table.Current;
            return _controlPlane.Sum(entry => Math.Max(0, entry.Version - state.AppliedVersion(entry.LoadBalancerId)));
        }
    }

    public void Applied(LoadBalancerChange change) => _applyLag.Record((_time.GetUtcNow() - change.OccurredAt).TotalSeconds);

    public void ControlPlaneListed(IReadOnlyList<RoutingDigestEntry> controlPlane) => _controlPlane = controlPlane;
}
