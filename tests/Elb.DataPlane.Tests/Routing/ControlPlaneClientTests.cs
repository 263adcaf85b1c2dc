using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Elb.Commands;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Routing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.Routing;

public class ControlPlaneClientTests
{
    /// <summary>Every optional field set: a listener, sticky sessions, a monitor, a member in slow start with its health seen.</summary>
    private static readonly LoadBalancer Full = WithFirstMember(
        Evolve(Created(), ListenerCreated(), PoolCreated(slowStart: true, sticky: new SessionPersistence(StickySessionType.AppCookie, "session", 5)),
            MonitorCreated(), MemberAdded("10.0.0.1", os: "Linux", instanceId: "server-1", status: MemberOperatingStatus.Online)) with { Version = 5 },
        m => m with { HealthObservedAt = Now, SlowStart = new MemberSlowStart(SlowStartPhase.Active, Now, Now.AddSeconds(60)) });

    /// <summary>Every optional field left out.</summary>
    private static readonly LoadBalancer Bare = Evolve(Created(zones: []), PoolCreated(), MemberAdded("10.0.0.2", zone: null)) with
    {
        Id = Guid.NewGuid(), Version = 3,
    };

    [Fact]
    public async Task A_node_reads_every_field_of_the_snapshot_the_gateway_writes()
    {
        var answer = JsonSerializer.SerializeToUtf8Bytes(new RoutingSnapshot([Full, Bare]), ElbJson.Options);

        var read = await new ControlPlaneClient(new RecordedGateway(answer)).GetAllAsync(CancellationToken.None);

        Assert.Equal(Text(answer), Text(JsonSerializer.SerializeToUtf8Bytes(new RoutingSnapshot(read), ElbJson.Options)));
        var member = read[0].Pools[0].Members[0];
        Assert.Equal((SlowStartPhase.Active, Now, MemberOperatingStatus.Online), (member.SlowStart.Phase, member.HealthObservedAt, member.OperatingStatus));
        Assert.Equal(Full.Pools[0].SessionPersistence, read[0].Pools[0].SessionPersistence);
        Assert.Null(read[1].Pools[0].Members[0].AvailabilityZone);
    }

    [Fact]
    public void The_snapshot_is_written_with_compiled_metadata_exactly_as_reflection_writes_it()
    {
        var snapshot = new RoutingSnapshot([Full, Bare]);
        var reflectionOnly = new JsonSerializerOptions(ElbJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

        Assert.IsType<ElbJsonContext>(ElbJson.Options.GetTypeInfo(typeof(LoadBalancer)).OriginatingResolver);
        Assert.Equal(JsonSerializer.Serialize(snapshot, reflectionOnly), JsonSerializer.Serialize(snapshot, ElbJson.Options));
        Assert.Contains("\"phase\":\"ACTIVE\"", JsonSerializer.Serialize(snapshot, ElbJson.Options));
    }

    private static LoadBalancer WithFirstMember(LoadBalancer loadBalancer, Func<Member, Member> change) =>
        loadBalancer with { Pools = [loadBalancer.Pools[0] with { Members = [change(loadBalancer.Pools[0].Members[0])] }] };

    private static string Text(byte[] json) => System.Text.Encoding.UTF8.GetString(json);

    /// <summary>Answers with the gateway's recorded answer, streamed.</summary>
    private sealed class RecordedGateway(byte[] answer) : HttpMessageHandler, IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(this, disposeHandler: false) { BaseAddress = new Uri("http://gateway/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
        {
            var content = new StreamContent(new MemoryStream(answer));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        }
    }
}
