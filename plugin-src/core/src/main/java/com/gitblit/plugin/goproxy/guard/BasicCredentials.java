package com.gitblit.plugin.goproxy.guard;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user name and password of an {@code Authorization: Basic} header (RFC 7617): base64 of UTF-8
 * {@code user:password}, split at the first colon. Anything else (another scheme, bad base64, no colon, an
 * empty user name) is no credentials at all.
 */
public final class BasicCredentials {
    private final String user;
    private final String password;

    private BasicCredentials(String user, String password) {
        this.user = user;
        this.password = password;
    }

    /** The credentials of the header value, or {@code null}. */
    public static BasicCredentials parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** Credentials that arrived another way (a Bearer token, counted under a fixed user name). */
    public static BasicCredentials of(String user, String password) {
        return new BasicCredentials(user, password);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + user + "]";
    }
}
