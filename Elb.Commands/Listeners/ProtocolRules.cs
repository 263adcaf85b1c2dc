namespace Elb.Commands.Listeners;

/// <summary>Which protocols exist and which pool protocols a listener can forward to (ELB v3).</summary>
public static class ProtocolRules
{
    public static readonly string[] Protocols = ["TCP", "UDP", "HTTP", "HTTPS", "QUIC"];

    /// <summary>What data-plane nodes serve today: QUIC listeners are accepted but not served yet.</summary>
    public static readonly string[] ServedByNodes = ["HTTP", "HTTPS", "TCP", "UDP"];

    private static readonly Dictionary<string, string[]> PoolProtocolsByListener = new()
    {
        ["TCP"] = ["TCP"],
        ["UDP"] = ["UDP", "QUIC"],
        ["QUIC"] = ["UDP", "QUIC"],
        ["HTTP"] = ["HTTP"],
        ["HTTPS"] = ["HTTP", "HTTPS"],
    };

    public static RuleViolation? Known(string field, string protocol) => Protocols.Contains(protocol)
        ? null
        : RuleViolation.Invalid("ELB.UnsupportedProtocol",
            $"{field} '{protocol}' is not one of {string.Join(", ", Protocols)}.");

    public static RuleViolation? ListenerCanForwardTo(string listenerProtocol, string poolProtocol) =>
        PoolProtocolsByListener[listenerProtocol].Contains(poolProtocol)
            ? null
            : RuleViolation.Conflict("ELB.ListenerPoolProtocolMismatch",
                $"A {listenerProtocol} listener can forward only to {string.Join(" or ", PoolProtocolsByListener[listenerProtocol])} pools, not to a {poolProtocol} pool.");
}
