using System.Text;
using System.Text.Json;
using Elb.Commands;
using Elb.Commands.HealthChecks;
using Elb.Commands.LoadBalancers;
using Elb.DataPlane.Routing;
using static Elb.Tests.Scenario;

namespace Elb.DataPlane.Tests.Routing;

/// <summary>The node's parallel reader takes from an answer exactly the load balancers the serializer reads from it.</summary>
public class RoutingSnapshotReaderTests
{
    private static readonly LoadBalancer First = Evolve(Created(), ListenerCreated(), PoolCreated(slowStart: true), MonitorCreated(),
        MemberAdded("10.0.0.1", os: "Linux", instanceId: "server-1", status: MemberOperatingStatus.Online, entersSlowStart: true),
        MemberAdded("10.0.0.2")) with { Version = 6 };

    private static readonly LoadBalancer Second = Evolve(Created(zones: []), PoolCreated(), MemberAdded("10.0.0.3", zone: null)) with
    {
        Id = Guid.NewGuid(), Version = 3,
    };

    private static readonly string Answer = JsonSerializer.Serialize(new RoutingSnapshot([First, Second, First with { Id = Guid.NewGuid() }]), ElbJson.Options);

    private static Task<IReadOnlyList<LoadBalancer>> Read(string answer, int chunkSize = RoutingSnapshotReader.DefaultChunkSize) =>
        RoutingSnapshotReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(answer)), ElbJson.Options, CancellationToken.None, chunkSize);

    /// <summary>What the serializer reads from the answer, as ControlPlaneClient read it before.</summary>
    private static IReadOnlyList<LoadBalancer> SerializerReads(string answer) =>
        JsonSerializer.Deserialize<RoutingSnapshot>(answer, ElbJson.Options)?.LoadBalancers ?? [];

    /// <summary>Load balancers compared by everything they hold (their lists compare by reference).</summary>
    private static string Text(IReadOnlyList<LoadBalancer> loadBalancers) => JsonSerializer.Serialize(loadBalancers, ElbJson.Options);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(RoutingSnapshotReader.DefaultChunkSize)]
    public async Task Load_balancers_split_across_chunks_anywhere_read_whole_and_in_order(int chunkSize)
    {
        Assert.Equal(Text(SerializerReads(Answer)), Text(await Read(Answer, chunkSize)));
    }

    [Fact]
    public async Task A_large_answer_reads_as_the_serializer_reads_it()
    {
        var answer = JsonSerializer.Serialize(new RoutingSnapshot([.. Enumerable.Range(0, 300).Select(i => (i % 2 == 0 ? First : Second) with
        {
            Id = Guid.NewGuid(), Version = i,
        })]), ElbJson.Options);

        var read = await Read(answer, chunkSize: 4096);

        Assert.Equal(300, read.Count);
        Assert.Equal(Text(SerializerReads(answer)), Text(read));
    }

    /// <summary>Answers the gateway does not write, each read as the serializer reads it.</summary>
    public static TheoryData<string> OtherShapes => new()
    {
        """{"loadbalancers":[]}""",
        """{"loadbalancers":null}""",
        """{}""",
        """null""",
        $$"""{"other":{"loadbalancers":[1,{"a":null}]},"loadbalancers":{{Text([First])}},"more":"x","list":[]}""",
        $$"""{"loadbalancers":{{Text([First])}},"loadbalancers":{{Text([Second])}}}""",
        $$"""{"loadbalancers":{{Text([First])}},"loadbalancers":null}""",
        $$"""{"loadbalancer\u0073":{{Text([Second])}}}""",
        $$"""{"LoadBalancers":{{Text([Second])}}}""",
        $$""" { "loadbalancers" : [ {{Text([First])[1..^1]}} , {{Text([Second])[1..^1]}} ] } """,
        JsonSerializer.Serialize(new RoutingSnapshot([First, Second]), new JsonSerializerOptions(ElbJson.Options) { WriteIndented = true }),
    };

    [Theory]
    [MemberData(nameof(OtherShapes))]
    public async Task An_answer_in_another_shape_reads_as_the_serializer_reads_it(string answer)
    {
        foreach (var chunkSize in new[] { 1, 5, RoutingSnapshotReader.DefaultChunkSize })
        {
            Assert.Equal(Text(SerializerReads(answer)), Text(await Read(answer, chunkSize)));
        }
    }

    /// <summary>Answers the serializer refuses, which the reader refuses too.</summary>
    public static TheoryData<string> Refused => new()
    {
        "",
        " ",
        "[]",
        "1",
        """{"loadbalancers":{}}""",
        """{"loadbalancers":"none"}""",
        """{"loadbalancers":[1]}""",
        """{"loadbalancers":[{"id":"not-a-guid"}]}""",
        """{"loadbalancers":[]} x""",
        """{"loadbalancers":[]}{}""",
        """{"loadbalancers":[],}""",
        """{"loadbalancers":[] /* comment */}""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task What_the_serializer_refuses_is_refused(string answer)
    {
        Assert.ThrowsAny<JsonException>(() => SerializerReads(answer));
        foreach (var chunkSize in new[] { 1, 5, RoutingSnapshotReader.DefaultChunkSize })
        {
            await Assert.ThrowsAnyAsync<JsonException>(() => Read(answer, chunkSize));
        }
    }

    [Fact]
    public async Task An_answer_cut_short_anywhere_is_refused()
    {
        for (var length = 0; length < Answer.Length; length++)
        {
            Assert.ThrowsAny<JsonException>(() => SerializerReads(Answer[..length]));
            await Assert.ThrowsAnyAsync<JsonException>(() => Read(Answer[..length], chunkSize: 64));
        }
    }
}
