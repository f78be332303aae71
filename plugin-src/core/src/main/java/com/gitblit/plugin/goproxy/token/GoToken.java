package com.gitblit.plugin.goproxy.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A Go access token: {@code gbgo_<id>_<secret>}, with a 12-hex-digit id (48 random bits, public: it names the
 * token in lists and revocations) and a 48-hex-digit secret (192 random bits). Only lower-case hexadecimal digits,
 * so it survives {@code .netrc}, shells and URLs untouched. The prefix lets a host tell a token from a password
 * before any password check, so that a token never reaches a password realm (an LDAP bind with it could count
 * against the account). Stored only as its SHA-256: a fast hash is right for a long random secret, where PBKDF2
 * would only add CPU work an attacker can trigger.
 */
public final class GoToken {
    public static final String PREFIX = "gbgo_";
    static final int ID_DIGITS = 12;
    static final int SECRET_DIGITS = 48;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String text;
    private final String id;

    private GoToken(String text, String id) {
        this.text = text;
        this.id = id;
    }

    /** A new token from the system's strong random source. */
    public static GoToken generate() {
        String id = randomHex(ID_DIGITS);
        return new GoToken(PREFIX + id + "_" + randomHex(SECRET_DIGITS), id);
    }

    /** Whether {@code credential} claims to be a token (it may still be malformed or unknown). */
    public static boolean looksLikeToken(String credential) {
        return credential != null && credential.startsWith(PREFIX);
    }

    /** The token {@code text} spells, or {@code null} when it is not one (wrong length, characters, prefix). */
    public static GoToken parse(String text) {
        if (text == null || text.length() != PREFIX.length() + ID_DIGITS + 1 + SECRET_DIGITS || !text.startsWith(PREFIX)
                || text.charAt(PREFIX.length() + ID_DIGITS) != '_') {
            return null;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex && i != PREFIX.length() + ID_DIGITS) {
                return null;
            }
        }
        return new GoToken(text, text.substring(PREFIX.length(), PREFIX.length() + ID_DIGITS));
    }

    /** The public part: names the token in lists, logs and revocations. */
    public String id() {
        return id;
    }

    /** The whole token, to show its owner once. Never log it. */
    public String text() {
        return text;
    }

    /** SHA-256 of the whole token, in lower-case hex: the only form that is stored. */
    public String hash() {
        return sha256Hex(text);
    }

    static String sha256Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String randomHex(int digits) {
        byte[] b = new byte[digits / 2];
        RANDOM.nextBytes(b);
        StringBuilder sb = new StringBuilder(digits);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    /** Only the id: a token's text must never end up in a log by accident. */
    @Override
    public String toString() {
        return "GoToken[" + id + "]";
    }
}
