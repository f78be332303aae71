package com.gitblit.plugin.goproxy.proxy;

import java.io.IOException;
import javax.servlet.http.HttpServletResponse;

import com.gitblit.plugin.goproxy.service.ServiceFailure;

/**
 * The one error type of the protocol layer: its kind is the HTTP status, its message the one-line
 * {@code text/plain} body the {@code go} command prints to the user.
 */
public final class ProxyError extends Exception {
    private static final long serialVersionUID = 1L;

    /** Statuses the proxy answers with on purpose; anything unexpected becomes a logged 500. */
    public enum Kind {
        /** Also for anything malformed: the go command treats only 404/410 as "try the next proxy". */
        NOT_FOUND(404),
        UNAUTHORIZED(401),
        METHOD_NOT_ALLOWED(405),
        /** Too many builds at once; answered with Retry-After. */
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final int retryAfterSeconds;

    private ProxyError(Kind kind, String message, int retryAfterSeconds) {
        super(oneLine(message));
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProxyError notFound(String message) {
        return new ProxyError(Kind.NOT_FOUND, message, 0);
    }

    public static ProxyError unauthorized(String message) {
        return new ProxyError(Kind.UNAUTHORIZED, message, 0);
    }

    public static ProxyError methodNotAllowed(String message) {
        return new ProxyError(Kind.METHOD_NOT_ALLOWED, message, 0);
    }

    public static ProxyError unavailable(String message, int retryAfterSeconds) {
        return new ProxyError(Kind.UNAVAILABLE, message, retryAfterSeconds);
    }

    /**
     * The one table from the module service's failure kinds to statuses: "not here" is a 404 (the go command
     * then tries the next proxy); every server-side fault is a 503 with Retry-After, never a 404 a client or a
     * cache would believe.
     */
    public static ProxyError of(ServiceFailure failure) {
        switch (failure.kind()) {
            case NOT_FOUND:
                return notFound(failure.getMessage());
            case OVERLOADED:
            case STORAGE_FAULT:
            case REPOSITORY_FAULT:
            case STOPPED:
            case LAGGING_REPOSITORY:
            default:
                return unavailable(failure.getMessage(), failure.retryAfterSeconds());
        }
    }

    public Kind kind() {
        return kind;
    }

    /** Writes this error as the response: its status, the challenge or Retry-After it needs, its one line. */
    public void writeTo(HttpServletResponse response, String realm) throws IOException {
        if (kind == Kind.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        }
        if (kind == Kind.UNAVAILABLE && retryAfterSeconds > 0) {
            response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        }
        PlainText.write(response, kind.status(), getMessage());
    }

    /** Seconds for the Retry-After header of a 503; 0 otherwise. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The go command shows at most the first lines of an error body, and only printable text; a reason
     * built from user input or a go.mod must never smuggle in line breaks or control characters.
     */
    static String oneLine(String message) {
        if (message == null || message.isEmpty()) {
            return "not found";
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), 400));
        for (int i = 0; i < message.length() && out.length() < 400; i++) {
            char c = message.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString().trim();
    }
}
