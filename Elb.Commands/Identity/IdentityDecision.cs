namespace Elb.Commands.Identity;

/// <summary>The events an identity rule accepts (none when the change is already true), or the rule it would break.</summary>
public readonly record struct IdentityDecision(IReadOnlyList<object> Events, RuleViolation? Violation)
{
    public static IdentityDecision Accept(params object[] events) => new(events, null);

    public static implicit operator IdentityDecision(RuleViolation violation) => new([], violation);
}
