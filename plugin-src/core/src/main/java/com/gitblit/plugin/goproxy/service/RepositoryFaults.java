package com.gitblit.plugin.goproxy.service;

import com.gitblit.plugin.goproxy.source.RepositoryFaultException;

/**
 * A damaged repository as the service reports it: a {@link ServiceFailure.Kind#REPOSITORY_FAULT}, which the
 * protocol answers 503 with the one-line reason and Retry-After, {@code Cache-Control: no-store} like every error. Never a 404 (a client would fall through
 * to the next proxy, a cache would keep it) and never an empty list. The source layer has already logged the
 * damage, once per repository and kind.
 */
final class RepositoryFaults {
    private RepositoryFaults() {
    }

    static ServiceFailure unavailable(RepositoryFaultException fault) {
        return ServiceFailure.repositoryFault(fault.getMessage(), fault);
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
