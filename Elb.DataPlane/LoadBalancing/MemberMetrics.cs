using System.Diagnostics.Metrics;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// Per member: requests or connections handled, active connections, failures, read from the live counters when
/// someone looks (nothing on the request path). Published as the meter <c>Elb.DataPlane</c>, which <c>GET /metrics</c>
/// answers as Prometheus text (and OTLP pushes where configured): what a user checks when sticky sessions unbalance
/// the shares, as the guide advises.
/// </summary>
public sealed class MemberMetrics
{
    public const string MeterName = "Elb.DataPlane";

    private readonly RoutingTable _table;
    private readonly RoutingRuntime _runtime;

    public MemberMetrics(RoutingTable table, RoutingRuntime runtime, IMeterFactory meters)
    {
        _table = table;
        _runtime = runtime;
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("elb.member.requests", () => Measure(c => c.Handled), description: "Requests or connections handled");
        meter.CreateObservableCounter("elb.member.failures", () => Measure(c => c.Failures), description: "Requests or connections that failed");
        meter.CreateObservableGauge("elb.member.active_connections", () => Measure(c => c.Active), description: "Requests or connections open now");
    }

    private IEnumerable<(PoolRoute Pool, RouteMember Member, MemberCounters Counters)> Members() =>
        _table.Current.Pools.Values.SelectMany(p => p.Members.Select(m => (p, m, _runtime.CountersOf(m.Id))));

    private IEnumerable<Measurement<long>> Measure(Func<MemberCounters, long> value) => Members().Select(x =>
        new Measurement<long>(value(x.Counters), new KeyValuePair<string, object?>("pool_id", x.Pool.Id),
            new KeyValuePair<string, object?>("member_id", x.Member.Id), new KeyValuePair<string, object?>("address", $"{x.Member.Address}:{x.Member.ProtocolPort}")));
}
