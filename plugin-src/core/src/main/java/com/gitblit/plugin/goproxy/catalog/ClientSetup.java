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
    private String sumdbKey;
    private boolean sumdbCoversThirdParty;

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

    /**
     * This forge signs its own checksum database with {@code verifierKey}; {@code coversThirdParty} when its
     * dependency proxy is on, so that the database also answers for public modules fetched through it.
     */
    public ClientSetup checksumDatabase(String verifierKey, boolean coversThirdParty) {
        this.sumdbKey = verifierKey;
        this.sumdbCoversThirdParty = coversThirdParty;
        return this;
    }

    /** The GOSUMDB line for the forge's own database, or {@code null} without one. */
    public String gosumdb() {
        return sumdbKey == null ? null
                : "GOSUMDB=\"" + sumdbKey + " " + instanceBase + "/sumdb/" + namespace + "\"";
    }

    /**
     * Whether the GONOSUMDB line applies: always without a database of the forge's own, and with one whose
     * answers stop at the forge's modules (one GOSUMDB serves all modules, so public ones need sum.golang.org).
     */
    public boolean needsGonosumdb() {
        return sumdbKey == null || !sumdbCoversThirdParty;
    }

    /** What the GOSUMDB line does, in one sentence; {@code null} without a database. */
    public String gosumdbNote() {
        if (sumdbKey == null) {
            return null;
        }
        return sumdbCoversThirdParty
                ? "This server signs a checksum database of every module it serves, public ones fetched through it"
                        + " included: with this GOSUMDB (and no GONOSUMDB) go verifies them all."
                : "This server signs a checksum database of its own modules: with this GOSUMDB go verifies them too,"
                        + " but public modules then fail to verify (its dependency proxy is off); use it when all"
                        + " modules come from this server, else keep GONOSUMDB.";
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
