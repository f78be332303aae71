package com.gitblit.plugin.goproxy.sumdb;

/**
 * Ed25519 (RFC 8032) as the checksum database uses it, done by BouncyCastle's implementation. Java 8 has no
 * Ed25519 and Gitblit's BouncyCastle 1.57 predates it, so core bundles a current BouncyCastle relocated under its
 * own package (see core's pom): the one code path for every signature, on both hosts. This class is the only
 * place that names it, so a change of library stays here.
 */
public final class Ed25519 {
    /** Bytes of a public key. */
    public static final int PUBLIC_KEY_SIZE = org.bouncycastle.math.ec.rfc8032.Ed25519.PUBLIC_KEY_SIZE;
    /** Bytes of a signature. */
    public static final int SIGNATURE_SIZE = org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE;

    private Ed25519() {
    }

    /**
     * True when {@code signature} is {@code publicKey}'s signature of {@code message}. Keys and signatures of the
     * wrong length, points that do not decode and a scalar S not below the group order all verify as false, as
     * with Go's crypto/ed25519.
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != PUBLIC_KEY_SIZE || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0,
                message.length);
    }
}
