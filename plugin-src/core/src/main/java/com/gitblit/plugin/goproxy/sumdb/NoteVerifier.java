package com.gitblit.plugin.goproxy.sumdb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A verifier key in the note format ({@code name+hash+base64(alg || key)}), as GOSUMDB names one: the name, the
 * 32-bit key hash that signature lines carry, and the Ed25519 public key (algorithm byte 1, the only one).
 */
public final class NoteVerifier {
    private static final byte ALG_ED25519 = 1;

    private final String name;
    private final int keyHash;
    private final byte[] publicKey;
    private final String text;

    private NoteVerifier(String name, int keyHash, byte[] publicKey, String text) {
        this.name = name;
        this.keyHash = keyHash;
        this.publicKey = publicKey;
        this.text = text;
    }

    /** Parses a verifier key; the message of the exception says which part is wrong. */
    public static NoteVerifier parse(String vkey) throws SumdbException {
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3 || !validName(parts[0]) || parts[1].length() != 8) {
            throw new SumdbException("malformed verifier key " + vkey + ": want name+hash+key");
        }
        int hash;
        byte[] key;
        try {
            hash = (int) Long.parseLong(parts[1], 16);
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SumdbException("malformed verifier key " + vkey + ": bad hash or base64 key");
        }
        if (key.length == 0 || hash != keyHash(parts[0], key)) {
            throw new SumdbException("malformed verifier key " + vkey + ": the key hash does not match the key");
        }
        if (key[0] != ALG_ED25519 || key.length != 33) {
            throw new SumdbException("malformed verifier key " + vkey + ": not an Ed25519 key");
        }
        return new NoteVerifier(parts[0], hash, Arrays.copyOfRange(key, 1, 33), vkey);
    }

    /** The first four bytes, big-endian, of SHA-256 over {@code name "\n" key}. */
    static int keyHash(String name, byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] d = sha.digest(key);
            return ((d[0] & 0xff) << 24) | ((d[1] & 0xff) << 16) | ((d[2] & 0xff) << 8) | (d[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Non-empty, no white space, no {@code +}. */
    static boolean validName(String name) {
        if (name.isEmpty() || name.indexOf('+') >= 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    public String name() {
        return name;
    }

    public int keyHash() {
        return keyHash;
    }

    boolean verify(byte[] message, byte[] signature) {
        return Ed25519.verify(publicKey, message, signature);
    }

    /** The key as it was written. */
    @Override
    public String toString() {
        return text;
    }
}
