package com.gitblit.plugin.goproxy.catalog;

/** A tag the proxy does not serve, with the proxy's reason. Shown only to those who may push. */
public final class OmittedTag {
    private final String tag;
    private final String commit;
    private final String reason;

    OmittedTag(String tag, String commit, String reason) {
        this.tag = tag;
        this.commit = commit;
        this.reason = reason;
    }

    public String tag() {
        return tag;
    }

    /** The commit it names, or {@code null} when it names none. */
    public String commit() {
        return commit;
    }

    public String reason() {
        return reason;
    }
}
