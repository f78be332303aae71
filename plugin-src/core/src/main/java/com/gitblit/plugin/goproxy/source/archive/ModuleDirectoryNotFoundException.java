package com.gitblit.plugin.goproxy.source.archive;

/**
 * The module directory is not in the commit's tree: {@code git archive -- <dir>} stops with "pathspec did not
 * match any files", which cmd/go reports as a missing file (the version has no zip).
 */
public final class ModuleDirectoryNotFoundException extends GitArchiveException {
    private static final long serialVersionUID = 1L;

    public ModuleDirectoryNotFoundException(String message) {
        super(message);
    }
}
