package com.gitblit.plugin.goproxy.source;

import java.io.IOException;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;

/**
 * The repository cannot be read: an object that a live ref needs is missing or damaged, a pack file is
 * truncated, the storage fails. Unlike a {@link SourceException}, this says nothing about the module or the
 * version: the answer is unknown until an administrator repairs the repository, so it must never turn into a
 * "not found" that a client or a cache would believe, nor into an empty version list.
 *
 * <p>An {@link IOException} on purpose: every JGit read already throws one, so a fault travels up through
 * code that knows nothing about it, and no {@code catch (SourceException)} that turns a bad version into a
 * fall-through or a 404 can swallow it by accident.
 */
public final class RepositoryFaultException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What kind of damage, for logging each kind once per repository. */
    public enum Kind {
        /** An object a live ref reaches is not in the object store (deleted file, truncated or lost pack). */
        MISSING_OBJECT("an object is missing"),
        /** An object's bytes do not inflate or parse. */
        CORRUPT_OBJECT("an object is corrupt"),
        /** Refs, packs or loose files cannot be read at all. */
        UNREADABLE("the repository cannot be read");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final Kind kind;
    private final String detail;

    RepositoryFaultException(Kind kind, String detail, Throwable cause) {
        super("repository damaged: " + kind.text + " (" + detail + "); retry after the server's administrator"
                + " repairs it", cause);
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    /** Where the damage showed: the ref, file or commit being read, and the object. */
    public String detail() {
        return detail;
    }

    /** Seconds a client should wait before asking again: repairs take a person, not a moment. */
    public int retryAfterSeconds() {
        return 300;
    }

    /** Classifies an error JGit threw while reading objects that a live ref needs. */
    static RepositoryFaultException of(IOException e, String context) {
        if (e instanceof RepositoryFaultException) {
            return (RepositoryFaultException) e;
        }
        String where = context == null || context.isEmpty() ? "" : context + ": ";
        if (e instanceof MissingObjectException) {
            return new RepositoryFaultException(Kind.MISSING_OBJECT,
                    where + "object " + ((MissingObjectException) e).getObjectId().name() + " cannot be found", e);
        }
        if (e instanceof CorruptObjectException || e.getCause() instanceof java.util.zip.DataFormatException) {
            return new RepositoryFaultException(Kind.CORRUPT_OBJECT, where + oneLine(e.getMessage()), e);
        }
        return new RepositoryFaultException(Kind.UNREADABLE, where + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage())), e);
    }

    /** A missing object known by id, without an exception from JGit to wrap. */
    static RepositoryFaultException missing(String context, String objectId) {
        return new RepositoryFaultException(Kind.MISSING_OBJECT, context + ": object " + objectId + " cannot be found",
                null);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        // JGit messages may carry absolute paths (a pack file's): the body goes to clients, paths belong in the log.
        String t = s.replaceAll("(?<![\\w.])(/[^\\s/]+)+/([^\\s/]+)", "$2").replaceAll("[\\r\\n\\t]+", " ");
        return t.length() > 200 ? t.substring(0, 200) : t;
    }
}
