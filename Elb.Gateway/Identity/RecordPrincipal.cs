using System.Security.Claims;
using Marten;
using Wolverine;

namespace Elb.Gateway.Identity;

/// <summary>
/// Wolverine middleware on every command: the events the command appends carry, in their <c>principal</c> header,
/// who was verified to have asked. Commands run inline in the request, so the request's principal is at hand; a node's
/// message over RabbitMQ carries the broker user RabbitMQ itself verified (<c>user_id</c>).
/// </summary>
public static class RecordPrincipalMiddleware
{
    public const string Header = "principal";

    public static void Before(IDocumentSession session, IHttpContextAccessor accessor, Envelope envelope)
    {
        if (accessor.HttpContext is { User.Identity.IsAuthenticated: true } http)
        {
            session.SetHeader(Header, Describe(http));
        }
        else if (envelope.UserName is { } brokerUser)
        {
            session.SetHeader(Header, new Dictionary<string, string?> { ["user_name"] = brokerUser, ["auth_method"] = "amqp" });
        }
    }

    public static Dictionary<string, string?> Describe(HttpContext http)
    {
        var user = http.User;
        var method = user.FindFirstValue(ElbClaims.AuthMethod);
        return new Dictionary<string, string?>
        {
            ["user_id"] = user.FindFirstValue(ElbClaims.UserId),
            ["user_name"] = user.FindFirstValue(ElbClaims.Name),
            ["project_id"] = http.GetRouteValue("projectId") as string ?? user.FindFirstValue(ElbClaims.ScopeProject),
            ["auth_method"] = method,
            [method == "aksk" ? "access_key_id" : "token_id"] = user.FindFirstValue(ElbClaims.CredentialId),
            ["request_id"] = http.TraceIdentifier,
        };
    }
}
