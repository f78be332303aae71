package com.gitblit.plugin.goproxy.source.archive;

/**
 * Why a module's files cannot be listed the way cmd/go gets them from {@code git archive}: see the
 * subclasses. The message is one line, fit for a 404 body.
 */
public class GitArchiveException extends Exception {
    private static final long serialVersionUID = 1L;

    public GitArchiveException(String message) {
        super(message);
    }
}
