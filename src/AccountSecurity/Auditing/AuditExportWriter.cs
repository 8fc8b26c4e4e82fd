using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AccountSecurity.Auditing;

/// <summary>
/// Writes audit records as JSON Lines (with <see cref="Utf8JsonWriter"/>: no reflection, safe under trimming) or as CSV
/// (RFC 4180: every cell quoted, quotes doubled; a cell starting with <c>= + - @</c>, a tab or a carriage return is
/// prefixed with <c>'</c> so a spreadsheet shows it instead of running it). UTF-8 without a byte-order mark. Leaves the
/// stream open.
/// </summary>
internal sealed class AuditExportWriter : IAsyncDisposable
{
    private static readonly string[] Columns =
    [
        "contractId", "sequence", "occurredAt", "eventType", "userId", "actorId", "factor", "signInMethods", "outcome",
        "sessionId", "deviceLabel", "clientAddress", "correlationId", "previousHash", "hash",
    ];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Stream _destination;
    private readonly AuditExportFormat _format;
    private readonly MemoryStream _buffer = new();
    private bool _headerWritten;

    public AuditExportWriter(Stream destination, AuditExportFormat format)
    {
        _destination = destination;
        _format = format;
    }

    public async ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        if (_format == AuditExportFormat.Csv)
        {
            var line = new StringBuilder();
            if (!_headerWritten)
            {
                line.AppendJoin(',', Columns).Append("\r\n");
                _headerWritten = true;
            }

            line.AppendJoin(',', Cells(record).Select(Cell)).Append("\r\n");
            var bytes = Utf8.GetBytes(line.ToString());
            await _destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return;
        }

        _buffer.SetLength(0);
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            var cells = Cells(record);
            for (var i = 0; i < Columns.Length; i++)
            {
                if (i == 1)
                {
                    json.WriteNumber(Columns[i], record.Sequence);
                }
                else if (cells[i] is { } value)
                {
                    json.WriteString(Columns[i], value);
                }
                else
                {
                    json.WriteNull(Columns[i]);
                }
            }

            json.WriteEndObject();
        }

        _buffer.WriteByte((byte)'\n');
        await _destination.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _destination.FlushAsync().ConfigureAwait(false);
        await _buffer.DisposeAsync().ConfigureAwait(false);
    }

    private static string?[] Cells(AuditRecord r) =>
    [
        r.ContractId,
        r.Sequence.ToString(CultureInfo.InvariantCulture),
        r.OccurredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        r.EventType.ToString(),
        r.UserId,
        r.ActorId,
        r.Factor?.ToString(),
        r.SignInMethods == AuditSignInMethods.None ? null : r.SignInMethods.ToString(),
        r.Outcome,
        r.SessionId,
        r.DeviceLabel,
        r.ClientAddress,
        r.CorrelationId,
        r.PreviousHash,
        r.Hash,
    ];

    private static string Cell(string? value)
    {
        if (value is null)
        {
            return "";
        }

        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
