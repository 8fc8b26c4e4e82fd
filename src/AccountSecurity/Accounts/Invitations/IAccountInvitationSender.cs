namespace AccountSecurity.Accounts.Invitations;

/// <summary>
/// Delivers invitation and registration mail (typically a link carrying the token). The host implements it; the
/// library calls it after the request was answered, from a background worker in a DI scope of its own (the same
/// workers as password reset: queue the mail rather than talking to a slow server in line). An exception it throws is
/// logged by type only.
/// </summary>
public interface IAccountInvitationSender
{
    /// <summary>Delivers a token that lets the address's owner set a password. Must never log <see cref="AccountInvitationMessage.Token"/>.</summary>
    ValueTask SendInvitationAsync(AccountInvitationMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the owner of an address that already has an account that someone invited or registered it (so they can
    /// sign in or reset their password instead). Carries no token; nothing was created.
    /// </summary>
    ValueTask SendAccountExistsNoticeAsync(AccountExistsNotice notice, CancellationToken cancellationToken);
}

/// <summary>Why a mail is sent.</summary>
public enum AccountInvitationKind
{
    /// <summary>An administrator invited the address into their contract.</summary>
    Invitation = 0,

    /// <summary>The address was used to register a new contract.</summary>
    Registration = 1,
}

/// <summary>An invitation or registration token on its way.</summary>
/// <param name="Email">The address to send to.</param>
/// <param name="Token">The single-use token for <see cref="IAccountInvitationService.AcceptInvitationAsync"/>; <see cref="ToString"/> never prints it.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="Kind">An invitation or a registration.</param>
public sealed record AccountInvitationMessage(string Email, string Token, DateTimeOffset ExpiresAt, AccountInvitationKind Kind)
{
    /// <inheritdoc />
    public override string ToString() => $"AccountInvitationMessage {{ Kind = {Kind}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>A notice to an address that already has an account; no token.</summary>
/// <param name="Email">The address to send to.</param>
/// <param name="Kind">Whether it was invited or registered.</param>
public sealed record AccountExistsNotice(string Email, AccountInvitationKind Kind)
{
    /// <inheritdoc />
    public override string ToString() => $"AccountExistsNotice {{ Kind = {Kind} }}";
}
