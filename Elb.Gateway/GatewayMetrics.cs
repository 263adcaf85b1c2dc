using System.Diagnostics.Metrics;

namespace Elb.Gateway;

/// <summary>
/// What the gateway answers, counted for operators: the commands it ran, by command and by the refusal's
/// <c>error_code</c> where there was one, and every problem it answered by <c>error_code</c> and status, also those
/// refused before any command (authentication, rate limits, malformed bodies).
/// </summary>
public static class GatewayMetrics
{
    public const string MeterName = "Elb.Gateway";

    // ElbResults' static helpers count, with no service container at hand.
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Commands = Meter.CreateCounter<long>("elb.commands", description:
        "Commands run, by command and outcome (accepted or refused); a refused one with its error_code");

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("elb.refusals", description:
        "Problems answered, by error_code and HTTP status");

    public static void CommandRan(object command, string? errorCode)
    {
        var name = new KeyValuePair<string, object?>("command", command.GetType().Name);
        if (errorCode is null) Commands.Add(1, name, new("outcome", "accepted"));
        else Commands.Add(1, name, new("outcome", "refused"), new("error_code", errorCode));
    }

    public static void Refused(string errorCode, int? status) =>
        Refusals.Add(1, new("error_code", errorCode), new KeyValuePair<string, object?>("status", status));
}
