using System.Diagnostics;

namespace Elb.IntegrationTests.Readme;

/// <summary>
/// The README's generated blocks are what <c>scripts/readme.py</c> makes of their sources: the walk-through's sections
/// of <c>scripts/walkthrough.sh</c> (which <see cref="WalkthroughTests"/> runs) and the figures of
/// <c>docs/benchmarks.md</c>.
/// </summary>
public sealed class ReadmeTests
{
    [Fact]
    public async Task The_README_shows_the_walkthrough_script_and_the_benchmarks_figures_as_they_are()
    {
        var start = new ProcessStartInfo("python3", [ElbServices.RepositoryFile("scripts/readme.py"), "--check"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"{await errors}\n{await output}");
    }
}
