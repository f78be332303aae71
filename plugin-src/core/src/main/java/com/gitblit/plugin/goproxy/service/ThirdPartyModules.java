package com.gitblit.plugin.goproxy.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.gitblit.plugin.goproxy.cache.StoredArtifact;
import com.gitblit.plugin.goproxy.upstream.UpstreamException;
import com.gitblit.plugin.goproxy.upstream.UpstreamModules;

/**
 * The dependency proxy as the HTTP layer sees it: who may use it, and its answers as {@link Artifact}s with
 * failures in the service's own kinds (a refusal or an upstream 404 is NOT_FOUND, so a client's GOPROXY chain
 * may go on; an unreachable upstream is UPSTREAM_FAULT).
 */
public final class ThirdPartyModules {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ThirdPartyModules.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final UpstreamModules upstream;

    ThirdPartyModules(UpstreamModules upstream) {
        this.upstream = upstream;
    }

    /** {@code goproxy.upstreamAccess}: anonymous callers only when it is {@code anonymous}. */
    public boolean mayUse(Caller caller) {
        return upstream.settings().anonymousAccess() || !caller.isAnonymous();
    }

    /** True when anonymous callers may use it: its answers may then sit in shared caches. */
    public boolean openToAnonymous() {
        return upstream.settings().anonymousAccess();
    }

    /** The allow/deny verdict for a module path: a one-line reason, or null when it may be fetched. */
    public String refusal(String modulePath) {
        return upstream.refusal(modulePath);
    }

    public Artifact list(String modulePath) throws ServiceFailure {
        try {
            return bytes(TEXT, upstream.list(modulePath));
        } catch (UpstreamException e) {
            throw failure(e);
        }
    }

    public Artifact latest(String modulePath) throws ServiceFailure {
        try {
            return bytes(JSON, upstream.latest(modulePath));
        } catch (UpstreamException e) {
            throw failure(e);
        }
    }

    /** True when the answer to this {@code .info} query never changes. */
    public boolean isVersion(String query) {
        return UpstreamModules.isVersion(query);
    }

    public Artifact info(String modulePath, String query) throws ServiceFailure {
        try {
            return bytes(JSON, upstream.info(modulePath, query));
        } catch (UpstreamException e) {
            throw failure(e);
        }
    }

    public Artifact mod(String modulePath, String version) throws ServiceFailure {
        try {
            return stored(TEXT, upstream.mod(modulePath, version));
        } catch (UpstreamException e) {
            throw failure(e);
        }
    }

    public Artifact zip(String modulePath, String version) throws ServiceFailure {
        try {
            return stored("application/zip", upstream.zip(modulePath, version));
        } catch (UpstreamException e) {
            throw failure(e);
        }
    }

    /** True for a checksum database passed through under {@code /sumdb/<name>/}. */
    public boolean supportsSumdb(String name) {
        return upstream.sumdb().supports(name);
    }

    /** A checksum database answer for {@code rest} below {@code /sumdb/<name>/}. */
    public Artifact sumdb(String name, String rest) throws ServiceFailure {
        try {
            return bytes(TEXT, upstream.sumdb().get(name, rest));
        } catch (UpstreamException e) {
            throw failure(e);
        }
    }

    /** Bytes held by kept third-party versions. */
    public long storedBytes() {
        return upstream.storedBytes();
    }

    private static ServiceFailure failure(UpstreamException e) {
        if (e.kind() == UpstreamException.Kind.UNAVAILABLE) {
            // The upstream's address may be an internal one: the log has it, the caller gets the kind of failure.
            LOG.warn("goproxy: upstream unavailable: {}", e.getMessage());
            return ServiceFailure.upstreamFault("upstream unavailable: try again later");
        }
        return ServiceFailure.notFound(e.getMessage().startsWith("not found") ? e.getMessage()
                : "not found: " + e.getMessage());
    }

    private static Artifact bytes(String type, byte[] body) {
        return new BytesArtifact(type, body, null, -1);
    }

    private static Artifact stored(String type, StoredArtifact stored) {
        return new Artifact() {
            @Override
            public String contentType() {
                return type;
            }

            @Override
            public long length() {
                return stored.length();
            }

            @Override
            public String etag() {
                return stored.h1();
            }

            @Override
            public long lastModified() {
                return -1;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                try (InputStream in = stored.open()) {
                    GitModuleService.copy(in, out);
                }
            }
        };
    }
}
