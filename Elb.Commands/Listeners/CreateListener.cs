using Elb.Commands.Certificates;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Quotas;
using Marten;
using Wolverine.Marten;
using System.Text.Json.Serialization;

namespace Elb.Commands.Listeners;

public sealed record CreateListener(
    string ProjectId,
    Guid? LoadBalancerId,
    string? Name,
    string? Description,
    string? Protocol,
    int? ProtocolPort,
    Guid? DefaultPoolId,
    Guid? DefaultTlsContainerRef = null,
    IReadOnlyList<Guid>? SniContainerRefs = null)
{
    /// <summary>The stream the command decides on (the endpoint refuses a body without a load balancer first).</summary>
    [JsonIgnore]
    public Guid StreamId => LoadBalancerId ?? Guid.Empty;
}

public sealed record ListenerCreated(
    Guid ListenerId,
    string ProjectId,
    Guid LoadBalancerId,
    string Name,
    string Description,
    Protocol Protocol,
    int ProtocolPort,
    Guid? DefaultPoolId,
    DateTimeOffset CreatedAt,
    Guid? DefaultTlsContainerRef = null,
    IReadOnlyList<Guid>? SniContainerRefs = null) : ILoadBalancerEvent;

public static class CreateListenerRules
{
    /// <summary>Checked by the endpoint before the command runs too: without a load balancer there is no stream to lock.</summary>
    public static RuleViolation? LoadBalancerMissing(CreateListener command) =>
        command.LoadBalancerId is null ? RuleViolation.MissingField("listener.loadbalancer_id") : null;

    /// <param name="certificates">The certificates the command names that exist in the project (<see cref="CertificateLocks"/>).</param>
    public static Decision Decide(LoadBalancer? state, CreateListener command, IReadOnlyDictionary<Guid, Certificate> certificates,
        Guid listenerId, DateTimeOffset now)
    {
        if (LoadBalancerMissing(command) is { } missing) return missing;
        if (string.IsNullOrWhiteSpace(command.Protocol)) return RuleViolation.MissingField("listener.protocol");
        if (command.ProtocolPort is not { } port) return RuleViolation.MissingField("listener.protocol_port");
        if (ProtocolRules.Known("Listener protocol", command.Protocol, out var protocol) is { } unknown) return unknown;
        if (port is < 1 or > 65535)
        {
            return RuleViolation.Invalid("ELB.InvalidProtocolPort", $"Listener protocol_port {port} is outside 1-65535.");
        }
        if (state.OwnedBy(command.ProjectId) is not { } loadBalancer) return RuleViolation.NotFound("LoadBalancer", command.LoadBalancerId!);
        if (loadBalancer.Listeners.FirstOrDefault(l => l.ProtocolPort == port) is { } taken)
        {
            return RuleViolation.Conflict("ELB.ListenerPortInUse",
                $"Port {port} of load balancer {loadBalancer.Id} is already used by listener {taken.Id}.");
        }
        if (loadBalancer.IpTargetEnable && !IpAsBackendRules.ListenerProtocols.Contains(protocol))
        {
            return RuleViolation.Conflict("ELB.IpAsBackendListenerProtocol",
                $"Load balancer {loadBalancer.Id} has IP as a backend enabled, so only TCP, HTTP and HTTPS listeners can be added, not {protocol.WireName()}.");
        }
        if (ListenerRules.DefaultPoolFits(loadBalancer, protocol, command.DefaultPoolId) is { } misfit) return misfit;
        var sni = command.SniContainerRefs ?? [];
        if (ListenerRules.CertificatesFit(protocol, command.DefaultTlsContainerRef, sni, certificates) is { } badTls) return badTls;

        return Decision.Accept(new ListenerCreated(listenerId, loadBalancer.ProjectId, loadBalancer.Id,
            command.Name ?? "", command.Description ?? "", protocol, port, command.DefaultPoolId, now,
            command.DefaultTlsContainerRef, [.. sni.Distinct()]));
    }
}

public static class ListenerRules
{
    public static RuleViolation? DefaultPoolFits(LoadBalancer loadBalancer, Protocol listenerProtocol, Guid? defaultPoolId)
    {
        if (defaultPoolId is not { } poolId) return null;
        if (loadBalancer.FindPool(poolId) is not { } pool)
        {
            return RuleViolation.Conflict("ELB.PoolNotInLoadBalancer",
                $"Pool {poolId} is not a pool of load balancer {loadBalancer.Id}.");
        }
        return ProtocolRules.ListenerCanForwardTo(listenerProtocol, pool.Protocol);
    }

    /// <summary>
    /// ELB v3's certificates of an HTTPS listener: the default one, and up to 30 more chosen by the name a client asks
    /// for (SNI); each a certificate of the project. Without a default, the node's own certificate is presented.
    /// </summary>
    public static RuleViolation? CertificatesFit(Protocol protocol, Guid? defaultRef, IReadOnlyList<Guid> sniRefs,
        IReadOnlyDictionary<Guid, Certificate> certificates)
    {
        if (defaultRef is null && sniRefs.Count == 0) return null;
        if (protocol != Protocol.Https)
        {
            return RuleViolation.Invalid("ELB.TlsOnlyForHttps",
                $"'default_tls_container_ref' and 'sni_container_refs' apply to HTTPS listeners, not to a {protocol.WireName()} listener.");
        }
        if (sniRefs.Count > CertificateLocks.MaxSniCertificates)
        {
            return RuleViolation.Invalid("ELB.TooManySniCertificates",
                $"A listener takes at most {CertificateLocks.MaxSniCertificates} SNI certificates, not {sniRefs.Count}.");
        }
        foreach (var id in sniRefs.Prepend(defaultRef ?? Guid.Empty).Where(id => id != Guid.Empty))
        {
            if (!certificates.ContainsKey(id)) return CertificateStream.NotFound(id);
        }
        return null;
    }

    /// <summary>The certificates a listener command names, to lock before deciding.</summary>
    public static IEnumerable<Guid> CertificatesNamed(Guid? defaultRef, IReadOnlyList<Guid>? sniRefs) =>
        (sniRefs ?? []).Take(CertificateLocks.MaxSniCertificates + 1).Prepend(defaultRef ?? Guid.Empty).Where(id => id != Guid.Empty);
}

public static class CreateListenerHandler
{
    public static async Task<(CommandOutcome<Guid>, Events)> Handle(CreateListener command,
        [WriteAggregate(nameof(CreateListener.StreamId), LoadStyle = ConcurrencyStyle.Exclusive, Required = false)] LoadBalancer? state,
        IDocumentSession session, IProjectUsage usage, TimeProvider clock, CancellationToken cancellation)
    {
        var listenerId = Guid.CreateVersion7();
        var certificates = await CertificateLocks.LockAsync(session, command.ProjectId,
            ListenerRules.CertificatesNamed(command.DefaultTlsContainerRef, command.SniContainerRefs), cancellation);
        return await CreateListenerRules.Decide(state, command, certificates, listenerId, clock.GetUtcNow())
            .OutcomeWithinQuotaAsync(state, listenerId, session, usage, cancellation);
    }
}
