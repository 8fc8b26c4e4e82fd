using AccountSecurity.Localization;
using AccountSecurity.Results;
using AccountSecurity.Stores;

namespace AccountSecurity.Accounts.Administration;

// The user's own preferences (issue 26: the culture notifications are written in). Kept apart from the sensitive
// operations of this service: a culture is not a credential, so it needs no proof and ends no session.
internal sealed partial class AccountAdministrationService
{
    /// <inheritdoc />
    public async ValueTask<SecurityResult<UserSummary>> ChangeCultureAsync(string userId, string? culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        if (!CultureName.TryNormalize(culture, out var name))
        {
            return SecurityResult<UserSummary>.Failed(CultureName.Invalid());
        }

        return await _updater.UpdateAsync(
            userId,
            current => current is null || !current.IsActive
                ? UserChange.Keep(SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.NotFound, UserMessages.NoActiveUserWithId)))
                : current.Culture == name
                    ? UserChange.Keep(SecurityResult<UserSummary>.Success(UserSummary.From(current, _time.GetUtcNow())))
                    : UserChange.Save(current with { Culture = name }, SecurityResult<UserSummary>.Success(UserSummary.From(current with { Culture = name }, _time.GetUtcNow()))),
            () => SecurityResult<UserSummary>.Failed(new SecurityError(SecurityErrorCodes.ConcurrencyConflict, UserMessages.AccountBusyElsewhere)),
            cancellationToken).ConfigureAwait(false);
    }
}
