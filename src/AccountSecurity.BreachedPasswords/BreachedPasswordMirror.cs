using System.Globalization;
using System.Text;

namespace AccountSecurity.BreachedPasswords;

/// <summary>
/// Writes a small local mirror: range files in the official downloader's format (<c>{PREFIX}.txt</c>, lines
/// <c>SUFFIX:COUNT</c> with CRLF, suffixes sorted) for the passwords given, so a sample, a test or an air-gapped
/// staging host can run the check against a generated data set instead of committing or downloading a million files.
/// Use it with <see cref="BreachedPasswordOptions.MirrorDirectory"/> and <see cref="BreachedPasswordOptions.PartialMirror"/>
/// set to <see langword="true"/> (only the ranges of these passwords exist).
/// </summary>
/// <remarks>
/// Passwords are NFKC-normalised first, as the rule hashes them. The files hold SHA-1 suffixes of the passwords given:
/// a data set of breached passwords, public by nature, never a user's password. Nothing is logged.
/// </remarks>
public static class BreachedPasswordMirror
{
    /// <summary>Writes each of <paramref name="breachedPasswords"/> with a count of 1 into <paramref name="directory"/> (created when missing).</summary>
    /// <exception cref="ArgumentNullException">An argument or a password is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public static Task WriteAsync(string directory, IEnumerable<string> breachedPasswords, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(breachedPasswords);
        return WriteAsync(directory, breachedPasswords.Select(p => KeyValuePair.Create(p, 1)), cancellationToken);
    }

    /// <summary>
    /// Writes each password of <paramref name="breachedPasswords"/> with its breach count into <paramref name="directory"/>
    /// (created when missing). Range files of the same prefixes are replaced whole; others are left alone. A password
    /// given twice keeps the larger count.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument or a password is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or a count is negative.</exception>
    public static async Task WriteAsync(string directory, IEnumerable<KeyValuePair<string, int>> breachedPasswords, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(breachedPasswords);
        var ranges = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (password, count) in breachedPasswords)
        {
            ArgumentNullException.ThrowIfNull(password, nameof(breachedPasswords));
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(breachedPasswords));
            var range = PasswordHashRange.Of(password.Normalize(NormalizationForm.FormKC));
            if (!ranges.TryGetValue(range.Prefix, out var suffixes))
            {
                ranges[range.Prefix] = suffixes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            suffixes[range.Suffix] = Math.Max(count, suffixes.GetValueOrDefault(range.Suffix));
        }

        Directory.CreateDirectory(directory);
        foreach (var (prefix, suffixes) in ranges)
        {
            var text = new StringBuilder(suffixes.Count * 48);
            foreach (var (suffix, count) in suffixes)
            {
                text.Append(suffix).Append(':').Append(count.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            // Written beside, then moved over the old file: a reader never sees half a file.
            var path = Path.Combine(directory, prefix + ".txt");
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, text.ToString(), Encoding.ASCII, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
    }
}
