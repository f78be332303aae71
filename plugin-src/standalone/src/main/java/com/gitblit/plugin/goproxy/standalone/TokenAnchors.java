package com.gitblit.plugin.goproxy.standalone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The anchor of a users-file entry (see {@link UsersFile#anchorOf}): 32 hex digits of a SHA-256. */
final class TokenAnchors {
    private TokenAnchors() {
    }

    static String of(String storedHash) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("goproxy-token-owner:" + storedHash).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 16; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
