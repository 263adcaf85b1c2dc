using System.Text.RegularExpressions;

namespace Elb.Commands;

/// <summary>
/// What a project id may look like wherever it becomes part of a broker name: the first word of <c>elb.events</c>
/// routing keys, subscriber user names and queue prefixes. No dots: a project <c>a.b</c> would publish under keys that
/// project <c>a</c>'s subscribers may bind (<c>a.#</c>).
/// </summary>
public static partial class ProjectIds
{
    public const string Pattern = @"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\z";

    public static bool IsValid(string? projectId) => projectId is not null && Valid().IsMatch(projectId);

    public static RuleViolation Invalid(string projectId) => RuleViolation.Invalid("ELB.InvalidProjectId",
        $"The project id '{projectId}' cannot be used here: it must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit.");

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Valid();
}
