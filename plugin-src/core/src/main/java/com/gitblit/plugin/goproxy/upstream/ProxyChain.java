package com.gitblit.plugin.goproxy.upstream;

import java.nio.file.Path;

/**
 * Asks the upstream list for one path, as cmd/go walks GOPROXY: the next proxy after a 404/410, or after any
 * error when the separator was {@code |}; {@code off} ends the walk.
 */
final class ProxyChain {
    interface Attempt<T> {
        T at(String url) throws UpstreamException;
    }

    private final UpstreamList list;
    private final UpstreamHttp http;

    ProxyChain(UpstreamList list, UpstreamHttp http) {
        this.list = list;
        this.http = http;
    }

    UpstreamHttp http() {
        return http;
    }

    byte[] bytes(String path, int maxBytes) throws UpstreamException {
        return walk(base -> http.getBytes(base + "/" + path, maxBytes));
    }

    /** Spools to {@code file}; returns the proxy that answered. */
    String toFile(String path, long maxBytes, Path file) throws UpstreamException {
        return walk(base -> {
            http.getToFile(base + "/" + path, maxBytes, file);
            return base;
        });
    }

    <T> T walk(Attempt<T> attempt) throws UpstreamException {
        UpstreamException last = null;
        for (UpstreamList.Entry entry : list.entries()) {
            if (entry.isOff()) {
                if (last != null && last.kind() != UpstreamException.Kind.NOT_FOUND) {
                    throw last;
                }
                throw UpstreamException.notFound("module lookup disabled by goproxy.upstream=off");
            }
            try {
                return attempt.at(entry.url());
            } catch (UpstreamException e) {
                last = e;
                if (e.kind() != UpstreamException.Kind.NOT_FOUND && !entry.fallThroughOnAnyError()) {
                    throw e;
                }
            }
        }
        throw last;
    }
}
