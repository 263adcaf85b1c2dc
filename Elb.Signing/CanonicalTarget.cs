using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Elb.Signing;

/// <summary>
/// The canonical URI and query string of the SDK signer (huaweicloudsdkcore <c>signer.py</c>), rebuilt from the
/// request target as it arrived. The client signs Python's <c>quote(s, safe='~')</c> of the path's characters and of
/// each query key and value; decoding what arrived and quoting it again the same way yields the same text, however the
/// client escaped it on the wire.
/// </summary>
internal static class CanonicalTarget
{
    private const string UnreservedChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static readonly SearchValues<byte> Unreserved = SearchValues.Create(Encoding.ASCII.GetBytes(UnreservedChars));
    private static readonly SearchValues<byte> UnreservedOrSlash = SearchValues.Create(Encoding.ASCII.GetBytes(UnreservedChars + "/"));

    /// <summary>Bytes needed to decode <paramref name="rawLength"/> characters of target: a character is at most
    /// three UTF-8 bytes, and an escape (three characters) at most one U+FFFD (three bytes).</summary>
    public static int ScratchBytes(int rawLength) => rawLength * 3;

    /// <summary>
    /// <c>quote(s, safe='~')</c> of each <c>/</c>-separated segment of <c>unquote(path)</c>, joined by <c>/</c>, with a
    /// trailing <c>/</c> always. Because the path is unquoted before it is split, <c>%2F</c> separates segments exactly as
    /// <c>/</c> does.
    /// </summary>
    public static void AppendUri(ref CharBuffer output, ReadOnlySpan<char> rawPath, Span<byte> scratch)
    {
        var start = output.Length;
        AppendQuoted(ref output, scratch[..Unquote(rawPath, scratch, plusIsSpace: false)], keepSlash: true);
        if (output.Length == start || output[output.Length - 1] != '/') output.Append('/');
    }

    /// <summary>
    /// <c>key=value</c> pairs, each side quoted, joined by <c>&amp;</c>, ordered by key in code-point order (the
    /// order of UTF-8 bytes). Pairs with the same key keep the order they were sent in: the Python SDK sorts the
    /// typed values (integers numerically, so <c>port=80&amp;port=443</c>) and sends the query in exactly its
    /// canonical order, which sorting the values as text would break.
    /// </summary>
    public static void AppendQuery(ref CharBuffer output, ReadOnlySpan<char> rawQuery, Span<byte> scratch)
    {
        if (rawQuery.IsEmpty) return;

        // Each pair needs a slot and a slot of spare room for the merge sort.
        var slots = 2 * (rawQuery.Count('&') + 1);
        QueryPair[]? rented = null;
        Span<QueryPair> buffer = slots <= 64 ? stackalloc QueryPair[64] : (rented = ArrayPool<QueryPair>.Shared.Rent(slots));
        try
        {
            var count = 0;
            var used = 0;
            foreach (var range in rawQuery.Split('&'))
            {
                var part = rawQuery[range];
                if (part.IsEmpty) continue;
                var equals = part.IndexOf('=');
                var keyLength = Unquote(equals < 0 ? part : part[..equals], scratch[used..], plusIsSpace: true);
                var valueStart = used + keyLength;
                var valueLength = equals < 0 ? 0 : Unquote(part[(equals + 1)..], scratch[valueStart..], plusIsSpace: true);
                buffer[count++] = new QueryPair(used, keyLength, valueStart, valueLength);
                used = valueStart + valueLength;
            }

            var pairs = buffer[..count];
            SortByKey(pairs, buffer.Slice(count, count), scratch);
            for (var i = 0; i < pairs.Length; i++)
            {
                if (i > 0) output.Append('&');
                AppendQuoted(ref output, scratch.Slice(pairs[i].KeyStart, pairs[i].KeyLength), keepSlash: false);
                output.Append('=');
                AppendQuoted(ref output, scratch.Slice(pairs[i].ValueStart, pairs[i].ValueLength), keepSlash: false);
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<QueryPair>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Python's <c>unquote</c> into UTF-8: <c>%XX</c> becomes the byte, a <c>%</c> not followed by two hex digits stays
    /// literal, and bytes that do not form UTF-8 become U+FFFD (Python decodes with <c>errors='replace'</c>).
    /// In a query a <c>+</c> means a space, as ASP.NET Core reads it (no SDK sends a bare <c>+</c>: they escape it),
    /// so what is verified is what the handlers see.
    /// </summary>
    private static int Unquote(ReadOnlySpan<char> raw, Span<byte> destination, bool plusIsSpace)
    {
        // Most targets are plain ASCII without escapes: copy up to the first escape, plus or non-ASCII character in bulk.
        var plainEnd = plusIsSpace ? raw.IndexOfAny('%', '+') : raw.IndexOf('%');
        Ascii.FromUtf16(plainEnd < 0 ? raw : raw[..plainEnd], destination, out var written);
        if (written == raw.Length) return written;

        for (var i = written; i < raw.Length;)
        {
            var c = raw[i];
            if (c == '%' && i + 2 < raw.Length && HexValue(raw[i + 1]) is var high and >= 0 && HexValue(raw[i + 2]) is var low and >= 0)
            {
                destination[written++] = (byte)(high << 4 | low);
                i += 3;
            }
            else if (char.IsAscii(c))
            {
                destination[written++] = c == '+' && plusIsSpace ? (byte)' ' : (byte)c;
                i++;
            }
            else
            {
                Rune.DecodeFromUtf16(raw[i..], out var rune, out var consumed);
                written += rune.EncodeToUtf8(destination[written..]);
                i += consumed;
            }
        }

        if (Utf8.IsValid(destination[..written])) return written;
        // Escapes that are not UTF-8 (rare, never from an SDK): let the decoder put U+FFFD where Python's would.
        var text = Encoding.UTF8.GetString(destination[..written]);
        return Encoding.UTF8.GetBytes(text, destination);
    }

    /// <summary><c>quote(s, safe='~')</c> of UTF-8 bytes: only ASCII letters, digits and <c>-._~</c> stay as they are
    /// (and <c>/</c> in a path, where it separates the quoted segments).</summary>
    private static void AppendQuoted(ref CharBuffer output, ReadOnlySpan<byte> bytes, bool keepSlash)
    {
        var kept = keepSlash ? UnreservedOrSlash : Unreserved;
        while (true)
        {
            var run = bytes.IndexOfAnyExcept(kept);
            if (run < 0)
            {
                output.AppendAscii(bytes);
                return;
            }
            output.AppendAscii(bytes[..run]);
            output.AppendEscaped(bytes[run]);
            bytes = bytes[(run + 1)..];
        }
    }

    /// <summary>Stable bottom-up merge sort: linear-logarithmic even for a query of thousands of pairs, which is read before
    /// the caller is authenticated.</summary>
    private static void SortByKey(Span<QueryPair> pairs, Span<QueryPair> spare, ReadOnlySpan<byte> bytes)
    {
        for (var width = 1; width < pairs.Length; width *= 2)
        {
            for (var left = 0; left < pairs.Length; left += 2 * width)
            {
                var middle = Math.Min(left + width, pairs.Length);
                var right = Math.Min(left + 2 * width, pairs.Length);
                int i = left, j = middle, k = left;
                while (i < middle && j < right)
                    spare[k++] = Key(pairs[j], bytes).SequenceCompareTo(Key(pairs[i], bytes)) < 0 ? pairs[j++] : pairs[i++];
                while (i < middle) spare[k++] = pairs[i++];
                while (j < right) spare[k++] = pairs[j++];
            }
            spare.CopyTo(pairs);
        }
    }

    private static ReadOnlySpan<byte> Key(QueryPair pair, ReadOnlySpan<byte> bytes) => bytes.Slice(pair.KeyStart, pair.KeyLength);

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    private readonly record struct QueryPair(int KeyStart, int KeyLength, int ValueStart, int ValueLength);
}
