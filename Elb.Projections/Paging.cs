namespace Elb.Projections;

public sealed record PageInfo(string? PreviousMarker, int CurrentCount, string? NextMarker);

/// <summary>
/// ELB v3 paging: <c>limit</c> items after the <c>marker</c> (the last id seen), in id order; with
/// <c>page_reverse</c>, the <c>limit</c> items before it (the previous page).
/// </summary>
public static class Paging
{
    public const int MaxLimit = 2000;

    public static (List<T> Items, PageInfo PageInfo) Page<T>(IEnumerable<T> items, Func<T, string> id, int? limit,
        string? marker, bool reverse = false)
    {
        var size = Math.Clamp(limit ?? MaxLimit, 1, MaxLimit);
        var ordered = items.OrderBy(id, StringComparer.Ordinal).ToList();
        if (reverse)
        {
            var before = marker is null ? ordered : ordered.Where(i => string.CompareOrdinal(id(i), marker) < 0).ToList();
            var previous = before.TakeLast(size).ToList();
            return (previous, new PageInfo(previous.Count > 0 && before.Count > previous.Count ? id(previous[0]) : null, previous.Count,
                previous.Count > 0 ? id(previous[^1]) : null));
        }
        var after = marker is null ? ordered : ordered.Where(i => string.CompareOrdinal(id(i), marker) > 0);
        var window = after.Take(size + 1).ToList();
        var page = window.Take(size).ToList();
        return (page, new PageInfo(page.Count > 0 ? id(page[0]) : null, page.Count,
            window.Count > size ? id(page[^1]) : null));
    }
}
