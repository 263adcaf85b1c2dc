namespace Elb.Commands.Listeners;

/// <summary>Which protocols exist and which pool protocols a listener can forward to (ELB v3).</summary>
public static class ProtocolRules
{
    /// <summary>What data-plane nodes serve today: QUIC listeners are accepted but not served yet.</summary>
    public static readonly Protocol[] ServedByNodes = [Protocol.Http, Protocol.Https, Protocol.Tcp, Protocol.Udp];

    public static Protocol[] PoolProtocolsFor(Protocol listenerProtocol) => listenerProtocol switch
    {
        Protocol.Tcp => [Protocol.Tcp],
        Protocol.Udp or Protocol.Quic => [Protocol.Udp, Protocol.Quic],
        Protocol.Http => [Protocol.Http],
        Protocol.Https => [Protocol.Http, Protocol.Https],
    };

    /// <summary>The protocol a request names: the request keeps it as text, so that an unknown one is refused here, by name.</summary>
    public static RuleViolation? Known(string field, string text, out Protocol protocol) => WireNames<Protocol>.TryParse(text, out protocol)
        ? null
        : RuleViolation.Invalid("ELB.UnsupportedProtocol", $"{field} '{text}' is not one of {WireNames<Protocol>.All}.");

    public static RuleViolation? ListenerCanForwardTo(Protocol listenerProtocol, Protocol poolProtocol) =>
        PoolProtocolsFor(listenerProtocol).Contains(poolProtocol)
            ? null
            : RuleViolation.Conflict("ELB.ListenerPoolProtocolMismatch",
                $"A {listenerProtocol.WireName()} listener can forward only to {string.Join(" or ", PoolProtocolsFor(listenerProtocol).Select(p => p.WireName()))} pools, not to a {poolProtocol.WireName()} pool.");
}
