package com.gitblit.plugin.goproxy.service;

/** Who is asking: an authenticated user of the host, or nobody. */
public final class Caller {
    public static final Caller ANONYMOUS = new Caller(null, null);

    private final String name;
    private final Object principal;

    private Caller(String name, Object principal) {
        this.name = name;
        this.principal = principal;
    }

    public static Caller user(String name) {
        return user(name, null);
    }

    /** A user, with the host's own object for it (Gitblit's UserModel) so the host need not look it up twice. */
    public static Caller user(String name, Object principal) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a user needs a name");
        }
        return new Caller(name, principal);
    }

    /** The host's object for this caller, as given to {@link #user(String, Object)}; may be {@code null}. */
    public Object principal() {
        return principal;
    }

    public boolean isAnonymous() {
        return name == null;
    }

    /** The user's name, or {@code null} for {@link #ANONYMOUS}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name == null ? "anonymous" : name;
    }
}
