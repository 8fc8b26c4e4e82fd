using System.Collections.Concurrent;
using AccountSecurity.Accounts.Invitations;

namespace AccountSecurity.Tests.Accounts.Invitations;

/// <summary>Keeps every invitation and notice handed over, for the tests to read the token from.</summary>
internal sealed class CapturingInvitationSender : IAccountInvitationSender
{
    private readonly ConcurrentQueue<AccountInvitationMessage> _invitations = new();
    private readonly ConcurrentQueue<AccountExistsNotice> _notices = new();

    public IReadOnlyList<AccountInvitationMessage> Invitations => [.. _invitations];

    public IReadOnlyList<AccountExistsNotice> Notices => [.. _notices];

    public ValueTask SendInvitationAsync(AccountInvitationMessage message, CancellationToken cancellationToken)
    {
        _invitations.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAccountExistsNoticeAsync(AccountExistsNotice notice, CancellationToken cancellationToken)
    {
        _notices.Enqueue(notice);
        return ValueTask.CompletedTask;
    }
}
