using System.Diagnostics.Metrics;
using AccountSecurity.Accounts;
using AccountSecurity.Events;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Events;

public sealed class MetricsSecurityEventSinkTests
{
    [Test]
    public async Task SignInFailure_IsCountedByTypeAndFactor_WithNoIdentifierInAnyTag()
    {
        var measurements = new List<(long Value, Dictionary<string, string?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MetricsSecurityEventSink.MeterName && instrument.Name == MetricsSecurityEventSink.EventsCounterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
            }
        });
        listener.Start();

        await using var provider = new ServiceCollection()
            .AddAccountSecurity(o => AccountSecurityTestOptions.ApplyFastTestDefaults(o))
            .Services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        (await scope.ServiceProvider.GetRequiredService<IAccountProvisioningService>()
            .CreateContractAsync(new NewContract { ContractId = "contract-metrics", ContractName = "Contract", OwnerUserId = "owner-metrics", OwnerEmail = "owner-metrics@example.com", OwnerPassword = "correct horse battery staple" })).Succeeded.Should().BeTrue();

        await scope.ServiceProvider.GetRequiredService<ISignInService>().PasswordSignInAsync("owner-metrics@example.com", "wrong password");

        List<(long Value, Dictionary<string, string?> Tags)> seen;
        lock (measurements)
        {
            seen = [.. measurements];
        }

        seen.Should().Contain(m => m.Value == 1
            && m.Tags["accountsecurity.event.type"] == nameof(SecurityEventType.SignInFailed)
            && m.Tags["accountsecurity.factor"] == "Password");
        seen.SelectMany(m => m.Tags.Values).Should().NotContain(v => v != null && (v.Contains("owner-metrics", StringComparison.Ordinal) || v.Contains("contract-metrics", StringComparison.Ordinal)));
    }
}
