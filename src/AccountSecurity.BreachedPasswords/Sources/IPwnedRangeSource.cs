namespace AccountSecurity.BreachedPasswords.Sources;

/// <summary>Where ranges come from: the range API (<see cref="PwnedPasswordsApiSource"/>) or a local mirror (<see cref="LocalMirrorSource"/>).</summary>
internal interface IPwnedRangeSource
{
    /// <summary>The source's name for logs and metric tags: <c>api</c> or <c>mirror</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The range of <paramref name="prefix"/> (5 upper-case hex characters, checked by the caller), or why there is
    /// none. Never throws for a failure of the source; a cancelled <paramref name="cancellationToken"/> (the caller's
    /// own) throws <see cref="OperationCanceledException"/>.
    /// </summary>
    ValueTask<RangeLookup> GetRangeAsync(string prefix, CancellationToken cancellationToken);
}

/// <summary>A range, or the reason there is none (a short, fixed word for logs and metric tags).</summary>
internal readonly record struct RangeLookup(PwnedRange? Range, string? Failure, int Malformed)
{
    /// <summary>The most lines a range may have (a padded one has about 800 to 2,000).</summary>
    public const int MaxLines = 65_536;

    public static RangeLookup Found(RangeParse parse) =>
        parse.Range is null ? Failed(FailureReasons.TooManyLines, parse.Malformed) : new(parse.Range, null, parse.Malformed);

    public static RangeLookup Failed(string reason, int malformed = 0) => new(null, reason, malformed);
}

/// <summary>The reasons a source gives for not answering: a closed set, so metric tags stay bounded.</summary>
internal static class FailureReasons
{
    public const string Timeout = "timeout";
    public const string HttpStatus = "http_status";
    public const string Network = "network";
    public const string Oversized = "oversized";
    public const string TooManyLines = "too_many_lines";
    public const string Empty = "empty";
    public const string MissingFile = "missing_file";
    public const string ReadError = "read_error";
    public const string Unexpected = "unexpected";
}
