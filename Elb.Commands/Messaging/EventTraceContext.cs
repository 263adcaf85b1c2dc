using System.Diagnostics;
using JasperFx.Events;
using Marten;

namespace Elb.Commands.Messaging;

/// <summary>
/// Keeps a command's trace across the relay. The relay publishes from a Marten subscription, long after the request
/// that appended the event has answered, so nothing of the request is current there: the trace context travels in
/// the event's <c>traceparent</c> header instead, and the relay's publish continues the command's trace (and with it
/// the outbox's send to subscribers, which Wolverine chains to the publish).
/// </summary>
public static class EventTraceContext
{
    public const string Header = "traceparent";

    /// <summary>Wolverine middleware on every command: the events it appends carry the trace of the command's handling.</summary>
    public static void Before(IDocumentSession session)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } traceparent }) session.SetHeader(Header, traceparent);
    }

    /// <summary>The <c>traceparent</c> <paramref name="e"/> was appended in; null for an event appended outside a trace.</summary>
    public static string? TraceparentOf(IEvent e) => e.Headers?.GetValueOrDefault(Header)?.ToString();

    /// <summary>The trace context <paramref name="e"/> was appended in; none for an event appended outside a trace.</summary>
    public static ActivityContext ParentOf(IEvent e) =>
        TraceparentOf(e) is { } traceparent && ActivityContext.TryParse(traceparent, null, out var parent) ? parent : default;
}
