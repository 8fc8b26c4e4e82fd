using System.Security.Cryptography;
using System.Text;
using AccountSecurity.Crypto;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Localization;
using AccountSecurity.Passwords;
using AccountSecurity.Passwords.Hashing;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Results;
using AccountSecurity.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AccountSecurity.Accounts.Invitations;

/// <summary>
/// The default <see cref="IAccountInvitationService"/>. A pending invitee is an inactive <see cref="UserAccount"/>
/// without a password whose <see cref="UserAccount.PasswordResetTokens"/> hold the invitation token's hash: no new
/// stored field, so every store (and the EF schema) keeps working, and neither sign-in nor password reset can use such
/// an account (both need it active). The token is <c>base64url(user id) "." base64url(32 random bytes)</c>: the id part
/// finds the account, only the random part is secret.
/// </summary>
internal sealed class AccountInvitationService : IAccountInvitationService
{
    private const int TokenBytes = 32;

    /// <summary>A user id is at most 128 UTF-16 characters: at most 384 UTF-8 bytes, 512 base64url characters.</summary>
    private const int MaxTokenLength = 600;

    private readonly IUserStore _users;
    private readonly IContractStore _contracts;
    private readonly UserUpdater _updater;
    private readonly NewPasswordRules _rules;
    private readonly IPasswordHasher _hasher;
    private readonly SecurityEventPublisher _events;
    private readonly TimeProvider _time;
    private readonly RegistrationOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly PasswordResetQueue _queue;
    private readonly IAccountInvitationSender _sender;
    private readonly ILogger _logger;

    internal AccountInvitationService(
        IUserStore users,
        IContractStore contracts,
        UserUpdater updater,
        NewPasswordRules rules,
        IPasswordHasher hasher,
        SecurityEventPublisher events,
        TimeProvider time,
        IOptions<AccountSecurityOptions> options,
        IServiceScopeFactory scopes,
        PasswordResetQueue queue,
        IAccountInvitationSender sender,
        ILogger<AccountInvitationService> logger)
    {
        _sender = sender;
        _users = users;
        _contracts = contracts;
        _updater = updater;
        _rules = rules;
        _hasher = hasher;
        _events = events;
        _time = time;
        _options = options.Value.Registration;
        _scopes = scopes;
        _queue = queue;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> InviteUserAsync(string actingUserId, NewInvitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actingUserId);
        ArgumentNullException.ThrowIfNull(invitation);
        var role = invitation.Role;
        var actor = await _users.FindByIdAsync(actingUserId, cancellationToken).ConfigureAwait(false);
        if (actor is null || !actor.IsActive || actor.Role == UserRole.User || role == UserRole.ContractOwner || !Enum.IsDefined(role))
        {
            await _events.PublishAsync(SecurityEventType.AuthorizationRefused, null, actor?.ContractId, cancellationToken, outcome: "invite_user", actorId: actingUserId).ConfigureAwait(false);
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.NotAuthorized, UserMessages.InviteNotAuthorized));
        }

        var email = invitation.Email;
        var userId = invitation.UserId ?? NewId("u-");
        if (!EmailAddress.IsPlausible(email) || !InputText.IsId(userId))
        {
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.InvitationInputInvalid));
        }

        // The acting administrator sees their own contract's users, so a duplicate there may be named; an address or id
        // of another contract is answered like a fresh one (the background work sends that address a notice instead).
        var byEmail = await _users.FindByEmailAsync(email!, cancellationToken).ConfigureAwait(false);
        var byId = invitation.UserId is null ? null : await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (byEmail?.ContractId == actor.ContractId || byId?.ContractId == actor.ContractId)
        {
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.Duplicate, UserMessages.UserInContractExists));
        }

        if (await EmailUniqueness.LooksLikeAnotherUserAsync(_users, actor.ContractId, email!, null, cancellationToken).ConfigureAwait(false))
        {
            return SecurityResult.Failed(EmailUniqueness.Confusable());
        }

        var pending = new Pending(actor.ContractId, actor.Id, userId, email!.Trim(), role);
        await EnqueueAsync((service, ct) => service.IssueInvitationAsync(pending, ct), cancellationToken).ConfigureAwait(false);
        return SecurityResult.Success();
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> RegisterAsync(NewRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!_options.Enabled)
        {
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.RegistrationDisabled, UserMessages.RegistrationDisabled));
        }

        // A blank name means none given; a given one must be a display name without invisible or bidi characters
        // (an anonymous caller chooses it, and administrators and support staff read it).
        var email = registration.Email;
        var name = string.IsNullOrWhiteSpace(registration.ContractName) ? null : registration.ContractName;
        if (!EmailAddress.IsPlausible(email) || (name is not null && (!InputText.IsName(name) || InputText.ContainsInvisibleOrBidiControl(name))))
        {
            return SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvalidInput, UserMessages.RegistrationInputInvalid));
        }

        var contractName = name?.Trim() ?? "New contract";
        var address = email!.Trim();
        await EnqueueAsync((service, ct) => service.IssueRegistrationAsync(address, contractName, ct), cancellationToken).ConfigureAwait(false);
        return SecurityResult.Success();
    }

    /// <inheritdoc />
    public async ValueTask<SecurityResult> AcceptInvitationAsync(string? token, string? password, string? passwordRepeated, CancellationToken cancellationToken = default)
    {
        var invalid = SecurityResult.Failed(new SecurityError(SecurityErrorCodes.InvitationInvalid, UserMessages.InvitationInvalid));
        if (UserIdOf(token) is not { } userId)
        {
            await _events.PublishAsync(SecurityEventType.InvitationFailed, null, null, cancellationToken, outcome: SecurityErrorCodes.InvitationInvalid).ConfigureAwait(false);
            return invalid;
        }

        var tokenHash = SecretHash.Of(token!);
        var user = await _users.FindByIdAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !IsPendingWith(user, tokenHash, _time.GetUtcNow()))
        {
            await _events.PublishAsync(SecurityEventType.InvitationFailed, user?.Id, user?.ContractId, cancellationToken, outcome: SecurityErrorCodes.InvitationInvalid).ConfigureAwait(false);
            return invalid;
        }

        // Nothing is consumed when the password is refused: the invitee fixes it and submits the same link again.
        var (result, written) = await _rules.SetWithTokenAsync(
            user,
            password,
            passwordRepeated,
            current => IsPendingWith(current, tokenHash, _time.GetUtcNow()),
            next => next with { IsActive = true },
            invalid,
            _updater,
            _time,
            cancellationToken).ConfigureAwait(false);

        if (written)
        {
            await _events.PublishResultAsync(result, SecurityEventType.InvitationAccepted, SecurityEventType.InvitationFailed, user, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Completes when every invitation and registration answered so far has finished its background work (tests).</summary>
    internal Task WhenBackgroundWorkIdleAsync() => _queue.WhenIdleAsync();

    /// <summary>Whether <paramref name="user"/> is an account not yet accepted that holds a live token with this hash.</summary>
    private static bool IsPendingWith(UserAccount user, string tokenHash, DateTimeOffset now) =>
        !user.IsActive && user.PasswordHash is null && NewPasswordRules.HasLiveToken(user, tokenHash, now);

    /// <summary>The user id a token names, or <see langword="null"/> for anything that cannot be one of our tokens (never throws).</summary>
    private static string? UserIdOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        Span<byte> buffer = stackalloc byte[MaxTokenLength];
        if (dot <= 0 || dot == token.Length - 1 || !Base64Url.TryDecode(token[..dot], buffer, out var written))
        {
            return null;
        }

        try
        {
            var id = new UTF8Encoding(false, true).GetString(buffer[..written]);
            return InputText.IsId(id) ? id : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private (string Token, PasswordResetTokenRecord Record) NewToken(string userId)
    {
        var token = Base64Url.Encode(Encoding.UTF8.GetBytes(userId)) + "." + Base64Url.Encode(RandomNumberGenerator.GetBytes(TokenBytes));
        return (token, new PasswordResetTokenRecord(SecretHash.Of(token), _time.GetUtcNow() + _options.InvitationLifetime));
    }

    /// <summary>
    /// Hands the work to the background queue in a DI scope of its own (durable stores are scoped): the answer waits for
    /// none of the store writes or the mail, so a known and an unknown address take the same time.
    /// </summary>
    private async ValueTask EnqueueAsync(Func<AccountInvitationService, CancellationToken, ValueTask> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var scope = _scopes.CreateAsyncScope();
        var queued = false;
        try
        {
            var service = scope.ServiceProvider.GetRequiredService<AccountInvitationService>();
            queued = _queue.TryEnqueue(ct => work(service, ct), scope);
        }
        finally
        {
            if (!queued)
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async ValueTask IssueInvitationAsync(Pending pending, CancellationToken cancellationToken)
    {
        var existing = await _users.FindByEmailAsync(pending.Email, cancellationToken).ConfigureAwait(false);
        if (existing is not null || await _users.FindByIdAsync(pending.UserId, cancellationToken).ConfigureAwait(false) is not null)
        {
            await _events.PublishAsync(SecurityEventType.UserInvited, null, pending.ContractId, cancellationToken, outcome: "account_exists", actorId: pending.ActorId).ConfigureAwait(false);
            if (existing is not null)
            {
                await SendAsync(s => s.SendAccountExistsNoticeAsync(new AccountExistsNotice(existing.Email, AccountInvitationKind.Invitation), cancellationToken)).ConfigureAwait(false);
            }

            return;
        }

        var (token, record) = NewToken(pending.UserId);
        var user = new UserAccount
        {
            Id = pending.UserId,
            ContractId = pending.ContractId,
            Email = pending.Email,
            Role = pending.Role,
            IsActive = false,
            SecurityStamp = SecurityStamp.New(),
            PasswordResetTokens = [record],
        };
        if (await _users.CreateAsync(user, cancellationToken).ConfigureAwait(false) != StoreWriteResult.Success)
        {
            await _events.PublishAsync(SecurityEventType.UserInvited, null, pending.ContractId, cancellationToken, outcome: "not_created", actorId: pending.ActorId).ConfigureAwait(false);
            return;
        }

        await _events.PublishAsync(SecurityEventType.UserInvited, user.Id, user.ContractId, cancellationToken, outcome: "invited", actorId: pending.ActorId).ConfigureAwait(false);
        await SendAsync(s => s.SendInvitationAsync(new AccountInvitationMessage(user.Email, token, record.ExpiresAt, AccountInvitationKind.Invitation), cancellationToken)).ConfigureAwait(false);
    }

    private async ValueTask IssueRegistrationAsync(string email, string contractName, CancellationToken cancellationToken)
    {
        var existing = await _users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            // A registration nobody completed yet must not lock the address's real owner out of registering: the
            // mailbox gets a fresh token (whoever started it, only the mailbox can use it).
            if (existing.Role == UserRole.ContractOwner && !existing.IsActive && existing.PasswordHash is null)
            {
                var (fresh, freshRecord) = NewToken(existing.Id);
                var stored = await _updater.UpdateAsync(
                    existing.Id,
                    current => current is { IsActive: false, PasswordHash: null } ? UserChange.Save(current with { PasswordResetTokens = [freshRecord] }, true) : UserChange.Keep(false),
                    () => false,
                    cancellationToken,
                    existing).ConfigureAwait(false);
                await _events.PublishAsync(SecurityEventType.Registered, existing.Id, existing.ContractId, cancellationToken, outcome: stored ? "reissued" : "not_reissued").ConfigureAwait(false);
                if (stored)
                {
                    await SendAsync(s => s.SendInvitationAsync(new AccountInvitationMessage(existing.Email, fresh, freshRecord.ExpiresAt, AccountInvitationKind.Registration), cancellationToken)).ConfigureAwait(false);
                }

                return;
            }

            await _events.PublishAsync(SecurityEventType.Registered, null, null, cancellationToken, outcome: "account_exists").ConfigureAwait(false);
            await SendAsync(s => s.SendAccountExistsNoticeAsync(new AccountExistsNotice(existing.Email, AccountInvitationKind.Registration), cancellationToken)).ConfigureAwait(false);
            return;
        }

        var contractId = NewId("c-");
        var ownerId = NewId("u-");
        var (token, record) = NewToken(ownerId);
        if (await _contracts.CreateAsync(new Contract { Id = contractId, Name = contractName, OwnerUserId = ownerId }, cancellationToken).ConfigureAwait(false) != StoreWriteResult.Success)
        {
            await _events.PublishAsync(SecurityEventType.Registered, null, null, cancellationToken, outcome: "not_created").ConfigureAwait(false);
            return;
        }

        var owner = new UserAccount
        {
            Id = ownerId,
            ContractId = contractId,
            Email = email,
            Role = UserRole.ContractOwner,
            IsActive = false,
            SecurityStamp = SecurityStamp.New(),
            PasswordResetTokens = [record],
        };
        if (await _users.CreateAsync(owner, cancellationToken).ConfigureAwait(false) != StoreWriteResult.Success)
        {
            // A race with another registration of the same address: that one won. The empty contract stays (its id is random).
            await _events.PublishAsync(SecurityEventType.Registered, null, contractId, cancellationToken, outcome: "not_created").ConfigureAwait(false);
            return;
        }

        await _events.PublishAsync(SecurityEventType.Registered, ownerId, contractId, cancellationToken, outcome: "registered").ConfigureAwait(false);
        await SendAsync(s => s.SendInvitationAsync(new AccountInvitationMessage(email, token, record.ExpiresAt, AccountInvitationKind.Registration), cancellationToken)).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(Func<IAccountInvitationSender, ValueTask> send)
    {
        try
        {
            await send(_sender).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the mail queue throws (its message may quote the token) is logged by type only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.InvitationDeliveryFailed(_logger, ex.GetType().Name);
        }
    }

    private sealed record Pending(string ContractId, string ActorId, string UserId, string Email, UserRole Role);
}
