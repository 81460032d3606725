using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace ActorScheduler.Client.Transport;

/// <summary>
/// Mutual TLS for the cluster transport, the same on every node, the lighthouse and embedded clients: each presents
/// the cluster's certificate (a PKCS#12 file) and accepts a peer only if the peer presents that certificate too, or
/// another whose thumbprint is listed as trusted (for a rotation), and it is within its validity. Something that
/// reaches a cluster port without the certificate cannot connect, let alone join as a worker or send a message.
/// </summary>
/// <remarks>
/// Akka.Remote 1.5's default check is the operating system's trust store, which refuses a self-signed cluster
/// certificate (and suppressing validation accepts every certificate). Pinning the thumbprint is what makes a
/// self-signed certificate both work and mean something. Akka's <c>CertificateValidation.PinnedCertificate</c>
/// pins too, but silently; this validator also checks the validity dates against the injected clock and logs each
/// refused peer with its address and thumbprint, which is what an operator needs when a member cannot join. Mutual
/// authentication must stay on: without it, only the side that opens a connection is checked.
/// </remarks>
/// <param name="CertificatePath">The PKCS#12 (.pfx) file with the certificate and its private key.</param>
/// <param name="Password">The file's password (empty for none).</param>
/// <param name="TrustedThumbprints">Other certificates' SHA-1 thumbprints peers may present, e.g. during a rotation.</param>
public sealed record ClusterTls(string CertificatePath, string Password, IReadOnlyList<string> TrustedThumbprints)
{
    /// <summary>The address scheme of a cluster that uses TLS (a plain one is <see cref="PlainScheme"/>).</summary>
    public const string Scheme = "akka.ssl.tcp";

    /// <summary>The address scheme of a cluster with a plain (unencrypted) transport.</summary>
    public const string PlainScheme = "akka.tcp";

    /// <summary>What the transport's HOCON says; the certificate and the check come with <see cref="Setup"/>.</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString("""
        akka.remote.dot-netty.tcp {
          enable-ssl = on
          ssl {
            suppress-validation = off
            require-mutual-authentication = on
            validate-certificate-hostname = off
          }
        }
        """);

    /// <summary>
    /// Loads the certificate and makes the transport's setup. Throws <see cref="ArgumentException"/> with a message
    /// naming the file when it cannot be used (missing, wrong password, no private key, expired).
    /// </summary>
    public Setup Setup(TimeProvider? clock = null)
    {
        var certificate = Load(clock ?? TimeProvider.System);
        var trusted = TrustedThumbprints.Select(t => t.Replace(":", "").Trim().ToUpperInvariant())
            .Append(certificate.Thumbprint.ToUpperInvariant())
            .ToHashSet();
        var now = clock ?? TimeProvider.System;
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            (peer, _, remote, _, log) =>
            {
                if (peer is null || !trusted.Contains(peer.Thumbprint.ToUpperInvariant()))
                {
                    log.Warning("Refused a cluster connection from {0}: its certificate ({1}) is not the cluster's", remote, peer?.Thumbprint ?? "none");
                    return false;
                }
                var at = now.GetUtcNow().UtcDateTime;
                if (at < peer.NotBefore.ToUniversalTime() || at > peer.NotAfter.ToUniversalTime())
                {
                    log.Warning("Refused a cluster connection from {0}: its certificate is not valid now (valid {1:O} to {2:O})", remote, peer.NotBefore, peer.NotAfter);
                    return false;
                }
                return true;
            });
    }

    /// <summary>The address of a cluster member: <c>akka.ssl.tcp://system@host:port</c> with TLS, <c>akka.tcp://…</c> without.</summary>
    public static string Address(bool tls, string system, string host, int port) => $"{(tls ? Scheme : PlainScheme)}://{system}@{host}:{port}";

    private X509Certificate2 Load(TimeProvider clock)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, Password.Length == 0 ? null : Password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"The cluster certificate {CertificatePath} cannot be read ({e.Message}); check the path and its password.", e);
        }
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"The cluster certificate {CertificatePath} holds no private key: give the PKCS#12 file with the key, not the .crt.");
        if (clock.GetUtcNow().UtcDateTime > certificate.NotAfter.ToUniversalTime())
            throw new ArgumentException($"The cluster certificate {CertificatePath} expired on {certificate.NotAfter:O}.");
        return certificate;
    }
}
