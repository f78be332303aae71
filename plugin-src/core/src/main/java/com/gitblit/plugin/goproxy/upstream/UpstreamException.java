package com.gitblit.plugin.goproxy.upstream;

/** Why the dependency proxy has no answer; the message is one line for the go command's user. */
public final class UpstreamException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The upstream said 404 or 410 (or {@code off} ended the list): the module or version does not exist. */
        NOT_FOUND,
        /** Refused here: denied by a setting, or bytes that failed a check (size, zip rules, checksum database). */
        REFUSED,
        /** The upstream could not be reached or answered with an error: try again later. */
        UNAVAILABLE
    }

    private final Kind kind;

    public UpstreamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public static UpstreamException notFound(String message) {
        return new UpstreamException(Kind.NOT_FOUND, message);
    }

    public static UpstreamException refused(String message) {
        return new UpstreamException(Kind.REFUSED, message);
    }

    public static UpstreamException unavailable(String message) {
        return new UpstreamException(Kind.UNAVAILABLE, message);
    }

    public Kind kind() {
        return kind;
    }
}
