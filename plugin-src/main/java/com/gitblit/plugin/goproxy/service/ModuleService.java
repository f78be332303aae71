package com.gitblit.plugin.goproxy.service;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The Go answers for the modules of the repositories a host admitted a caller to: the one place that pins
 * versions, builds zips once, caps builds and keeps artifacts. The HTTP routes call it, and so will the push
 * hook, the pages and the checksum database. Every "no such version / not servable" outcome and every
 * server-side fault is a {@link ServiceFailure} of its kind; {@link IOException} is left for the unexpected.
 */
public interface ModuleService extends Closeable {

    /** {@code @v/list}: tagged versions only, any order. */
    List<String> list(HostedRepository repository, String modulePath) throws ServiceFailure, IOException;

    /**
     * {@code .info} for any query (version, branch, tag, hash prefix). A canonical {@code vN.x.y} (N >= 2) on a
     * path without {@code /vN} answers like a query with its {@code +incompatible} version, as direct mode does.
     */
    RevisionInfo info(HostedRepository repository, String modulePath, String query) throws ServiceFailure, IOException;

    /** {@code @latest}. */
    RevisionInfo latest(HostedRepository repository, String modulePath) throws ServiceFailure, IOException;

    /** {@code .mod} of a canonical version. */
    Artifact mod(HostedRepository repository, String modulePath, String version) throws ServiceFailure, IOException;

    /**
     * {@code .zip} of a canonical version, validated before this returns: a version that cannot be zipped is a
     * {@link ServiceFailure}, never a truncated body.
     */
    Artifact zip(HostedRepository repository, String modulePath, String version) throws ServiceFailure, IOException;

    /**
     * A repository was deleted or renamed: nothing cached under its name may be served again. The ledger keeps
     * its entries (it is permanent: a version's recorded commit is what go.sum files hold).
     */
    void forgetRepository(String repositoryName) throws IOException;

    /**
     * Administrator's act: unpins a version and drops everything held for it, in memory and on disk, so that
     * the next request resolves it afresh. True if it was pinned.
     */
    boolean forgetVersion(String modulePath, String version) throws IOException;

    /** The dependency proxy for modules outside the forge's namespace, or {@code null} when it is off. */
    default ThirdPartyModules thirdParty() {
        return null;
    }

    /** Stops build threads and releases files; later calls fail with {@link ServiceFailure.Kind#STOPPED}. */
    @Override
    void close();
}
