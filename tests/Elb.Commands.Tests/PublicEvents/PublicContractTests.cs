using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json;
using System.Text;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.BackendServers;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;
using Elb.Commands.PublicEvents;
using Elb.Commands.SlowStart;

namespace Elb.Commands.Tests.PublicEvents;

/// <summary>
/// Pins the public contract: docs/events.md must be exactly what these canonical events map to. A change to a public
/// payload fails here; if it is intended, it needs a new version (v2), then ELB_WRITE_CONTRACT=1 rewrites the page.
/// </summary>
public class PublicContractTests
{
    private const string Project = "my-project";
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid Lb = Guid.Parse("0196b3a0-0000-7000-8000-000000000001");
    private static readonly Guid Listener = Guid.Parse("0196b3a0-0000-7000-8000-000000000002");
    private static readonly Guid Pool = Guid.Parse("0196b3a0-0000-7000-8000-000000000003");
    private static readonly Guid Member = Guid.Parse("0196b3a0-0000-7000-8000-000000000004");
    private static readonly Guid Monitor = Guid.Parse("0196b3a0-0000-7000-8000-000000000005");

    private static readonly HealthCheckSettings Checks = new("web-check", HealthMonitorType.Http, 5, 3, 2, 3, "/healthz", "200-204", true);

    public static readonly ILoadBalancerEvent[] Examples =
    [
        new LoadBalancerCreated(Lb, Project, "web", "front door", "vpc-1", "subnet-1", ["az-1", "az-2"], true, true, At, "10.0.0.2"),
        new LoadBalancerUpdated(Lb, Project, "web", "front door, renamed", At),
        new IpAsBackendEnabled(Lb, Project, At),
        new LoadBalancerDeleted(Lb, Project, At),
        new ListenerCreated(Listener, Project, Lb, "http", "", Protocol.Http, 80, Pool, At),
        new ListenerUpdated(Listener, Project, Lb, "http", "", null, At),
        new ListenerDeleted(Listener, Project, Lb, At),
        new BackendServerGroupCreated(Pool, Project, Lb, Listener, "api", "", Protocol.Http, LbAlgorithm.RoundRobin, "",
            new SessionPersistence(StickySessionType.HttpCookie, null, 1440), new SlowStartSettings(true, 60), false, At),
        new BackendServerGroupUpdated(Pool, Project, Lb, "api", "", LbAlgorithm.RoundRobin, null, new SlowStartSettings(false, 60), true, At),
        new BackendServerGroupDeleted(Pool, Project, Lb, At),
        new BackendServerAdded(Member, Pool, Project, Lb, "web-1", "10.0.0.11", 8080, 5, "instance", "ecs-1", "subnet-1", "az-1",
            "Linux", MemberOperatingStatus.Offline, true, At),
        new BackendServerUpdated(Member, Pool, Project, Lb, "web-1", 10, At),
        new BackendServerRemoved(Member, Pool, Project, Lb, At),
        new BackendServerPowerChanged(Member, Pool, Project, Lb, "ecs-1", "restarted", At),
        new MemberHealthChanged(Member, Pool, Project, Lb, MemberOperatingStatus.Online, "node1", At),
        new SlowStartBegan(Member, Pool, Project, Lb, At, 60),
        new HealthMonitorCreated(Monitor, Pool, Project, Lb, Checks, At),
        new HealthMonitorUpdated(Monitor, Pool, Project, Lb, Checks with { AdminStateUp = false }, At),
        new HealthMonitorDeleted(Monitor, Pool, Project, Lb, At),
    ];

    [Fact]
    public void Every_internal_event_type_has_a_public_example()
    {
        var internalTypes = typeof(ILoadBalancerEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType);

        Assert.Equal(internalTypes.OrderBy(t => t.Name), Examples.Select(e => e.GetType()).OrderBy(t => t.Name));
    }

    [Fact]
    public void The_published_contract_matches_docs_events_md()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "events.md");
        var expected = Document();
        if (Environment.GetEnvironmentVariable("ELB_WRITE_CONTRACT") == "1") File.WriteAllText(path, expected);

        Assert.Equal(expected, File.ReadAllText(path));
    }

    private static string Document()
    {
        var pretty = new JsonSerializerOptions(ElbJson.Options) { WriteIndented = true };
        var text = new StringBuilder("""
            # Elb's public events, version 1

            Generated from the contract by `PublicContractTests` (`ELB_WRITE_CONTRACT=1 dotnet test tests/Elb.Commands.Tests`);
            the test fails when a payload changes shape, so a change to a public payload means a new type version.

            Every event is published to the RabbitMQ topic exchange `elb.events` as a CloudEvents 1.0 message in
            **structured mode**: the AMQP body is the JSON object below and the content type is
            `application/cloudevents+json`. The routing key is `<project_id>.<loadbalancer_id>.<type>`. The same objects
            come from the catch-up feed `GET /v3/{project_id}/elb/events?after_sequence=<n>&limit=<m>`.

            | attribute | meaning |
            |---|---|
            | `id` | the event's id, unique; the same in the feed and on the exchange |
            | `source` | `/v3/{project_id}/elb/loadbalancers/{loadbalancer_id}` |
            | `type` | `elb.<resource>.<change>.v1` |
            | `subject` | the id of the resource the event is about |
            | `time` | when the change was recorded |
            | `sequence` | the global event sequence: increases with every event, de-duplicates |
            | `streamversion` | the version within the load balancer's stream: apply a load balancer's events in this order |
            | `projectid`, `loadbalancerid` | the routing key's parts |

            Events arrive in `sequence` order, also after a broker outage (nothing is lost: the relay goes on only once RabbitMQ has
            confirmed a page of events). A page cut short by a crash is published again, so an event can arrive twice: skip
            sequences already handled.

            """);
        foreach (var example in Examples)
        {
            var (type, subject, data) = PublicEventContract.Map(example);
            var cloudEvent = new CloudEvent("1.0", "0196b3a0-0000-7000-8000-0000000000ff", $"/v3/{Project}/elb/loadbalancers/{Lb}",
                type, subject.ToString(), At, "application/json", 42, 7, Project, Lb, data);
            text.Append($"\n## `{type}`\n\nFrom `{example.GetType().Name}`.\n\n```json\n{JsonSerializer.Serialize(cloudEvent, pretty)}\n```\n");
        }
        return text.ToString();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Elb.sln"))) directory = directory.Parent!;
        return directory.FullName;
    }
}
