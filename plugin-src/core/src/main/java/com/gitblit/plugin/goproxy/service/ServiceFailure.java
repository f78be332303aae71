package com.gitblit.plugin.goproxy.service;

/**
 * Why the module service did not answer, in its own terms. Its message is one line for a person (the go
 * command prints it; the push hook and the pages show it); only the HTTP layer turns the kind into a status.
 */
public final class ServiceFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** No such module, version or revision (or it is not servable: bad go.mod, invalid zip, gone commit). */
        NOT_FOUND,
        /** Every build slot stayed busy: try again shortly. */
        OVERLOADED,
        /** The data folder cannot take a write this answer needs (a new pin): try again later. */
        STORAGE_FAULT,
        /** The repository cannot be read (corrupt or missing objects): the operator must look. */
        REPOSITORY_FAULT,
        /** The service is stopped (plugin stopped, server shutting down). */
        STOPPED,
        /** The upstream proxy or checksum database could not be reached or failed: try again later. */
        UPSTREAM_FAULT,
        /**
         * Another node pinned the version to a commit this node's copy of the repository has not received yet:
         * another node, or this one a little later, can serve it.
         */
        LAGGING_REPOSITORY
    }

    private final Kind kind;
    private final int retryAfterSeconds;

    private ServiceFailure(Kind kind, String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ServiceFailure notFound(String message) {
        return new ServiceFailure(Kind.NOT_FOUND, message, 0, null);
    }

    public static ServiceFailure overloaded(String message, int retryAfterSeconds) {
        return new ServiceFailure(Kind.OVERLOADED, message, Math.max(1, retryAfterSeconds), null);
    }

    public static ServiceFailure storageFault(String message, Throwable cause) {
        return new ServiceFailure(Kind.STORAGE_FAULT, message, 30, cause);
    }

    public static ServiceFailure repositoryFault(String message, Throwable cause) {
        return new ServiceFailure(Kind.REPOSITORY_FAULT, message, 60, cause);
    }

    public static ServiceFailure upstreamFault(String message) {
        return new ServiceFailure(Kind.UPSTREAM_FAULT, message, 30, null);
    }

    public static ServiceFailure laggingRepository(String message, int retryAfterSeconds) {
        return new ServiceFailure(Kind.LAGGING_REPOSITORY, message, Math.max(1, retryAfterSeconds), null);
    }

    public static ServiceFailure stopped() {
        return new ServiceFailure(Kind.STOPPED, "the Go module proxy is stopped", 30, null);
    }

    public Kind kind() {
        return kind;
    }

    /** Seconds after which a retry may succeed; 0 for failures a retry cannot fix. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
