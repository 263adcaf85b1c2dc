using Elb.Commands.Identity;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace Elb.Projections.Identity;

public sealed class ProjectProjection : SingleStreamProjection<Project, Guid>
{
    public ProjectProjection()
    {
        IncludeType<ProjectCreated>();
        IncludeType<ProjectDeleted>();
        IncludeType<Elb.Commands.Quotas.QuotaChanged>();
    }

    public override Project? Evolve(Project? snapshot, Guid id, IEvent e) => ProjectStream.Evolve(snapshot, e.Data);
}

public sealed class UserProjection : SingleStreamProjection<User, Guid>
{
    public UserProjection()
    {
        IncludeType<UserCreated>();
        IncludeType<UserDeleted>();
        IncludeType<SystemRoleGranted>();
        IncludeType<SystemRoleRevoked>();
        IncludeType<AccessKeyCreated>();
        IncludeType<AccessKeyDeleted>();
    }

    public override User? Evolve(User? snapshot, Guid id, IEvent e) => UserStream.Evolve(snapshot, e.Data);
}

/// <summary>
/// What authentication looks up by key: an access key by its id, a user's roles by user. A deleted user or project
/// takes its keys and role assignments with it.
/// </summary>
public sealed partial class IdentityIndexProjection : EventProjection
{
    public AccessKeyRecord Create(AccessKeyCreated e) => new(e.AccessKeyId, e.UserId, e.EncryptedSecret, e.CreatedAt);

    public void Project(AccessKeyDeleted e, IDocumentOperations operations) => operations.Delete<AccessKeyRecord>(e.AccessKeyId);

    public RoleAssignment Create(RoleGranted e) =>
        new(RoleAssignment.IdOf(e.ProjectId, e.UserId, e.Role), e.ProjectId, e.UserId, e.Role, e.GrantedAt);

    public void Project(RoleRevoked e, IDocumentOperations operations) =>
        operations.Delete<RoleAssignment>(RoleAssignment.IdOf(e.ProjectId, e.UserId, e.Role));

    public void Project(UserDeleted e, IDocumentOperations operations)
    {
        operations.DeleteWhere<AccessKeyRecord>(k => k.UserId == e.UserId);
        operations.DeleteWhere<RoleAssignment>(r => r.UserId == e.UserId);
    }

    public void Project(ProjectDeleted e, IDocumentOperations operations) =>
        operations.DeleteWhere<RoleAssignment>(r => r.ProjectId == e.ProjectId);
}

public static class IdentityStore
{
    public static void AddIdentityProjections(this StoreOptions options)
    {
        options.Projections.Add<ProjectProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<UserProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<IdentityIndexProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Project>().Identity(p => p.Key);
        options.Schema.For<User>().UniqueIndex(u => u.Name).Index(u => u.ProjectId);
        options.Schema.For<RoleAssignment>().Index(r => r.UserId).Index(r => r.ProjectId);
        options.Schema.For<AccessKeyRecord>().Index(k => k.UserId);
    }
}
