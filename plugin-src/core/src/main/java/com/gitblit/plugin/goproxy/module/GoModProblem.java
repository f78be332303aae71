package com.gitblit.plugin.goproxy.module;

/**
 * Why a go.mod makes a version unservable for a module path (rules digest, section 19 points 1 and 2), with a
 * kind that callers decide on and a one-line message worded like cmd/go's that they show.
 */
public final class GoModProblem {
    public enum Kind {
        /** The lax parse cmd/go applies to a dependency's go.mod fails. */
        UNPARSABLE,
        /** No {@code module} line. */
        NO_MODULE_DIRECTIVE,
        /** A valid go.mod for another module path (a fork; servable on request by a setting). */
        FOREIGN_MODULE_PATH
    }

    private final Kind kind;
    private final String message;

    GoModProblem(Kind kind, String message) {
        this.kind = kind;
        this.message = message;
    }

    public Kind kind() {
        return kind;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return message;
    }
}
