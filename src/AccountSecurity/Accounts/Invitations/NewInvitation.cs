namespace AccountSecurity.Accounts.Invitations;

/// <summary>Whom <see cref="IAccountInvitationService.InviteUserAsync"/> invites. Nothing is checked here: the service answers a bad value with a result.</summary>
public sealed class NewInvitation
{
    /// <summary>The invitee's e-mail address.</summary>
    public required string? Email { get; init; }

    /// <summary>The role: <see cref="UserRole.User"/> (the default) or <see cref="UserRole.Administrator"/>.</summary>
    public UserRole Role { get; init; } = UserRole.User;

    /// <summary>The new user's id; <see langword="null"/> lets the library choose a random one.</summary>
    public string? UserId { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"NewInvitation {{ Role = {Role}, UserId = {UserId} }}";
}

/// <summary>Who registers with <see cref="IAccountInvitationService.RegisterAsync"/>. Nothing is checked here.</summary>
public sealed class NewRegistration
{
    /// <summary>The registrant's e-mail address, who becomes the new contract's owner.</summary>
    public required string? Email { get; init; }

    /// <summary>The new contract's display name; <see langword="null"/> for a neutral default.</summary>
    public string? ContractName { get; init; }

    /// <inheritdoc />
    public override string ToString() => "NewRegistration";
}

/// <summary>Self-registration (<see cref="IAccountInvitationService.RegisterAsync"/>) and the lifetime of invitation tokens.</summary>
public sealed class RegistrationOptions
{
    /// <summary>Whether strangers may register a new contract. Off unless the host wants open sign-up.</summary>
    /// <value><see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>How long an invitation or registration token works.</summary>
    /// <value>Defaults to 72 hours.</value>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromHours(72);

    internal IEnumerable<string> Validate()
    {
        if (InvitationLifetime <= TimeSpan.Zero || InvitationLifetime > TimeSpan.FromDays(30))
        {
            yield return "Registration.InvitationLifetime must be positive and at most 30 days.";
        }
    }
}
