using System.Globalization;

namespace Elb.IntegrationTests;

/// <summary>Reads samples from a <c>/metrics</c> answer, whatever other labels (the exporter's own) and order they have.</summary>
public static class PrometheusText
{
    /// <summary>The samples of <paramref name="metric"/> that carry every label of <paramref name="labels"/>.</summary>
    public static IReadOnlyList<double> Samples(string text, string metric, params (string Name, string Value)[] labels) =>
    [
        .. text.Split('\n')
            .Where(line => line.StartsWith(metric + "{") || line.StartsWith(metric + " "))
            .Where(line => labels.All(l => line.Contains($"{l.Name}=\"{l.Value}\"")))
            .Select(line => ValueOf(line, metric)),
    ];

    /// <summary>The sum of those samples: a counter's total across the series the labels leave open; 0 for none.</summary>
    public static double Sum(string text, string metric, params (string Name, string Value)[] labels) =>
        Samples(text, metric, labels).Sum();

    // "name{labels} value [timestamp]" or "name value [timestamp]"
    private static double ValueOf(string line, string metric)
    {
        var labelsEnd = line.LastIndexOf('}');
        var rest = line[(labelsEnd >= 0 ? labelsEnd + 1 : metric.Length)..].Trim();
        return double.Parse(rest.Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
