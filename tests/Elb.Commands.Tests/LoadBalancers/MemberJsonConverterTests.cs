using System.Text.Json;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Listeners;
using Elb.Commands.LoadBalancers;

namespace Elb.Commands.Tests.LoadBalancers;

/// <summary>
/// The hand-written member converters read and write exactly what the serializer's own metadata does with
/// <see cref="ElbJson"/>'s options: what a node, the digests and the bus see cannot change by their being faster.
/// </summary>
public class MemberJsonConverterTests
{
    /// <summary>ElbJson's options as they were before the hand-written converters: the serializer's own metadata.</summary>
    private static readonly JsonSerializerOptions Metadata = WithoutHandWrittenConverters();

    private static JsonSerializerOptions WithoutHandWrittenConverters()
    {
        var options = new JsonSerializerOptions(ElbJson.Options);
        foreach (var converter in options.Converters.Where(c => c is MemberJsonConverter or MemberSlowStartJsonConverter).ToList())
        {
            options.Converters.Remove(converter);
        }
        return options;
    }

    private static readonly DateTimeOffset At = new(2026, 12, 2, 7, 42, 51, 213, TimeSpan.FromHours(1));

    private static MemberSlowStart SlowStartIn(SlowStartPhase phase) => phase switch
    {
        SlowStartPhase.None => MemberSlowStart.None,
        SlowStartPhase.Pending => MemberSlowStart.Pending,
        SlowStartPhase.Active => new MemberSlowStart(phase, At, At.AddSeconds(30)),
        SlowStartPhase.Ended => new MemberSlowStart(phase, At.AddTicks(1), At.AddMinutes(1)),
    };

    /// <summary>Every operating status with every slow start phase, with the optional fields null and then all set.</summary>
    private static List<Member> AllMembers()
    {
        List<Member> members = [];
        foreach (var status in Enum.GetValues<MemberOperatingStatus>())
        {
            foreach (var phase in Enum.GetValues<SlowStartPhase>())
            {
                members.Add(new Member(Guid.NewGuid(), "", "10.0.0.1", 80, 1, "ip", null, null, null, null, status, null,
                    SlowStartIn(phase), At, At));
                members.Add(new Member(Guid.NewGuid(), "web-1", "2001:db8::1", 65535, 100, "instance", "ecs-1", "subnet-1", "az-2",
                    "Linux", status, At.AddSeconds(5), SlowStartIn(phase), At, At.AddDays(1)));
            }
        }
        // Text the encoder escapes: written the same only if both write through the same encoder.
        members.Add(new Member(Guid.Empty, "\"web\" <é> + 'ü' \\ \u2028", "10.0.0.2", 0, 0, "ip", "i\n", null, "az-1", "Windows\t",
            MemberOperatingStatus.Offline, At, MemberSlowStart.Pending, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        // Nothing in Elb makes these, but the serializer's metadata would write them as they are.
        members.Add(new Member(Guid.NewGuid(), null!, null!, -1, int.MaxValue, null!, null, null, null, null,
            MemberOperatingStatus.NoMonitor, null, null!, At, At));
        members.Add(new Member(Guid.NewGuid(), "", "10.0.0.3", 80, 1, "ip", null, null, null, null,
            MemberOperatingStatus.Online, null, new MemberSlowStart(SlowStartPhase.Active, null, At), At, At));
        return members;
    }

    public static TheoryData<Member> Members() => new(AllMembers());

    [Theory]
    [MemberData(nameof(Members))]
    public void A_member_is_written_byte_for_byte_as_the_metadata_writes_it(Member member)
    {
        Assert.Equal(JsonSerializer.Serialize(member, Metadata), JsonSerializer.Serialize(member, ElbJson.Options));
    }

    [Theory]
    [MemberData(nameof(Members))]
    public void What_the_metadata_wrote_reads_back_into_the_same_member(Member member)
    {
        var written = JsonSerializer.Serialize(member, Metadata);

        Assert.Equal(member, JsonSerializer.Deserialize<Member>(written, ElbJson.Options));
    }

    [Fact]
    public void A_routing_snapshot_is_written_byte_for_byte_as_the_metadata_writes_it()
    {
        var members = AllMembers();
        var pool = new Pool(Guid.NewGuid(), "pool", "", null, Protocol.Http, LbAlgorithm.RoundRobin, "", null, SlowStartSettings.Disabled,
            false, null, ConnectionDrain.Disabled, members, At, At);
        var snapshot = new RoutingSnapshot([new LoadBalancer(Guid.NewGuid(), "p", "lb", "", "vpc-1", null, null, ["az-1"], true, true, [],
            [pool, pool with { Id = Guid.NewGuid(), Members = [] }], At, At, 7)]);

        var written = JsonSerializer.Serialize(snapshot, ElbJson.Options);

        Assert.Equal(JsonSerializer.Serialize(snapshot, Metadata), written);
        Assert.Equal(members, JsonSerializer.Deserialize<RoutingSnapshot>(written, ElbJson.Options)!.LoadBalancers[0].Pools[0].Members);
    }

    [Fact]
    public void Members_that_never_began_a_slow_start_share_its_one_value()
    {
        var read = JsonSerializer.Deserialize<List<Member>>(JsonSerializer.Serialize(AllMembers(), Metadata), ElbJson.Options)!;

        Assert.All(read.Where(m => m.SlowStart == MemberSlowStart.None), m => Assert.Same(MemberSlowStart.None, m.SlowStart));
        Assert.All(read.Where(m => m.SlowStart == MemberSlowStart.Pending), m => Assert.Same(MemberSlowStart.Pending, m.SlowStart));
    }

    /// <summary>JSON the converters never write, each read as the metadata reads it.</summary>
    public static TheoryData<string> OtherShapes => new()
    {
        // Another order, with properties no member has (of every kind), which are passed over.
        """{"updated_at":"2026-12-02T07:42:51+00:00","extra":{"id":"00000000-0000-0000-0000-000000000001","a":[1,{"b":null}]},"slow_start":{"ends_at":"2026-12-02T07:43:21+00:00","more":[],"phase":"ACTIVE","started_at":"2026-12-02T07:42:51+00:00"},"weight":3,"id":"01a235b4-cd4d-7ff5-a54e-e5cd92d4694b","operating_status":"OFFLINE","address":"10.0.0.1","created_at":"2026-12-02T07:42:50+00:00","protocol_port":8080,"name":"n","member_type":"ip","list":[]}""",
        // Missing properties stay at their defaults: no slow start, the enum's first value, empty dates.
        """{}""",
        """{"id":"01a235b4-cd4d-7ff5-a54e-e5cd92d4694b","slow_start":{}}""",
        """{"slow_start":null,"health_observed_at":null,"os":null,"name":null}""",
        // A property given twice: the last one counts.
        """{"weight":1,"weight":2,"slow_start":{"phase":"PENDING","phase":"ENDED"}}""",
        // Names and values escaped as another writer may escape them.
        """{"\u0069d":"01a235b4-cd4d-7ff5-a54e-e5cd92d4694b","name":"\u0077eb\"1\"","operating_\u0073tatus":"NO_MONITOR","slow_start":{"ph\u0061se":"ENDED"}}""",
        // Enum names in another case, which the enum converter takes.
        """{"operating_status":"Offline","slow_start":{"phase":"ended"}}""",
        // Names differing only in case are other properties (the options match case).
        """{"ID":"01a235b4-cd4d-7ff5-a54e-e5cd92d4694b","Weight":4,"SlowStart":{"phase":"ACTIVE"}}""",
    };

    [Theory]
    [MemberData(nameof(OtherShapes))]
    public void A_member_in_another_shape_reads_as_the_metadata_reads_it(string json)
    {
        Assert.Equal(JsonSerializer.Deserialize<Member>(json, Metadata), JsonSerializer.Deserialize<Member>(json, ElbJson.Options));
    }

    /// <summary>JSON the metadata refuses, which the converters refuse too.</summary>
    public static TheoryData<string> Refused => new()
    {
        """[]""",
        "\"member\"",
        """{"operating_status":2}""",
        """{"operating_status":null}""",
        """{"slow_start":{"phase":1}}""",
        """{"slow_start":[]}""",
        """{"protocol_port":null}""",
        """{"protocol_port":"80"}""",
        """{"weight":1.5}""",
        """{"id":"not-a-guid"}""",
        """{"id":null}""",
        """{"name":1}""",
        """{"created_at":"yesterday"}""",
        """{"created_at":null}""",
        """{"health_observed_at":"yesterday"}""",
        """{"slow_start":{"started_at":1}}""",
        """{"weight":1""",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void What_the_metadata_refuses_is_refused(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Member>(json, Metadata));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Member>(json, ElbJson.Options));
    }
}
