package com.gitblit.plugin.goproxy.standalone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server certificate: a PEM certificate chain with a PKCS#8 PEM key, or a PKCS12/JKS keystore. */
public final class TlsMaterial {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private final KeyStore keyStore;
    private final String password;

    private TlsMaterial(KeyStore keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    public static TlsMaterial pem(Path certificate, Path key) throws IOException, GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (byte[] der : blocks(certificate, "CERTIFICATE")) {
            chain.add(cf.generateCertificate(new ByteArrayInputStream(der)));
        }
        List<byte[]> keys = blocks(key, "PRIVATE KEY");
        if (chain.isEmpty() || keys.isEmpty()) {
            throw new IOException("want a PEM certificate (" + certificate + ") and an unencrypted PKCS#8 PEM key (" + key
                    + ", \"BEGIN PRIVATE KEY\"; convert with openssl pkcs8 -topk8 -nocrypt)");
        }
        PrivateKey pk = privateKey(keys.get(0));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        String password = "goproxy";
        ks.setKeyEntry("server", pk, password.toCharArray(), chain.toArray(new Certificate[0]));
        return new TlsMaterial(ks, password);
    }

    public static TlsMaterial keystore(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password.toCharArray());
            }
        } catch (IOException e) {
            ks = KeyStore.getInstance("JKS");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password.toCharArray());
            }
        }
        return new TlsMaterial(ks, password);
    }

    SslContextFactory contextFactory() {
        SslContextFactory f = new SslContextFactory.Server();
        f.setKeyStore(keyStore);
        f.setKeyStorePassword(password);
        f.setKeyManagerPassword(password);
        return f;
    }

    private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the key is neither RSA nor EC PKCS#8");
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }
}
