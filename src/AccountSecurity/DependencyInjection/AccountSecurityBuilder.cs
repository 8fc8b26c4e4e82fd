using System.Diagnostics.CodeAnalysis;
using AccountSecurity.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AccountSecurity.DependencyInjection;

/// <summary>Returned by <c>AddAccountSecurity()</c>: plugs stores, sinks and senders into the library.</summary>
public sealed class AccountSecurityBuilder
{
    internal AccountSecurityBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's service collection, for store packages' extension methods.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a sink that receives every security event (in addition to the logging sink).</summary>
    /// <remarks>
    /// The container creates <typeparamref name="TSink"/> through its public constructor; the annotation tells the
    /// trimmer and Native AOT to keep that constructor, so the sink works in a trimmed or AOT-compiled app too.
    /// Adding the same sink type twice registers it once.
    /// </remarks>
    public AccountSecurityBuilder AddEventSink<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSink>()
        where TSink : class, ISecurityEventSink
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecurityEventSink, TSink>());
        return this;
    }

    /// <summary>Adds a sink instance that receives every security event.</summary>
    public AccountSecurityBuilder AddEventSink(ISecurityEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        Services.AddSingleton(sink);
        return this;
    }
}
