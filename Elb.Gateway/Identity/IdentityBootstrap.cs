using Elb.Commands;
using Elb.Commands.Identity;
using Marten;
using Wolverine;
using Wolverine.Runtime;

namespace Elb.Gateway.Identity;

/// <summary>One identity the gateway makes sure exists at start (<c>Elb:Bootstrap:Users</c>), with its key pair.</summary>
public sealed record BootstrapUser
{
    public string Name { get; init; } = "";
    public string? Password { get; init; }
    public string? SystemRole { get; init; }
    public string? Project { get; init; }
    public string? ProjectRole { get; init; }
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }
}

/// <summary>
/// Makes the configured first identities exist: the system admin an operator starts with, node credentials, a demo
/// project. Idempotent, so every start may run it; it goes through the same commands as the API.
/// </summary>
public sealed class IdentityBootstrap(IConfiguration configuration, IWolverineRuntime wolverine, IDocumentStore store,
    ILogger<IdentityBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellation)
    {
        foreach (var wanted in configuration.GetSection("Elb:Bootstrap:Users").Get<List<BootstrapUser>>() ?? [])
        {
            await EnsureAsync(wanted, cancellation);
        }
    }

    private async Task EnsureAsync(BootstrapUser wanted, CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        if (wanted.Project is { } projectId && await session.LoadAsync<Project>(ProjectStream.Key(projectId), cancellation) is null)
        {
            await RunAsync<Project>(new CreateProject(projectId, projectId, "Created at first start."), cancellation);
        }
        var user = await session.Query<User>().FirstOrDefaultAsync(u => u.Name == wanted.Name, cancellation)
            ?? await RunAsync<User>(new CreateUser(wanted.Name, wanted.Password, wanted.Project, null), cancellation);
        if (wanted.SystemRole is { } systemRole) await RunAsync<Guid>(new GrantRole(null, user.Id, systemRole), cancellation);
        if (wanted is { Project: { } project, ProjectRole: { } role }) await RunAsync<Guid>(new GrantRole(project, user.Id, role), cancellation);
        if (wanted is { AccessKey: { } accessKey, SecretKey: { } secretKey }
            && await session.LoadAsync<AccessKeyRecord>(accessKey, cancellation) is null)
        {
            await RunAsync<IssuedAccessKey>(new CreateAccessKey(user.Id, "bootstrap", new KeyPair(accessKey, secretKey)), cancellation);
        }
        logger.LogInformation("Bootstrap identity {User} is in place", wanted.Name);
    }

    private async Task<T> RunAsync<T>(object command, CancellationToken cancellation)
    {
        var outcome = await new MessageBus(wolverine).InvokeAsync<CommandOutcome<T>>(command, cancellation);
        return outcome.Violation is { } violation
            ? throw new InvalidOperationException($"Bootstrap could not run {command.GetType().Name}: {violation.ErrorCode} {violation.Message}")
            : outcome.Value!;
    }

    public Task StopAsync(CancellationToken cancellation) => Task.CompletedTask;
}
