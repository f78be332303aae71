package com.gitblit.plugin.goproxy.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Users and hashed passwords, one {@code name:pbkdf2-sha256:<iterations>:<salt b64>:<hash b64>} per line
 * ({@code #} comments allowed). Lines come from {@code java -jar goproxy-standalone.jar hash-password}. Checks
 * take the same time whether the user exists or not.
 */
final class UsersFile {
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int ITERATIONS = 210_000;
    private static final String DUMMY = SCHEME + ":" + ITERATIONS + ":AAAAAAAAAAAAAAAAAAAAAA==:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final Map<String, String> hashes;

    private UsersFile(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    static UsersFile load(Path file) throws IOException {
        Map<String, String> hashes = new HashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int colon = t.indexOf(':');
            if (colon <= 0 || !t.substring(colon + 1).startsWith(SCHEME + ":") || t.substring(colon + 1).split(":").length != 4) {
                throw new IOException(file + ":" + n + ": want \"name:" + SCHEME + ":<iterations>:<salt>:<hash>\" (see hash-password)");
            }
            hashes.put(t.substring(0, colon), t.substring(colon + 1));
        }
        return new UsersFile(hashes);
    }

    /** The slow check (PBKDF2); callers remember its outcome ({@link AccessPolicy}'s password guard). */
    boolean verify(String user, String password) {
        String stored = hashes.get(user);
        return matches(stored != null ? stored : DUMMY, password) && stored != null;
    }

    boolean has(String user) {
        return hashes.containsKey(user);
    }

    /**
     * A fingerprint of a user's entry that survives renaming the user (editing the name before the colon) but not
     * a new password: a hash of the stored salt and hash. For Go access tokens.
     */
    String anchorOf(String user) {
        String stored = hashes.get(user);
        return stored == null ? "" : TokenAnchors.of(stored);
    }

    /** The user whose entry has this anchor, or null. */
    String userWithAnchor(String anchor) {
        for (Map.Entry<String, String> e : hashes.entrySet()) {
            if (TokenAnchors.of(e.getValue()).equals(anchor)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** A users-file line for {@code user} with a fresh salt. */
    static String line(String user, char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, ITERATIONS);
        return user + ":" + SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static boolean matches(String stored, String password) {
        String[] p = stored.split(":");
        try {
            int iterations = Integer.parseInt(p[1]);
            byte[] salt = Base64.getDecoder().decode(p[2]);
            byte[] want = Base64.getDecoder().decode(p[3]);
            return MessageDigest.isEqual(want, pbkdf2(password.toCharArray(), salt, iterations));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        try {
            SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return f.generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JRE", e);
        }
    }
}
