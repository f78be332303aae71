package com.gitblit.plugin.goproxy.source;

/**
 * A module, version or query the repository cannot answer: unknown revision, invalid version, broken go.mod,
 * a tree no zip can be made of. The message is one line, worded like cmd/go's, fit for a 404 body.
 */
public class SourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
