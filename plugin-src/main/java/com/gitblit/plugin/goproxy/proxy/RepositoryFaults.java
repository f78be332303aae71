package com.gitblit.plugin.goproxy.proxy;

import com.gitblit.plugin.goproxy.source.RepositoryFaultException;

/**
 * A damaged repository as the protocol answers it: 503 with the one-line reason and Retry-After, which the
 * servlet sends with {@code Cache-Control: no-store} like every error. Never a 404 (a client would fall through
 * to the next proxy, a cache would keep it) and never an empty list. The source layer has already logged the
 * damage, once per repository and kind.
 */
final class RepositoryFaults {
    private RepositoryFaults() {
    }

    static ProxyError unavailable(RepositoryFaultException fault) {
        return ProxyError.unavailable(fault.getMessage(), fault.retryAfterSeconds());
    }

    /** The fault behind a failed build, if that is why it failed. */
    static RepositoryFaultException causeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RepositoryFaultException) {
                return (RepositoryFaultException) t;
            }
        }
        return null;
    }
}
