package com.gitblit.plugin.goproxy.source;

/**
 * The commit a version was pinned to is no longer in the repository (a history rewrite and gc, or a repository
 * restored from an older backup). Not corruption: the repository is consistent, it just lacks that commit.
 */
public final class CommitGoneException extends SourceException {
    private static final long serialVersionUID = 1L;

    public CommitGoneException(String message) {
        super(message);
    }
}
