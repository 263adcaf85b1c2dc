using Elb.Commands.LoadBalancers;
using Marten;

namespace Elb.Commands.Certificates;

/// <summary><c>DELETE /v3/{project_id}/elb/certificates/{id}</c>: refused while a listener presents it.</summary>
public sealed record DeleteCertificate(Guid CertificateId, string ProjectId);

public static class DeleteCertificateRules
{
    public static (CertificateDeleted? Deleted, RuleViolation? Violation) Decide(Certificate? state, DeleteCertificate command,
        IEnumerable<LoadBalancer> loadBalancersOfProject, DateTimeOffset now)
    {
        if (state?.ProjectId != command.ProjectId) return (null, CertificateStream.NotFound(command.CertificateId));
        var user = loadBalancersOfProject.SelectMany(lb => lb.Listeners)
            .FirstOrDefault(l => l.DefaultTlsContainerRef == state.Id || l.SniContainerRefs.Contains(state.Id));
        return user is null
            ? (new CertificateDeleted(state.Id, now), null)
            : (null, RuleViolation.Conflict("ELB.CertificateInUse",
                $"Certificate {state.Id} is presented by listener {user.Id}; take it off the listener first."));
    }
}

public static class DeleteCertificateHandler
{
    /// <remarks>
    /// A listener taking the certificate locks its stream too (<see cref="CertificateLocks"/>), so the listeners read
    /// here cannot gain a reference before this deletion commits.
    /// </remarks>
    public static async Task<CommandOutcome<Guid>> Handle(DeleteCertificate command, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Certificate>(command.CertificateId, cancellation);
        // Only their listeners are read: the snapshots, without their members (LoadBalancerStorage), are enough.
        var loadBalancers = await session.Query<LoadBalancer>().Where(lb => lb.ProjectId == command.ProjectId).ToListAsync(cancellation);
        var (deleted, violation) = DeleteCertificateRules.Decide(stream.Aggregate, command, loadBalancers, clock.GetUtcNow());
        if (violation is not null) return CommandOutcome<Guid>.Refused(violation);

        stream.AppendOne(deleted!);
        return new CommandOutcome<Guid>(command.CertificateId, null);
    }
}

/// <summary>What listeners refer to: each certificate named, locked for the rest of the transaction, if it is the project's.</summary>
public static class CertificateLocks
{
    public const int MaxSniCertificates = 30;

    public static async Task<IReadOnlyDictionary<Guid, Certificate>> LockAsync(IDocumentSession session, string projectId,
        IEnumerable<Guid> ids, CancellationToken cancellation)
    {
        var found = new Dictionary<Guid, Certificate>();
        // In id order, so two transactions locking the same certificates never wait on each other in a cycle.
        foreach (var id in ids.Distinct().Order().Take(MaxSniCertificates + 1))
        {
            if ((await session.Events.FetchForExclusiveWriting<Certificate>(id, cancellation)).Aggregate is { } certificate
                && certificate.ProjectId == projectId)
            {
                found[id] = certificate;
            }
        }
        return found;
    }
}
