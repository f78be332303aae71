package com.gitblit.plugin.goproxy.gitblit;

import org.apache.wicket.PageParameters;
import org.apache.wicket.protocol.http.servlet.AbortWithWebErrorCodeException;

import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.admin.AdminActions;
import com.gitblit.plugin.goproxy.admin.AdminReadModel;
import com.gitblit.plugin.goproxy.admin.AuditLog;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.ServiceState;
import com.gitblit.wicket.GitBlitWebSession;
import com.gitblit.wicket.GitblitWicketApp;

/**
 * Where the admin pages live and who reaches them. Mount points: {@code /goadmin} ({@link GoAdminPage}) and
 * {@code /goadminmodule} ({@code r}, {@code m}: {@link GoAdminModulePage}); the confirmation page is reached only
 * through a form of those. Only Gitblit administrators reach them; everyone else, signed in or not, gets the bare
 * 404 that Gitblit answers for a path it does not know, so the pages' existence is not told either.
 */
final class GoAdminPages {
    static final String MOUNT = "/goadmin";
    static final String MODULE_MOUNT = "/goadminmodule";
    /** No module path is longer; a longer parameter is not one. */
    private static final int MAX_PARAMETER = 1024;

    private GoAdminPages() {
    }

    static void mount(GitblitWicketApp app) {
        app.mount(MOUNT, GoAdminPage.class);
        app.mount(MODULE_MOUNT, GoAdminModulePage.class, "r");
    }

    /** The signed-in administrator, checked again at every page and every submitted form. */
    static UserModel administrator() {
        UserModel user = GitBlitWebSession.get().getUser();
        if (user == null || !user.isAuthenticated() || user.disabled || !user.canAdmin()) {
            throw notFound();
        }
        return user;
    }

    /** Runs before Gitblit's page code (which would redirect or tell "unauthorized"): not an admin, no page. */
    static PageParameters admitted(PageParameters params) {
        administrator();
        return params;
    }

    /** Without a message: the same 404 as for any path Gitblit does not know. */
    static AbortWithWebErrorCodeException notFound() {
        return new AbortWithWebErrorCodeException(404);
    }

    static String param(PageParameters params, String name) {
        String value = GoPages.param(params, name);
        return value == null || value.isEmpty() || value.length() > MAX_PARAMETER ? null : value;
    }

    /** The running service; a stopped proxy has no admin page (503), as it has no module page. */
    static ModuleService service() {
        GoProxyRuntime runtime = GoProxyRuntime.latest();
        ModuleService service = runtime == null ? null : runtime.service();
        if (service == null || service.state() == null) {
            throw new AbortWithWebErrorCodeException(503, "the Go module proxy is not running");
        }
        return service;
    }

    static AdminReadModel model() {
        ServiceState state = service().state();
        return new AdminReadModel(state);
    }

    /** Null without a data folder: then nothing is pinned or cached, and there is no act to record. */
    static AdminActions actions() {
        ModuleService service = service();
        java.io.File data = GoProxyRuntime.latest().runningDataFolder();
        return data == null ? null : new AdminActions(service, AuditLog.of(data.toPath(), service.state().database()));
    }
}
