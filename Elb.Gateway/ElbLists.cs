using System.Text.Json;
using Elb.Commands;
using Elb.Projections;

namespace Elb.Gateway;

/// <summary>
/// ELB v3's list conventions on every list of its resources: any field of the resource as a filter, repeated for
/// "any of" (<c>?protocol=HTTP&amp;protocol=TCP</c>, <c>?id=a&amp;id=b</c>), a <c>..._id</c> filter also matching the
/// resource's list of references (<c>listener_id</c> against <c>listeners[].id</c>), then <c>limit</c>,
/// <c>marker</c> and <c>page_reverse</c>.
/// </summary>
public static class ElbLists
{
    private static readonly HashSet<string> Paging = ["limit", "marker", "page_reverse"];

    public static IResult Answer<T>(HttpRequest request, string wrapper, IEnumerable<T> resources, Func<T, string> id)
    {
        var filters = request.Query.Where(q => !Paging.Contains(q.Key)).ToList();
        var matching = filters.Count == 0 ? resources : resources.Where(r => Matches(JsonSerializer.SerializeToElement(r, ElbJson.Options), filters));
        var limit = int.TryParse(request.Query["limit"], out var l) ? l : (int?)null;
        var reverse = bool.TryParse(request.Query["page_reverse"], out var r) && r;
        return ElbResults.Page(wrapper, Elb.Projections.Paging.Page(matching, id, limit, request.Query["marker"].FirstOrDefault(), reverse));
    }

    private static bool Matches(JsonElement resource, IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> filters)
    {
        foreach (var (key, wanted) in filters)
        {
            if (resource.TryGetProperty(key, out var value))
            {
                if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) continue;
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Null => null,
                    _ => value.GetRawText(),
                };
                if (!wanted.Contains(text)) return false;
            }
            else if (key.EndsWith("_id", StringComparison.Ordinal)
                     && resource.TryGetProperty($"{key[..^3]}s", out var references) && references.ValueKind == JsonValueKind.Array)
            {
                if (!references.EnumerateArray().Any(reference => reference.TryGetProperty("id", out var referenceId)
                        && wanted.Contains(referenceId.GetString())))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
