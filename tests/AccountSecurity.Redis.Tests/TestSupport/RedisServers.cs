using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AccountSecurity.Redis.Tests.TestSupport;

/// <summary>
/// The Redis servers the tests use. The shared one comes from <c>ACCOUNTSECURITY_REDIS</c> (<c>.ci/redis.sh</c> starts
/// it); a test that stops and restarts Redis starts its own from the same <c>redis-server</c> binary on a free port.
/// On a bare machine such tests are ignored with the reason; with <c>ACCOUNTSECURITY_REQUIRE_SERVICES=1</c> (CI) they
/// fail instead, so a missing server never passes silently.
/// </summary>
internal static class RedisServers
{
    public const string RedisVariable = "ACCOUNTSECURITY_REDIS";
    public const string RequireVariable = "ACCOUNTSECURITY_REQUIRE_SERVICES";

    /// <summary>The shared test server's StackExchange.Redis configuration (host:port).</summary>
    public static string Shared()
    {
        var value = Environment.GetEnvironmentVariable(RedisVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Unavailable($"Redis not configured: set {RedisVariable} (e.g. 127.0.0.1:56379; start a local server with `eval \"$(bash .ci/redis.sh)\"`).");
        }

        return value!;
    }

    /// <summary>The <c>redis-server</c> binary (Debian's package), for a test that needs a server of its own.</summary>
    public static string ServerBinary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Unavailable("redis-server not installed (`bash .ci/redis.sh` installs it from apt).");
        return null!;
    }

    private static void Unavailable(string reason)
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(reason + $" ({RequireVariable}=1, so this is a failure.)");
        }

        Assert.Ignore(reason);
    }
}

/// <summary>A throwaway redis-server of one test, on a free loopback port, no persistence; stopped and restarted at will.</summary>
internal sealed class OwnRedisServer : IDisposable
{
    private readonly string _binary;
    private Process? _process;

    private OwnRedisServer(string binary, int port)
    {
        _binary = binary;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<OwnRedisServer> StartAsync()
    {
        var server = new OwnRedisServer(RedisServers.ServerBinary(), FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again, on the same port) and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        Stop();
        var start = new ProcessStartInfo(_binary)
        {
            ArgumentList = { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--dir", Path.GetTempPath(), "--enable-debug-command", "local" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not accept connections on port {Port} within 30 s");
    }

    /// <summary>Kills the server at once, as a crash or a network cut would look to the clients.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false } running)
        {
            running.Kill();
            running.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
