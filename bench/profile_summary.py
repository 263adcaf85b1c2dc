"""Summarizes a dotnet-trace speedscope file (sampled thread time) as Markdown tables: the gateway's CPU samples by
part of the request path, and its hottest frames.
    python3 bench/profile_summary.py trace.speedscope.json"""
import collections
import json
import sys

# A part of the request path is every CPU sample whose stack holds one of its frames (so parts overlap).
PARTS = [
    ("TLS (any connection)", ["System.Net.Security!System.Net.Security.SslStream"]),
    ("PostgreSQL client (Npgsql)", ["Npgsql!"]),
    ("Marten: saving a command's changes", ["Marten.Internal.Sessions.DocumentSessionBase+<SaveChangesAsync>"]),
    # The handlers, not AuthenticationMiddleware: the rest of the request runs inside the middleware's Invoke.
    ("authentication (token or signature checked, user and roles found)", ["HandleAuthenticateAsync"]),
    ("the AddBackendServers handler (load, decide, append, commit)", ["WolverineHandlers.AddBackendServersHandler"]),
    ("JSON (System.Text.Json)", ["System.Text.Json!"]),
    ("RabbitMQ sends", ["Wolverine.RabbitMQ!Wolverine.RabbitMQ.Internal.RabbitMqSender"]),
    ("the public events relay", ["Elb.Commands.Messaging.LoadBalancerEventRelay"]),
    ("OpenTelemetry (recording metrics and spans)", ["OpenTelemetry!OpenTelemetry."]),
]
# Frames the sampler reports as managed code while the thread in fact waits (for work, a lock, or a GC to finish): its
# "CPU time" for these exceeds what /proc says the process used, so they are counted apart, not as CPU.
WAITS = ("WorkerThreadStart", "LowLevelLifoSemaphore.WaitForSignal", "MaybeAddWorkingWorker", "<PollGC>",
         "WaitHandle.WaitOneNoCheck", "Monitor.Enter_Slowpath", "Monitor.Wait", "Lock.TryEnterSlow")


def cpu_stacks(path):
    """Yields (stack of frame names, ms) for every stretch a thread spent running managed code."""
    trace = json.load(open(path))
    names = [f["name"] for f in trace["shared"]["frames"]]
    for profile in trace["profiles"]:
        stack, last = [], profile["startValue"]
        for event in profile["events"]:
            if len(stack) > 1 and event["at"] > last and names[stack[-1]] == "CPU_TIME":
                yield [names[f] for f in stack[:-1]], event["at"] - last
            last = event["at"]
            if event["type"] == "O":
                stack.append(event["frame"])
            elif event["frame"] in stack:
                del stack[len(stack) - 1 - stack[::-1].index(event["frame"]):]


def main(trace_path):
    total, waiting, parts, leaves = 0.0, collections.Counter(), collections.Counter(), collections.Counter()
    for stack, ms in cpu_stacks(trace_path):
        if wait := next((w for w in WAITS if w in stack[-1]), None):
            waiting[wait] += ms
            continue
        total += ms
        leaves[stack[-1]] += ms
        for part, markers in PARTS:
            if any(marker in frame for frame in stack for marker in markers):
                parts[part] += ms
    all_samples = total + sum(waiting.values())
    print(f"Of the samples in managed code, {100 * sum(waiting.values()) / all_samples:.0f}% were threads waiting in "
          "managed frames: " + ", ".join(f"`{w}` {100 * ms / all_samples:.0f}%" for w, ms in waiting.most_common())
          + ". The rest is the CPU time below.")
    print()
    print("| part of the gateway (CPU samples whose stack holds it; parts overlap) | share of CPU |")
    print("|---|---|")
    for part, _ in PARTS:
        print(f"| {part} | {100 * parts[part] / total:.1f}% |")
    print()
    print("The hottest frames (CPU samples with the frame on top; `?!?` is code the trace could not name):")
    print()
    print("| share of CPU | frame (cut at 110 characters) |")
    print("|---|---|")
    for frame, ms in leaves.most_common(12):
        print(f"| {100 * ms / total:.1f}% | `{frame[:110].replace('|', '/')}` |")
    print()


main(sys.argv[1])
