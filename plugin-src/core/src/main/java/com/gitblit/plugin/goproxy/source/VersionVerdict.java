package com.gitblit.plugin.goproxy.source;

/**
 * What the proxy decided about one version of one module at one commit, kept with the ref state it was decided in
 * ({@link RefIndex#derived}) so that the version list, {@code .info}, the push check and the pages ask once and
 * agree. Two answers, each filled the first time it is needed: the section 19 go.mod verdict (the list's and a
 * query's filter) and the whole verdict, up to the zip rules a file listing decides (the pages' and the push
 * check's). Neither is kept when reading failed: a fault is not an answer.
 */
final class VersionVerdict {
    private boolean goModKnown;
    private String goModProblem;
    private boolean foreignModulePath;
    private boolean reasonKnown;
    private String reason;

    synchronized boolean goModKnown() {
        return goModKnown;
    }

    /** Why section 19 keeps this version out of every list, or null; only after {@link #goModKnown()}. */
    synchronized String goModProblem() {
        return goModProblem;
    }

    /** Whether {@link #goModProblem()} is only that go.mod names another module (served on request if so set). */
    synchronized boolean foreignModulePath() {
        return foreignModulePath;
    }

    synchronized void goMod(String problem, boolean foreign) {
        goModProblem = problem;
        foreignModulePath = foreign;
        goModKnown = true;
    }

    synchronized boolean reasonKnown() {
        return reasonKnown;
    }

    /** The proxy's 404 sentence for this version, or null when every check passes; only after {@link #reasonKnown()}. */
    synchronized String reason() {
        return reason;
    }

    synchronized void reason(String why) {
        reason = why;
        reasonKnown = true;
    }
}
