package com.gitblit.plugin.goproxy.module.zip;

/** A file that is omitted from a module zip or makes it invalid, with x/mod's reason. */
public final class FileProblem {
    private final String path;
    private final String reason;

    public FileProblem(String path, String reason) {
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
