using System.Text;

namespace MusicClassification.Host.Uploads;

/// <summary>
/// Turns the file names clients give their parts into song ids: the last path segment only, control and format characters
/// removed, at most 200 characters, made unique within the batch (" (2)", " (3)", …). The id is only echoed back; it is
/// never used to build a path.
/// </summary>
internal sealed class SongNames
{
    private const int MaxLength = 200;
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    public string Next(string? fileName, int index)
    {
        string name = Sanitize(fileName);
        if (name.Length == 0)
        {
            name = $"song-{index + 1}";
        }

        if (!_seen.TryGetValue(name, out int count))
        {
            _seen[name] = 1;
            return name;
        }

        string unique;
        do
        {
            count++;
            unique = $"{name} ({count})";
        }
        while (_seen.ContainsKey(unique));

        _seen[name] = count;
        _seen[unique] = 1;
        return unique;
    }

    public static string Sanitize(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return string.Empty;
        }

        int slash = fileName.LastIndexOfAny(['/', '\\']);
        ReadOnlySpan<char> last = fileName.AsSpan(slash + 1);
        var clean = new StringBuilder(Math.Min(last.Length, MaxLength));
        foreach (char c in last)
        {
            if (clean.Length == MaxLength)
            {
                break;
            }

            if (!char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format)
            {
                clean.Append(c);
            }
        }

        string result = clean.ToString().Trim();
        return result is "." or ".." ? string.Empty : result;
    }
}
