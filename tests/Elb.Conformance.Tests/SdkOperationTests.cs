using System.Text.Json;

namespace Elb.Conformance.Tests;

/// <summary>
/// ELB v3 as the official SDK speaks it, one case per call of the recorded flow: the exact request the SDK sends
/// gets the status it got from Elb then, and the answer has each field the SDK read of it, with the type its
/// response model declares; a refusal carries the <c>error_code</c>, <c>error_msg</c> and request id the SDK reads.
/// </summary>
[Collection(SdkFlowCollection.Name)]
public sealed class SdkOperationTests(SdkFlow flow)
{
    public static TheoryData<int, string> Steps()
    {
        var steps = new TheoryData<int, string>();
        foreach (var (step, index) in SdkRecording.Load.Steps.Select((s, i) => (s, i)))
        {
            steps.Add(index, step.ErrorCode is null ? step.Operation : $"{step.Operation} refused with {step.ErrorCode}");
        }
        return steps;
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void The_SDK_request_gets_the_answer_the_SDK_reads(int index, string operation)
    {
        var step = SdkRecording.Load.Steps[index];
        var answer = flow.Answers[index];
        Assert.True(answer.NotSent is null, $"{operation}: {answer.NotSent}");
        Assert.True(step.Status == answer.Status, $"{operation}: HTTP {answer.Status}, {step.Status} expected: {answer.Body}");
        Assert.False(string.IsNullOrEmpty(answer.RequestId), $"{operation}: no X-Request-Id");

        if (step.ErrorCode is { } errorCode)
        {
            Assert.Equal(errorCode, answer.Body.GetProperty("error_code").GetString());
            Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("error_msg").GetString()));
            Assert.Equal(answer.RequestId, answer.Body.GetProperty("request_id").GetString());
            return;
        }
        if (step.ResponseModel is not { } model) return;
        var models = SdkRecording.Load.Models;
        var mismatches = answer.Body.ValueKind == JsonValueKind.Undefined ? []
            : SdkModelTypes.Mismatches(answer.Body, model, "", models).ToList();
        Assert.True(mismatches.Count == 0, $"{operation}: {string.Join("; ", mismatches)}");
        foreach (var (path, type) in step.Reads ?? new Dictionary<string, string>())
        {
            foreach (var value in JsonPaths.All(answer.Body, path))
            {
                Assert.True(value is not null, $"{operation}: the SDK reads '{path}' ({type}), which the answer lacks: {answer.Body}");
                Assert.True(value.Value.ValueKind == JsonValueKind.Null || Fits(value.Value, type),
                    $"{operation}: '{path}' should be {type}, is {value.Value.GetRawText()}");
            }
        }
    }

    /// <summary>The recorded types: a model's declared scalar type, or <c>list</c> / <c>object</c> for what holds more.</summary>
    private static bool Fits(JsonElement value, string type) => type switch
    {
        "list" => value.ValueKind == JsonValueKind.Array,
        "object" => value.ValueKind == JsonValueKind.Object,
        _ => !SdkModelTypes.Mismatches(value, type, "", SdkRecording.Load.Models).Any(),
    };

    [Fact]
    public void The_README_lists_as_supported_exactly_the_operations_the_recording_covers()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        // The list under the heading, up to the first blank line after it.
        var heading = "### Supported SDK operations\n\n";
        var list = readme[(readme.IndexOf(heading, StringComparison.Ordinal) + heading.Length)..];
        list = list[..list.IndexOf("\n\n", StringComparison.Ordinal)];
        var listed = System.Text.RegularExpressions.Regex.Matches(list, @"`([a-z_]+)`").Select(m => m.Groups[1].Value).ToHashSet();
        var recorded = SdkRecording.Load.Steps.Select(s => s.Operation).ToHashSet();
        Assert.Equal(recorded.Order(), listed.Order());
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Elb.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Elb.sln not found above the test output");
    }
}
