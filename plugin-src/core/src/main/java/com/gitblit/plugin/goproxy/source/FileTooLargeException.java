package com.gitblit.plugin.goproxy.source;

/**
 * A file cmd/go reads whole (go.mod) is over its limit at that revision: the version cannot be served, but the
 * file exists, which is what the {@code +incompatible} rules ask.
 */
final class FileTooLargeException extends SourceException {
    private static final long serialVersionUID = 1L;

    FileTooLargeException(String message) {
        super(message);
    }
}
