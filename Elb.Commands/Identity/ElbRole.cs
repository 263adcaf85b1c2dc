using System.Text.Json.Serialization;

namespace Elb.Commands.Identity;

/// <summary>
/// Octavia's role model under Elb's names. The first three are held in a project; the last three system-wide.
/// </summary>
public enum ElbRole
{
    /// <summary>Reads the project's resources, history and event feed.</summary>
    [JsonStringEnumMemberName("elb_viewer")] Viewer,

    /// <summary>Reads and writes the project's resources.</summary>
    [JsonStringEnumMemberName("elb_member")] Member,

    /// <summary>A member who also manages the project's users, role assignments, keys and subscriber credentials.</summary>
    [JsonStringEnumMemberName("elb_admin")] Admin,

    /// <summary>Reads every project.</summary>
    [JsonStringEnumMemberName("elb_global_viewer")] GlobalViewer,

    /// <summary>Everything, including creating projects and issuing node credentials.</summary>
    [JsonStringEnumMemberName("elb_system_admin")] SystemAdmin,

    /// <summary>Exactly what a data-plane node needs: routing snapshots, heartbeats and health reports.</summary>
    [JsonStringEnumMemberName("elb_dataplane")] DataPlane,
}

public static class ElbRoles
{
    private static readonly Dictionary<string, ElbRole> ByName = Enum.GetValues<ElbRole>().ToDictionary(Name, StringComparer.Ordinal);

    /// <summary>The role's name on the wire, e.g. <c>elb_member</c>.</summary>
    public static string Name(this ElbRole role) => role switch
    {
        ElbRole.Viewer => "elb_viewer",
        ElbRole.Member => "elb_member",
        ElbRole.Admin => "elb_admin",
        ElbRole.GlobalViewer => "elb_global_viewer",
        ElbRole.SystemAdmin => "elb_system_admin",
        ElbRole.DataPlane => "elb_dataplane",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? name, out ElbRole role) => ByName.TryGetValue(name ?? "", out role);

    public static bool IsProjectRole(this ElbRole role) => role is ElbRole.Viewer or ElbRole.Member or ElbRole.Admin;

    /// <summary>The role named, if it is one of the scope's: project roles in a project, system roles without one.</summary>
    public static bool TryParseFor(string? name, string? projectId, out ElbRole role) =>
        TryParse(name, out role) && role.IsProjectRole() == projectId is not null;

    /// <summary>Whether the user holds the role in the project, or system-wide without one.</summary>
    public static async Task<bool> IsHeldAsync(this Marten.IQuerySession session, string? projectId, Guid userId, ElbRole role,
        CancellationToken cancellation) => projectId is not null
        ? await session.LoadAsync<RoleAssignment>(RoleAssignment.IdOf(projectId, userId, role), cancellation) is not null
        : (await session.LoadAsync<User>(userId, cancellation))?.SystemRoles.Contains(role) == true;

    public static RuleViolation Unknown(string? name, bool projectScope) => RuleViolation.Invalid("ELB.UnknownRole",
        $"'{name}' is not a {(projectScope ? "project" : "system")} role; use one of "
        + string.Join(", ", Enum.GetValues<ElbRole>().Where(r => r.IsProjectRole() == projectScope).Select(Name)) + ".");
}
