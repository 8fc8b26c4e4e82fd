using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Polly;

namespace AccountSecurity.BreachedPasswords.Sources;

/// <summary>
/// The range API over <see cref="IHttpClientFactory"/> (client <see cref="HttpClientName"/>, whose resilience handler
/// times out and retries each attempt): <c>GET range/{prefix}</c> with <c>Add-Padding: true</c>, so every answer has
/// some 800 to 1,000 lines whatever the prefix and its size tells nothing. Only the prefix is sent.
/// </summary>
/// <remarks>
/// Bounded: the whole lookup (attempts, back-offs and the body) within <see cref="BreachedPasswordOptions.TotalTimeout"/>
/// on the host's <see cref="TimeProvider"/>, the body within <see cref="BreachedPasswordOptions.MaxResponseBytes"/>
/// (a larger Content-Length is refused before reading), at most <see cref="RangeLookup.MaxLines"/> lines.
/// </remarks>
internal sealed class PwnedPasswordsApiSource : IPwnedRangeSource
{
    /// <summary>The named client (a host may add handlers to it with <c>services.AddHttpClient(HttpClientName)</c>).</summary>
    public const string HttpClientName = "AccountSecurity.BreachedPasswords";

    private readonly IHttpClientFactory _clients;
    private readonly BreachedPasswordOptions _options;
    private readonly TimeProvider _time;

    public PwnedPasswordsApiSource(IHttpClientFactory clients, IOptions<BreachedPasswordOptions> options, TimeProvider time)
    {
        _clients = clients;
        _options = options.Value;
        _time = time;
    }

    public string Name => "api";

    public async ValueTask<RangeLookup> GetRangeAsync(string prefix, CancellationToken cancellationToken)
    {
        using var total = new CancellationTokenSource(_options.TotalTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, total.Token);
        try
        {
            var client = _clients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, "range/" + prefix);
            request.Headers.TryAddWithoutValidation("Add-Padding", "true");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return RangeLookup.Failed(FailureReasons.HttpStatus);
            }

            if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
            {
                return RangeLookup.Failed(FailureReasons.Oversized);
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var body = await BoundedRead.ReadAsync(stream, _options.MaxResponseBytes, linked.Token).ConfigureAwait(false);
                if (body.Oversized)
                {
                    return RangeLookup.Failed(FailureReasons.Oversized);
                }

                var parsed = PwnedRange.Parse(body.Span, RangeLookup.MaxLines);

                // A padded answer is never empty: no valid line at all is a broken answer, not "nothing breached".
                return parsed.Range is { Count: 0 } && (parsed.Malformed > 0 || body.Length == 0)
                    ? RangeLookup.Failed(FailureReasons.Empty, parsed.Malformed)
                    : RangeLookup.Found(parsed);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return RangeLookup.Failed(FailureReasons.Timeout);
        }
        catch (ExecutionRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            // The resilience pipeline's per-attempt timeout (TimeoutRejectedException), after the retries.
            return RangeLookup.Failed(FailureReasons.Timeout);
        }
        catch (HttpRequestException)
        {
            return RangeLookup.Failed(FailureReasons.Network);
        }
        catch (IOException)
        {
            return RangeLookup.Failed(FailureReasons.Network);
        }
    }
}
