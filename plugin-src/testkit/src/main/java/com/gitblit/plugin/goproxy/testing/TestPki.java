package com.gitblit.plugin.goproxy.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1 / localhost, for tests that
 * must speak HTTPS (the {@code go} command sends .netrc credentials only over HTTPS). The client trusts the
 * CA through {@code SSL_CERT_FILE=caPem()}; servers load {@link #serverKeyStore} or the PEM pair.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final X509Certificate caCert;
    private final X509Certificate serverCert;
    private final KeyPair serverKeys;

    private TestPki(X509Certificate caCert, X509Certificate serverCert, KeyPair serverKeys) {
        this.caCert = caCert;
        this.serverCert = serverCert;
        this.serverKeys = serverKeys;
    }

    /** A new CA and a server certificate for 127.0.0.1, ::1 and localhost, valid for a day. */
    public static TestPki create() {
        try {
            KeyPair caKeys = ecKeys();
            X500Name caName = new X500Name("CN=goproxy test CA");
            Instant now = Instant.now().minus(Duration.ofHours(1));
            Instant until = now.plus(Duration.ofDays(2));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now),
                    Date.from(until), caName, caKeys.getPublic());
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys);

            KeyPair serverKeys = ecKeys();
            // One host name only, in the common name and the SANs: Jetty 9.4's plain SslContextFactory, which
            // Gitblit 1.10.0 serves HTTPS with, refuses to start on a certificate naming two hosts (it counts the
            // DNS names and the common name; IP addresses are not counted).
            X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now),
                    Date.from(until), new X500Name("CN=localhost"), serverKeys.getPublic());
            server.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            server.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            server.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            server.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
                new GeneralName(GeneralName.dNSName, "localhost"),
            }));
            server.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            return new TestPki(caCert, sign(server, caKeys), serverKeys);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    public X509Certificate serverCertificate() {
        return serverCert;
    }

    /** Writes the CA certificate as PEM (for {@code SSL_CERT_FILE}) and returns the path. */
    public Path writeCaPem(Path file) {
        return writePem(file, caCert);
    }

    /** Writes the server certificate chain (server, then CA) as PEM. */
    public Path writeServerCertPem(Path file) {
        return writePem(file, serverCert, caCert);
    }

    /** Writes the server's private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public Path writeServerKeyPem(Path file) {
        try {
            return writePem(file, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(serverKeys.getPrivate(), null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A keystore holding the server key and chain under {@code alias}, protected (store and key) by
     * {@code password}; {@code type} is {@code "PKCS12"} or {@code "JKS"}.
     */
    public Path writeServerKeyStore(Path file, String type, String alias, String password) {
        try {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(null, null);
            ks.setKeyEntry(alias, serverKeys.getPrivate(), password.toCharArray(),
                    new Certificate[] {serverCert, caCert});
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A keystore holding only the CA as a trusted certificate (for Java clients). */
    public KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("test-ca", caCert);
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePem(Path file, Object... objects) {
        try {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
                for (Object o : objects) {
                    pem.writeObject(o);
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, text.toString().getBytes(StandardCharsets.US_ASCII));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }
}
