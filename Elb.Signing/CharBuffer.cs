using System.Buffers;
using System.Text;

namespace Elb.Signing;

/// <summary>
/// Builds the canonical request on the stack while it fits and in a pooled array beyond, so the verify path allocates
/// only the finished string.
/// </summary>
internal ref struct CharBuffer
{
    private static ReadOnlySpan<char> UpperHexDigits => "0123456789ABCDEF";

    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    public CharBuffer(Span<char> initial)
    {
        _chars = initial;
    }

    public readonly int Length => _length;

    public readonly char this[int index] => _chars[index];

    public void Append(char c)
    {
        if (_length == _chars.Length) Grow(1);
        _chars[_length++] = c;
    }

    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length) Grow(text.Length);
        text.CopyTo(_chars[_length..]);
        _length += text.Length;
    }

    /// <summary>Appends bytes known to be ASCII.</summary>
    public void AppendAscii(scoped ReadOnlySpan<byte> ascii)
    {
        if (_length + ascii.Length > _chars.Length) Grow(ascii.Length);
        Ascii.ToUtf16(ascii, _chars[_length..], out var written);
        _length += written;
    }

    /// <summary>Appends <c>%XX</c> with upper-case hex digits, as Python's <c>quote</c> writes them.</summary>
    public void AppendEscaped(byte b)
    {
        if (_length + 3 > _chars.Length) Grow(3);
        _chars[_length] = '%';
        _chars[_length + 1] = UpperHexDigits[b >> 4];
        _chars[_length + 2] = UpperHexDigits[b & 0xF];
        _length += 3;
    }

    public override readonly string ToString() => new(_chars[.._length]);

    public void Dispose()
    {
        if (_rented is not null) ArrayPool<char>.Shared.Return(_rented);
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        _chars[.._length].CopyTo(larger);
        if (_rented is not null) ArrayPool<char>.Shared.Return(_rented);
        _rented = larger;
        _chars = larger;
    }
}
