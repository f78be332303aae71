package com.gitblit.plugin.goproxy.source.archive;

/**
 * {@code git archive} itself would fail on this commit in cmd/go's clone (for example a path git refuses to
 * put in an index, such as a {@code .git} directory anywhere in the tree, or a
 * {@code working-tree-encoding} attribute without a value), so direct mode cannot download the version at
 * all. Serving a zip anyway would publish a checksum no {@code go} command can reproduce.
 */
public final class GitArchiveFailureException extends GitArchiveException {
    private static final long serialVersionUID = 1L;

    public GitArchiveFailureException(String message) {
        super(message);
    }
}
