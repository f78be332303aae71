package com.gitblit.plugin.goproxy.proxy;

/**
 * {@link ModuleHost#authenticate} refuses to check a password now: too many checks are running, or this client
 * failed too often for this user. Answered with 429, {@code Retry-After} and the message as a one-line body;
 * the request never waits for a password check to become possible.
 */
public final class AuthenticationThrottled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int retryAfterSeconds;

    public AuthenticationThrottled(String message, int retryAfterSeconds) {
        super(ProxyError.oneLine(message));
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Seconds for the {@code Retry-After} header; at least 1. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
