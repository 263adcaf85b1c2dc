using System.Text.RegularExpressions;

namespace Elb.Cli.Tests;

public static class Rows
{
    /// <summary>A pattern of these cells side by side in a table row, whichever border Spectre draws (Unicode, ASCII or none).</summary>
    public static string Of(params string[] cells) => string.Join(@"\s*[│|]?\s*", cells.Select(Regex.Escape));
}
