using System.Net;
using System.Text;
using System.Text.Json;
using Elb.Commands.Identity;
using Elb.Gateway.Identity;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Elb.IntegrationTests.Identity;

/// <summary>Projects, users, roles and keys through the Keystone/IAM-shaped API, and what each credential then may do.</summary>
[Collection(GatewayCollection.Name)]
public sealed class IdentityApiTests(GatewayFixture fixture)
{
    private readonly ElbApi _admin = new(fixture.Gateway);

    [Fact]
    public async Task A_project_admin_grants_a_role_issues_a_key_once_and_revoking_either_ends_access_at_once()
    {
        var loadBalancerId = await _admin.CreateLoadBalancerWithSubnetAsync();
        var viewer = await _admin.CreateUserAsync(_admin.Project, ElbRole.Viewer);
        await _admin.PutAsync($"/v3/projects/{_admin.Project}/users/{viewer.Id}/roles/elb_viewer", "", 204);
        var asViewer = Signed(viewer);

        Assert.Equal(HttpStatusCode.OK, (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers/{loadBalancerId}")).StatusCode);
        var write = await asViewer.PostAsync($"/v3/{_admin.Project}/elb/loadbalancers", Json("""{"loadbalancer": {}}"""));
        Assert.Equal((HttpStatusCode.Forbidden, "ELB.Forbidden"), (write.StatusCode, await ErrorCode(write)));

        var key = (await _admin.GetAsync($"/v3.0/OS-CREDENTIAL/credentials/{viewer.AccessKey}")).GetProperty("credential");
        Assert.Equal(JsonValueKind.Null, key.GetProperty("secret").ValueKind);
        Assert.Equal(viewer.Id, key.GetProperty("user_id").GetString());

        await _admin.DeleteAsync($"/v3/projects/{_admin.Project}/users/{viewer.Id}/roles/elb_viewer");
        Assert.Equal(HttpStatusCode.NotFound, (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers/{loadBalancerId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).StatusCode);

        await _admin.DeleteAsync($"/v3.0/OS-CREDENTIAL/credentials/{viewer.AccessKey}");
        var deleted = await asViewer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers");
        Assert.Equal((HttpStatusCode.Unauthorized, "ELB.AccessKeyInvalid"), (deleted.StatusCode, await ErrorCode(deleted)));
    }

    [Fact]
    public async Task A_user_holds_at_most_two_keys_and_a_project_admin_cannot_reach_another_projects_users()
    {
        var member = await _admin.CreateUserAsync(_admin.Project, ElbRole.Member);
        await _admin.PostAsync("/v3.0/OS-CREDENTIAL/credentials", $$$"""{"credential": {"user_id": "{{{member.Id}}}"}}""");
        var third = await _admin.PostAsync("/v3.0/OS-CREDENTIAL/credentials", $$$"""{"credential": {"user_id": "{{{member.Id}}}"}}""", 409);
        Assert.Equal("ELB.AccessKeyLimit", third.GetProperty("error_code").GetString());

        var other = new ElbApi(fixture.Gateway);
        var stranger = await other.CreateUserAsync(other.Project, ElbRole.Member);
        await _admin.PostAsync("/v3/users", $$$"""{"user": {"name": "x-{{{Guid.NewGuid():N}}}", "default_project_id": "{{{other.Project}}}"}}""", 403);
        await _admin.GetAsync($"/v3/users/{stranger.Id}", 404);
        await _admin.PostAsync("/v3.0/OS-CREDENTIAL/credentials", $$$"""{"credential": {"user_id": "{{{stranger.Id}}}"}}""", 404);
        await _admin.DeleteAsync($"/v3.0/OS-CREDENTIAL/credentials/{stranger.AccessKey}", 404);
        await ElbApi.SystemAdmin(fixture.Gateway).GetAsync($"/v3/{Guid.NewGuid():N}/elb/loadbalancers", 404);
    }

    [Fact]
    public async Task Secrets_and_passwords_are_kept_only_encrypted_or_hashed_and_never_shown_in_the_history()
    {
        var name = $"pw-{Guid.NewGuid():N}";
        const string password = "correct horse battery";
        var user = (await _admin.PostAsync("/v3/users",
            $$$"""{"user": {"name": "{{{name}}}", "password": "{{{password}}}", "default_project_id": "{{{_admin.Project}}}"}}""")).GetProperty("user");
        var key = (await _admin.PostAsync("/v3.0/OS-CREDENTIAL/credentials",
            $$$"""{"credential": {"user_id": "{{{user.GetProperty("id").GetString()}}}"}}""")).GetProperty("credential");
        var secret = key.GetProperty("secret").GetString()!;

        await using var connection = new NpgsqlConnection(fixture.Services.Postgres);
        await connection.OpenAsync();
        foreach (var plain in new[] { secret, password })
        {
            await using var command = new NpgsqlCommand($"""
                select (select count(*) from {GatewayFixture.Schema}.mt_events where data::text like '%' || @p || '%')
                     + (select count(*) from {GatewayFixture.Schema}.mt_doc_accesskeyrecord where data::text like '%' || @p || '%')
                     + (select count(*) from {GatewayFixture.Schema}.mt_doc_user where data::text like '%' || @p || '%')
                """, connection);
            command.Parameters.AddWithValue("p", plain);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }

        var history = (await _admin.GetAsync($"/v3/projects/{_admin.Project}/history")).GetProperty("events").EnumerateArray().ToList();
        var created = history.Single(e => e.GetProperty("type").GetString() == "access_key_created"
            && e.GetProperty("data").GetProperty("access_key_id").GetString() == key.GetProperty("access").GetString());
        Assert.Equal("[redacted]", created.GetProperty("data").GetProperty("encrypted_secret").GetString());
        Assert.Equal(_admin.User!.Id, created.GetProperty("principal").GetProperty("user_id").GetString());
        var granted = history.First(e => e.GetProperty("type").GetString() == "role_granted");
        Assert.Equal(TestIdentity.SystemAdmin.UserName, granted.GetProperty("user").GetString());
    }

    [Fact]
    public async Task A_password_token_scoped_to_a_project_works_as_x_auth_token_and_bearer_and_is_recorded_as_the_principal()
    {
        var name = $"tok-{Guid.NewGuid():N}";
        var userId = (await _admin.PostAsync("/v3/users",
            $$$"""{"user": {"name": "{{{name}}}", "password": "s3cret-pass", "default_project_id": "{{{_admin.Project}}}"}}"""))
            .GetProperty("user").GetProperty("id").GetString();
        await _admin.PutAsync($"/v3/projects/{_admin.Project}/users/{userId}/roles/elb_member", "", 204);

        using var anonymous = Anonymous();
        var issued = await anonymous.PostAsync("/v3/auth/tokens", Json(PasswordAuth(name, "s3cret-pass", _admin.Project)));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var token = issued.Headers.GetValues("X-Subject-Token").Single();
        var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token");
        Assert.Equal("elb_member", body.GetProperty("roles")[0].GetProperty("name").GetString());
        Assert.InRange(body.GetProperty("expires_at").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));

        using var withToken = Anonymous();
        withToken.DefaultRequestHeaders.Add("X-Auth-Token", token);
        var created = await withToken.PostAsync($"/v3/{_admin.Project}/inventory/subnets",
            Json("""{"subnet": {"id": "tok-subnet", "vpc_id": "vpc-1", "cidr": "10.9.0.0/24", "availability_zone": "az-1"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var bearer = Anonymous();
        bearer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers")).StatusCode);
        var elsewhere = await bearer.GetAsync($"/v3/{new ElbApi(fixture.Gateway).Project}/elb/loadbalancers");
        Assert.Contains(elsewhere.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });

        var wrong = await anonymous.PostAsync("/v3/auth/tokens", Json(PasswordAuth(name, "not-it", _admin.Project)));
        Assert.Equal((HttpStatusCode.Unauthorized, "ELB.AuthenticationFailed"), (wrong.StatusCode, await ErrorCode(wrong)));
        var otherScope = await anonymous.PostAsync("/v3/auth/tokens", Json(PasswordAuth(name, "s3cret-pass", new ElbApi(fixture.Gateway).Project)));
        Assert.Equal(HttpStatusCode.Unauthorized, otherScope.StatusCode);
    }

    [Fact]
    public async Task A_tampered_or_expired_token_is_refused_with_its_code()
    {
        var user = await _admin.GetAsync($"/v3/users/{(await Me()).Id}");
        var issuer = new TokenIssuer(new SymmetricSecurityKey(Convert.FromBase64String(TestIdentity.TokenSigningKey)), TimeSpan.FromHours(1),
            new FixedClock(DateTimeOffset.UtcNow.AddHours(-3)));
        var me = new User(Guid.Parse((await Me()).Id), user.GetProperty("user").GetProperty("name").GetString()!, _admin.Project, null, [], [],
            DateTimeOffset.UtcNow);
        var expired = issuer.Issue(me, _admin.Project, "password").Token;

        foreach (var (token, code) in new[] { (expired, "ELB.TokenExpired"), (expired[..^4] + "AAAA", "ELB.TokenInvalid") })
        {
            using var client = Anonymous();
            client.DefaultRequestHeaders.Add("X-Auth-Token", token);
            var response = await client.GetAsync($"/v3/{_admin.Project}/elb/loadbalancers");
            Assert.Equal((HttpStatusCode.Unauthorized, code), (response.StatusCode, await ErrorCode(response)));
        }
    }

    [Fact]
    public async Task An_ak_sk_signed_token_request_with_no_identity_in_the_body_is_the_signers_token()
    {
        var me = await Me();
        using var signed = Signed(me);
        var issued = await signed.PostAsync("/v3/auth/tokens", Json(JsonSerializer.Serialize(new { auth = new { scope = new { project = new { name = _admin.Project } } } })));

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("token");
        Assert.Equal(me.Id, body.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("elb_admin", body.GetProperty("roles")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_nodes_admin_api_answers_only_system_tokens_and_leaves_health_and_metrics_open()
    {
        await using var node = await fixture.StartDataPlaneAsync($"admin-{Guid.NewGuid():N}"[..20]);
        using var anonymous = node.Host.Server.CreateClient();
        var refused = await anonymous.GetAsync("/routing");
        Assert.Equal((HttpStatusCode.Unauthorized, "ELB.AuthenticationRequired"), (refused.StatusCode, await ErrorCode(refused)));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/health")).StatusCode);

        using var tokenClient = Signed(await Me());
        var memberToken = (await tokenClient.PostAsync("/v3/auth/tokens", Json("""{"auth": {}}"""))).Headers.GetValues("X-Subject-Token").Single();
        using var member = node.Host.Server.CreateClient();
        member.DefaultRequestHeaders.Add("X-Auth-Token", memberToken);
        var forbidden = await member.GetAsync("/routing");
        Assert.Equal((HttpStatusCode.Forbidden, "ELB.Forbidden"), (forbidden.StatusCode, await ErrorCode(forbidden)));
        using var admin = node.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/routing")).StatusCode);
    }

    private async Task<ElbApi.ElbUser> Me()
    {
        await _admin.GetAsync("elb/loadbalancers");
        return _admin.User!;
    }

    private static string PasswordAuth(string name, string password, string project) =>
        JsonSerializer.Serialize(new
        {
            auth = new
            {
                identity = new { methods = new[] { "password" }, password = new { user = new { name, password } } },
                scope = new { project = new { id = project } },
            },
        });

    private HttpClient Anonymous() => new(fixture.Gateway.Server.CreateHandler()) { BaseAddress = fixture.Gateway.Server.BaseAddress };

    private HttpClient Signed(ElbApi.ElbUser user) => TestIdentity.SignedClient(fixture.Gateway, user.AccessKey, user.SecretKey);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string?> ErrorCode(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetString();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
