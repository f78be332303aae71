package com.gitblit.plugin.goproxy.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The Go answers for one module in one repository the caller was admitted to. The servlet knows HTTP;
 * implementations know git, the version ledger and the artifact cache. Every "no such version / invalid"
 * outcome is a {@link ProxyError} (404 with the reason); {@link IOException} is for real faults only.
 */
public interface ModuleService extends Closeable {

    /** {@code @v/list}: tagged versions only, any order. */
    List<String> list(HostedRepository repository, String modulePath) throws ProxyError, IOException;

    /** {@code .info} for any query (version, branch, tag, hash prefix). */
    RevisionInfo info(HostedRepository repository, String modulePath, String query) throws ProxyError, IOException;

    /** {@code @latest}. */
    RevisionInfo latest(HostedRepository repository, String modulePath) throws ProxyError, IOException;

    /** {@code .mod} of a canonical version. */
    Artifact mod(HostedRepository repository, String modulePath, String version) throws ProxyError, IOException;

    /**
     * {@code .zip} of a canonical version, validated before this returns: a version that cannot be zipped is a
     * {@link ProxyError}, never a truncated body.
     */
    Artifact zip(HostedRepository repository, String modulePath, String version) throws ProxyError, IOException;

    /**
     * A repository was deleted or renamed: nothing cached under its name may be served again. The ledger keeps
     * its entries (it is permanent: a version's recorded commit is what go.sum files hold).
     */
    void forgetRepository(String repositoryName) throws IOException;

    /**
     * Ends the service: its threads stop and its files are closed. Hosts call it when the proxy stops (Gitblit's
     * {@code plugin stop}, uninstall, upgrade, shutdown); nothing may be asked of the service afterwards.
     */
    @Override
    void close() throws IOException;
}
