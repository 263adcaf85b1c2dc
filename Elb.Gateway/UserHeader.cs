using System.Security.Claims;

namespace Elb.Gateway;

/// <summary>
/// Until real authentication exists, the caller names itself in <c>X-Elb-User</c>. It becomes the request's user,
/// which Wolverine relays into Marten so every event records who asked.
/// </summary>
public static class UserHeader
{
    public const string Name = "X-Elb-User";

    public static Task Authenticate(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Headers[Name] is [{ Length: > 0 } user])
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], Name));
        }
        return next(context);
    }
}
