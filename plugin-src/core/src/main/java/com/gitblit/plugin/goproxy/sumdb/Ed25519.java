package com.gitblit.plugin.goproxy.sumdb;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Ed25519 signature verification (RFC 8032, section 5.1.7), the one piece of public-key cryptography the
 * checksum database needs. Java 8 has no Ed25519 and Gitblit ships an old BouncyCastle whose classes would
 * clash with a bundled one; verification alone takes only public inputs (no secret, so no timing concern), so
 * it is done here with {@link BigInteger} in extended twisted-Edwards coordinates. Like Go's crypto/ed25519 it is
 * the cofactorless check: {@code encode([S]B - [k]A)} must equal the signature's R bytes, and S must be below
 * the group order.
 */
public final class Ed25519 {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L = BigInteger.ONE.shiftLeft(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger D2 = D.shiftLeft(1).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.valueOf(2)
            .modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    private static final BigInteger[] BASE = decodePoint(unhexLe(
            "5866666666666666666666666666666666666666666666666666666666666666"));

    private Ed25519() {
    }

    /** True when {@code signature} (64 bytes) is {@code publicKey}'s (32 bytes) signature of {@code message}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != 32 || signature.length != 64) {
            return false;
        }
        BigInteger[] a = decodePoint(publicKey);
        if (a == null) {
            return false;
        }
        byte[] r = Arrays.copyOfRange(signature, 0, 32);
        BigInteger s = littleEndian(Arrays.copyOfRange(signature, 32, 64));
        if (s.compareTo(L) >= 0) {
            return false;
        }
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha512.update(r);
        sha512.update(publicKey);
        sha512.update(message);
        BigInteger k = littleEndian(sha512.digest()).mod(L);
        BigInteger[] check = add(multiply(BASE, s), multiply(negate(a), k));
        return Arrays.equals(encode(check), r);
    }

    private static BigInteger[] negate(BigInteger[] p) {
        return new BigInteger[] {P.subtract(p[0]).mod(P), p[1], p[2], P.subtract(p[3]).mod(P)};
    }

    /** Unified addition for a = -1 (valid for doubling too); points are {X, Y, Z, T} with x = X/Z, y = Y/Z, xy = T/Z. */
    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
        BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
        BigInteger c = p[3].multiply(D2).multiply(q[3]).mod(P);
        BigInteger d = p[2].shiftLeft(1).multiply(q[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger h = b.add(a);
        return new BigInteger[] {e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P)};
    }

    private static BigInteger[] multiply(BigInteger[] p, BigInteger scalar) {
        BigInteger[] result = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        for (int i = scalar.bitLength() - 1; i >= 0; i--) {
            result = add(result, result);
            if (scalar.testBit(i)) {
                result = add(result, p);
            }
        }
        return result;
    }

    private static byte[] encode(BigInteger[] p) {
        BigInteger zInv = p[2].modInverse(P);
        BigInteger x = p[0].multiply(zInv).mod(P);
        BigInteger y = p[1].multiply(zInv).mod(P);
        byte[] out = toLittleEndian(y);
        if (x.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    /** The point a 32-byte encoding names, or {@code null} when it names none (RFC 8032, 5.1.3). */
    private static BigInteger[] decodePoint(byte[] encoded) {
        byte[] bytes = encoded.clone();
        boolean xOdd = (bytes[31] & 0x80) != 0;
        bytes[31] &= 0x7f;
        BigInteger y = littleEndian(bytes);
        if (y.compareTo(P) >= 0) {
            return null;
        }
        BigInteger yy = y.multiply(y).mod(P);
        BigInteger u = yy.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(yy).add(BigInteger.ONE).mod(P);
        BigInteger xx = u.multiply(v.modInverse(P)).mod(P);
        BigInteger x = xx.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.multiply(x).mod(P).equals(xx)) {
            x = x.multiply(SQRT_M1).mod(P);
            if (!x.multiply(x).mod(P).equals(xx)) {
                return null;
            }
        }
        if (x.signum() == 0 && xOdd) {
            return null;
        }
        if (x.testBit(0) != xOdd) {
            x = P.subtract(x);
        }
        return new BigInteger[] {x, y, BigInteger.ONE, x.multiply(y).mod(P)};
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] be = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            be[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static byte[] toLittleEndian(BigInteger value) {
        byte[] be = value.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }

    private static byte[] unhexLe(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
