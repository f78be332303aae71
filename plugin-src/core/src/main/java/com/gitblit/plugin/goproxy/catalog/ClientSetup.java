package com.gitblit.plugin.goproxy.catalog;

/**
 * The lines a developer puts into their environment, built from the server's real settings: the proxy base URL
 * (instance, or one project's), the module namespace and the host name credentials are sent to.
 */
public final class ClientSetup {
    private final String instanceBase;
    private final String projectBase;
    private final String namespace;
    private final String credentialHost;
    private final String user;

    /**
     * @param instanceBase absolute URL of the instance proxy base, e.g. {@code https://git.example.com/go}
     * @param projectBase absolute URL of one project's base, or {@code null}
     * @param namespace the module path prefix of this forge, e.g. {@code git.example.com}
     * @param credentialHost the host name of {@code instanceBase} ({@code .netrc}'s {@code machine})
     * @param user the viewer's user name, or {@code null} when anonymous
     */
    public ClientSetup(String instanceBase, String projectBase, String namespace, String credentialHost, String user) {
        this.instanceBase = instanceBase;
        this.projectBase = projectBase;
        this.namespace = namespace;
        this.credentialHost = credentialHost;
        this.user = user;
    }

    public String goproxy() {
        return "GOPROXY=" + instanceBase + ",https://proxy.golang.org,direct";
    }

    /** The line for one project's base, or {@code null}. */
    public String projectGoproxy() {
        return projectBase == null ? null : "GOPROXY=" + projectBase + ",https://proxy.golang.org,direct";
    }

    public String gonosumdb() {
        return "GONOSUMDB=" + namespace;
    }

    /** The {@code ~/.netrc} line for private modules (the password stays a placeholder). */
    public String netrc() {
        return "machine " + credentialHost + " login " + (user == null ? "YOUR-USER-NAME" : user)
                + " password YOUR-PASSWORD";
    }

    public String goprivateNote() {
        return "Do not put " + namespace + " in GOPRIVATE: GOPRIVATE also bypasses GOPROXY, so go would clone the"
                + " repositories itself instead of asking this proxy; GONOSUMDB keeps the proxy and only skips the"
                + " public checksum database.";
    }
}
