using System.Security.Cryptography;
using Elb.Commands.Identity;

namespace Elb.Commands.Tests.Identity;

public sealed class IdentityRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Project MyProject = new(ProjectStream.Key("my-project"), "my-project", "my-project", "", Now);
    private static readonly User Alice = new(Guid.CreateVersion7(), "alice", "my-project", null, [], [], Now);

    [Theory]
    [InlineData("a.b")]
    [InlineData("x\n")]
    [InlineData("-dash")]
    [InlineData("users")]
    [InlineData("OS-CREDENTIAL")]
    public void A_project_id_that_could_not_be_a_routing_key_word_or_reads_as_another_route_is_refused(string id) =>
        Assert.Equal("ELB.InvalidProjectId", CreateProjectRules.Decide(null, new CreateProject(id, null, null), id, Now).Violation?.ErrorCode);

    [Fact]
    public void A_project_is_created_once()
    {
        var command = new CreateProject("my-project", null, null);
        Assert.IsType<ProjectCreated>(Assert.Single(CreateProjectRules.Decide(null, command, "my-project", Now).Events));
        Assert.Equal("ELB.ProjectExists", CreateProjectRules.Decide(MyProject, command, "my-project", Now).Violation?.ErrorCode);
    }

    [Fact]
    public void A_project_with_load_balancers_is_not_deleted() =>
        Assert.Equal("ELB.ProjectInUse", DeleteProjectRules.Decide(MyProject, 1, new DeleteProject("my-project"), Now).Violation?.ErrorCode);

    [Theory]
    [InlineData("bob", "short", "my-project", false, "ELB.InvalidPassword")]
    [InlineData("bob\n", null, "my-project", false, "ELB.InvalidUserName")]
    [InlineData("bob", null, "nowhere", false, "ELB.ProjectNotFound")]
    [InlineData("bob", null, "my-project", true, "ELB.UserNameTaken")]
    public void A_user_needs_a_valid_unique_name_a_long_enough_password_and_an_existing_project(string name, string? password,
        string project, bool taken, string errorCode)
    {
        var decision = CreateUserRules.Decide(new CreateUser(name, password, project, null), taken,
            project == "my-project" ? MyProject : null, Guid.CreateVersion7(), p => $"hash:{p}", Now);
        Assert.Equal(errorCode, decision.Violation?.ErrorCode);
    }

    [Fact]
    public void A_password_is_kept_only_as_its_hash()
    {
        var created = (UserCreated)Assert.Single(CreateUserRules.Decide(new CreateUser("bob", "long enough", "my-project", null), false,
            MyProject, Guid.CreateVersion7(), p => $"hash:{p}", Now).Events);
        Assert.Equal("hash:long enough", created.PasswordHash);
    }

    [Theory]
    [InlineData("my-project", "elb_system_admin")]
    [InlineData(null, "elb_member")]
    [InlineData("my-project", "admin")]
    public void A_role_must_belong_to_its_scope(string? project, string role) =>
        Assert.Equal("ELB.UnknownRole", GrantRoleRules.Decide(new GrantRole(project, Alice.Id, role), MyProject, Alice, false, Now).Violation?.ErrorCode);

    [Fact]
    public void Granting_a_role_already_held_changes_nothing_and_revoking_one_not_held_is_not_found()
    {
        Assert.Empty(GrantRoleRules.Decide(new GrantRole("my-project", Alice.Id, "elb_viewer"), MyProject, Alice, true, Now).Events);
        Assert.IsType<SystemRoleGranted>(Assert.Single(
            GrantRoleRules.Decide(new GrantRole(null, Alice.Id, "elb_dataplane"), null, Alice, false, Now).Events));
        Assert.Equal("ELB.RoleAssignmentNotFound",
            RevokeRoleRules.Decide(new RevokeRole("my-project", Alice.Id, "elb_viewer"), false, Now).Violation?.ErrorCode);
    }

    [Fact]
    public void A_user_holds_at_most_two_access_keys_and_loses_them_when_deleted()
    {
        var withTwo = new[] { "AK1", "AK2" }.Aggregate(Alice, (user, key) =>
            UserStream.Evolve(user, new AccessKeyCreated(user.Id, key, "v1:sealed", "", Now))!);
        Assert.Equal(["AK1", "AK2"], withTwo.AccessKeys.Select(k => k.AccessKeyId));
        Assert.Equal("ELB.AccessKeyLimit",
            CreateAccessKeyRules.Decide(withTwo, new CreateAccessKey(Alice.Id, null), "AK3", "v1:sealed", Now).Violation?.ErrorCode);
        var afterOneDeleted = UserStream.Evolve(withTwo, new AccessKeyDeleted(Alice.Id, "AK1", Now))!;
        Assert.Single(CreateAccessKeyRules.Decide(afterOneDeleted, new CreateAccessKey(Alice.Id, null), "AK3", "v1:sealed", Now).Events);
        Assert.Null(UserStream.Evolve(withTwo, new UserDeleted(Alice.Id, Now)));
    }

    [Fact]
    public void A_secret_sealed_under_one_key_opens_only_under_that_key_and_not_once_altered()
    {
        var protector = new SecretProtector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var sealedSecret = protector.Protect("the-secret");
        Assert.DoesNotContain("the-secret", sealedSecret);
        Assert.Equal("the-secret", protector.Unprotect(sealedSecret));
        Assert.Null(new SecretProtector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Unprotect(sealedSecret));
        // a character in the middle, changed in a bit that base64 never discards
        var middle = sealedSecret.Length / 2;
        var altered = sealedSecret[..middle] + (sealedSecret[middle] == 'g' ? 'A' : 'g') + sealedSecret[(middle + 1)..];
        Assert.Null(protector.Unprotect(altered));
        Assert.Null(protector.Unprotect("v1:not base64!"));
    }

    [Fact]
    public void A_password_hash_verifies_only_its_password()
    {
        var hash = PasswordHash.Create("correct horse");
        Assert.True(PasswordHash.Verify("correct horse", hash));
        Assert.False(PasswordHash.Verify("correct hors", hash));
        Assert.NotEqual(hash, PasswordHash.Create("correct horse"));
    }
}
