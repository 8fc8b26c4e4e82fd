using Microsoft.Extensions.Options;

namespace AccountSecurity.BreachedPasswords.Sources;

/// <summary>
/// A local mirror: a folder with one file per prefix, <c>{PREFIX}.txt</c> (5 upper-case hex characters), of lines
/// <c>SUFFIX:COUNT</c> (CRLF), as the service's official downloader writes them (and as
/// <see cref="BreachedPasswordMirror"/> writes a small one). Nothing leaves the machine.
/// </summary>
/// <remarks>
/// A missing file is a broken mirror (<c>missing_file</c>) unless <see cref="BreachedPasswordOptions.PartialMirror"/>
/// says the mirror holds only some ranges. A file over <see cref="BreachedPasswordOptions.MaxResponseBytes"/>, or
/// with lines but none valid (truncated or corrupt), is unavailable too; invalid lines among valid ones are skipped and
/// counted, so a file cut off in its last line still answers for the lines before.
/// </remarks>
internal sealed class LocalMirrorSource : IPwnedRangeSource
{
    private readonly string _directory;
    private readonly bool _partial;
    private readonly int _cap;

    public LocalMirrorSource(IOptions<BreachedPasswordOptions> options)
    {
        _directory = options.Value.MirrorDirectory ?? throw new InvalidOperationException("BreachedPasswords.MirrorDirectory is not set.");
        _partial = options.Value.PartialMirror;
        _cap = options.Value.MaxResponseBytes;
    }

    public string Name => "mirror";

    public async ValueTask<RangeLookup> GetRangeAsync(string prefix, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_directory, prefix + ".txt");
        try
        {
            var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.Asynchronous | FileOptions.SequentialScan, BufferSize = 0 });
            await using (file.ConfigureAwait(false))
            {
                if (file.Length > _cap)
                {
                    return RangeLookup.Failed(FailureReasons.Oversized);
                }

                using var content = await BoundedRead.ReadAsync(file, _cap, cancellationToken).ConfigureAwait(false);
                if (content.Oversized)
                {
                    return RangeLookup.Failed(FailureReasons.Oversized);
                }

                var parsed = PwnedRange.Parse(content.Span, RangeLookup.MaxLines);
                return parsed.Range is { Count: 0 } && (parsed.Malformed > 0 || content.Length == 0)
                    ? RangeLookup.Failed(FailureReasons.Empty, parsed.Malformed)
                    : RangeLookup.Found(parsed);
            }
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return _partial ? new RangeLookup(PwnedRange.Empty, null, 0) : RangeLookup.Failed(FailureReasons.MissingFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return RangeLookup.Failed(FailureReasons.ReadError);
        }
    }
}
