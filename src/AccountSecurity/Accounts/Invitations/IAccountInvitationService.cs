using AccountSecurity.Results;

namespace AccountSecurity.Accounts.Invitations;

/// <summary>
/// Creating users by e-mail verification: an administrator invites a user into their contract, or (when the host
/// turns it on) a stranger registers a new contract of their own. Either way the address receives a single-use,
/// expiring token (stored only as its SHA-256 hash), and the account becomes usable only when
/// <see cref="AcceptInvitationAsync"/> sets its password under the contract's policy. Neither answer reveals whether an
/// address already has an account elsewhere: such an address is sent a notice instead of a token, and nothing is created.
/// </summary>
public interface IAccountInvitationService
{
    /// <summary>
    /// Invites a user (<see cref="UserRole.User"/> or <see cref="UserRole.Administrator"/>) into the acting user's contract.
    /// Only the contract owner or an administrator may (<c>not_authorized</c>, the same rules as
    /// <see cref="IAccountProvisioningService.CreateUserAsync"/>). Fails with <c>invalid_input</c> for an address or id no
    /// account can have, <c>duplicate</c> when the address or id already belongs to the acting user's own contract (its
    /// administrators can see those users) and <c>email_confusable</c> when the address looks like one of theirs. An
    /// address of another contract succeeds exactly like a fresh one: its owner is sent an "you already have an account"
    /// notice and nothing is created. The invited account is created inactive, without a password; the store write
    /// and the hand-over to <see cref="IAccountInvitationSender"/> run after the answer, in a DI scope of their own, so
    /// the time of the answer is the same for both. Never throws for hostile input.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="actingUserId"/> or <paramref name="invitation"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult> InviteUserAsync(string actingUserId, NewInvitation invitation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes an invitation or a registration: sets the password (under the contract's policy; every problem is
    /// returned together — <c>password_mismatch</c>, each policy violation — and the token stays usable) and activates
    /// the account. An unknown, malformed, expired or already used token fails with <c>invitation_invalid</c>. The token
    /// works once. Never throws for hostile input.
    /// </summary>
    ValueTask<SecurityResult> AcceptInvitationAsync(string? token, string? password, string? passwordRepeated, CancellationToken cancellationToken = default);

    /// <summary>
    /// Self-registration of a new contract with the registrant as its owner, when <see cref="RegistrationOptions.Enabled"/>
    /// (off by default: <c>registration_disabled</c>). Succeeds the same way for every plausible address: a new address
    /// is sent a token that <see cref="AcceptInvitationAsync"/> completes (the password then under the default policy), an
    /// address that already has an account is sent a notice, and both happen after the answer. Fails only with
    /// <c>invalid_input</c> (a malformed address or contract name). Never throws for hostile input.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="registration"/> is <see langword="null"/>.</exception>
    ValueTask<SecurityResult> RegisterAsync(NewRegistration registration, CancellationToken cancellationToken = default);
}
