using System.Net;
using System.Net.Sockets;

namespace ActorScheduler.Runners.Http;

/// <summary>A connection the destination policy refused; the runner turns it into the run's error.</summary>
internal sealed class DestinationRefusedException(string reason) : Exception(reason)
{
    /// <summary>A phrase such as "127.0.0.1 is a loopback address; …", to follow "… refused: ".</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of HTTP runs: resolves the host itself, drops every
/// address the policy refuses, and connects only to an allowed one. The address checked is the address
/// connected, so DNS rebinding (a name that answers "public" to a first look and "127.0.0.1" to the connect)
/// finds nothing to slip through.
/// </summary>
internal sealed class DestinationConnector(HttpDestinationPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    public static Task<IPAddress[]> ResolveWithDns(string host, CancellationToken cancel) => Dns.GetHostAddressesAsync(host, cancel);

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var (host, port) = (context.DnsEndPoint.Host.Trim('[', ']'), context.DnsEndPoint.Port);
        var isLiteral = IPAddress.TryParse(host, out var literal);
        var addresses = isLiteral ? [literal!] : await resolve(host, cancel).ConfigureAwait(false);
        var allowed = new List<IPAddress>();
        string? firstRefusal = null;
        foreach (var address in addresses)
        {
            if (policy.RefusalFor(address) is not { } rule) allowed.Add(address);
            else firstRefusal ??= isLiteral ? $"{address} is {rule}" : $"{host} resolves to {address}, {rule}";
        }
        if (allowed.Count == 0) throw new DestinationRefusedException(firstRefusal ?? $"{host} resolves to no address");

        SocketException? lastFailure = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancel).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                lastFailure = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastFailure!;
    }
}
