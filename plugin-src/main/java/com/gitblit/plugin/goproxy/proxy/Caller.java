package com.gitblit.plugin.goproxy.proxy;

/** Who is asking: an authenticated user of the host, or nobody. */
public final class Caller {
    public static final Caller ANONYMOUS = new Caller(null);

    private final String name;

    private Caller(String name) {
        this.name = name;
    }

    public static Caller user(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a user needs a name");
        }
        return new Caller(name);
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
