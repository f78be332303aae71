package com.gitblit.plugin.goproxy.cache;

/** Every build slot stayed busy for the whole bounded wait: the caller should answer 503 with Retry-After. */
public class BuildsSaturatedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    public BuildsSaturatedException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
