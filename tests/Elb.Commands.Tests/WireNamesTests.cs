using System.Text.Json;
using Elb.Commands.BackendServerGroups;
using Elb.Commands.HealthChecks;
using Elb.Commands.Inventory;
using Elb.Commands.Listeners;
using Elb.Projections.LoadBalancers;

namespace Elb.Commands.Tests;

public class WireNamesTests
{
    /// <summary>Every vocabulary value and how the API and the stored events have always spelled it.</summary>
    public static TheoryData<Enum, string> Vocabulary => new()
    {
        { Protocol.Tcp, "TCP" }, { Protocol.Udp, "UDP" }, { Protocol.Http, "HTTP" }, { Protocol.Https, "HTTPS" }, { Protocol.Quic, "QUIC" },
        { LbAlgorithm.RoundRobin, "ROUND_ROBIN" }, { LbAlgorithm.LeastConnections, "LEAST_CONNECTIONS" }, { LbAlgorithm.SourceIp, "SOURCE_IP" },
        { StickySessionType.SourceIp, "SOURCE_IP" }, { StickySessionType.HttpCookie, "HTTP_COOKIE" }, { StickySessionType.AppCookie, "APP_COOKIE" },
        { HealthMonitorType.Tcp, "TCP" }, { HealthMonitorType.UdpConnect, "UDP_CONNECT" }, { HealthMonitorType.Http, "HTTP" },
        { HealthMonitorType.Https, "HTTPS" },
        { MemberOperatingStatus.Online, "ONLINE" }, { MemberOperatingStatus.Offline, "OFFLINE" }, { MemberOperatingStatus.NoMonitor, "NO_MONITOR" },
        { OperatingStatus.Online, "ONLINE" }, { OperatingStatus.Degraded, "DEGRADED" }, { OperatingStatus.Offline, "OFFLINE" },
        { ProvisioningStatus.Active, "ACTIVE" },
        { ServerStatus.Running, "running" }, { ServerStatus.Stopped, "stopped" },
        { ServerPowerAction.Stop, "stop" }, { ServerPowerAction.Start, "start" }, { ServerPowerAction.Restart, "restart" },
    };

    [Theory]
    [MemberData(nameof(Vocabulary))]
    public void Each_value_is_written_by_its_name_whatever_the_serializer_options(Enum value, string name)
    {
        // Default options are what Marten's serializer brings for enums (numbers) unless the type says otherwise.
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value, value.GetType()));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value, value.GetType(), ElbJson.Options));
        Assert.Equal(value, JsonSerializer.Deserialize($"\"{name}\"", value.GetType()));
    }

    [Fact]
    public void A_name_parses_exactly_as_written()
    {
        Assert.True(WireNames<StickySessionType>.TryParse("HTTP_COOKIE", out var type));
        Assert.Equal(StickySessionType.HttpCookie, type);
        Assert.Equal("HTTP_COOKIE", type.WireName());
    }

    [Theory]
    [InlineData("http_cookie")]
    [InlineData("HttpCookie")]
    [InlineData(" HTTP_COOKIE")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_no_name(string? text)
    {
        Assert.False(WireNames<StickySessionType>.TryParse(text, out _));
    }

    [Fact]
    public void Refusals_list_the_names_in_the_order_the_enum_declares_them()
    {
        Assert.Equal("TCP, UDP, HTTP, HTTPS, QUIC", WireNames<Protocol>.All);
        Assert.Equal("ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP", WireNames<LbAlgorithm>.All);
    }

    [Fact]
    public void A_value_no_case_names_has_no_name_and_says_so()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((Protocol)99).WireName());
    }

    [Fact]
    public void A_number_is_not_read_as_a_value()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Protocol>("2"));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Protocol>("2", ElbJson.Options));
    }
}
