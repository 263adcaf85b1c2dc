using System.CommandLine;
using Elb.Cli.Api;
using Elb.Projections;
using Marten;
using Spectre.Console;

namespace Elb.Cli.Projections;

/// <summary>
/// <c>elb projections rebuild</c>: replays every event into the read models, a progress bar each. An operator's action
/// on Elb's own store, not a tenant's call: it connects to PostgreSQL (<c>--postgres</c>, else <c>ELB_POSTGRES</c>)
/// and the gateway's schema (<c>--schema</c>, else <c>Elb__Schema</c> as the gateway reads it, else <c>elb</c>).
/// </summary>
public static class ProjectionCommands
{
    public static Command Create(CliContext context)
    {
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string of Elb's store (default: ELB_POSTGRES)" };
        var schema = new Option<string?>("--schema") { Description = "The store's schema (default: Elb__Schema, else elb)" };
        var rebuild = new Command("rebuild", "Rebuild every read model from the events; the publishing subscription is left alone")
        {
            postgres, schema,
        };
        context.SetAction(rebuild, async (parse, cancellation) =>
        {
            var connection = parse.GetValue(postgres) ?? context.Environment("ELB_POSTGRES")
                ?? throw new CliSetupException("No store: pass --postgres <connection string> or set ELB_POSTGRES.");
            var schemaName = parse.GetValue(schema) ?? context.Environment("Elb__Schema") ?? "elb";
            using var store = DocumentStore.For(options => options.ConfigureElbStore(connection, schemaName));
            context.Output.WriteLine($"Rebuilding {ProjectionRebuild.ReadModels.Length} read models in schema {schemaName}");
            var report = context.Output.Profile.Capabilities.Interactive
                ? await context.Output.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async bars =>
                    {
                        var tasks = ProjectionRebuild.ReadModels.ToDictionary(p => p.Name, p => bars.AddTask(p.Name, autoStart: false));
                        return await ProjectionRebuild.RunAsync(store, new Reported(p => Show(tasks[p.ReadModel], p)), cancellation);
                    })
                // A log or a pipe gets a line per report instead of bars redrawn in place.
                : await ProjectionRebuild.RunAsync(store, new Reported(p => context.Output.WriteLine(p.Took is { } took
                    ? $"  {p.ReadModel}: done in {took.TotalSeconds:F1} s"
                    : $"  {p.ReadModel}: {p.Position:N0} / {p.LastSequence:N0}")), cancellation);
            context.Output.WriteLine($"Rebuilt {report.Projections} read models from {report.Events:N0} events in "
                + $"{report.Elapsed.TotalSeconds:F1} s: {report.EventsPerSecond:N0} events/s");
        });
        return new Command("projections", "Elb's read models") { rebuild };
    }

    private static void Show(ProgressTask bar, RebuildProgress progress)
    {
        if (!bar.IsStarted) bar.StartTask();
        bar.MaxValue = Math.Max(1, progress.LastSequence);
        if (progress.Took is { } took)
        {
            bar.Description = $"{progress.ReadModel}: done in {took.TotalSeconds:F1} s";
            bar.Value = bar.MaxValue;
            bar.StopTask();
            return;
        }
        bar.Value = progress.Position;
    }

    /// <summary>
    /// Applies each report as it is made: <see cref="Progress{T}"/> would post it to the thread pool, where it could
    /// land after the bars are gone.
    /// </summary>
    private sealed class Reported(Action<RebuildProgress> show) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => show(value);
    }
}
