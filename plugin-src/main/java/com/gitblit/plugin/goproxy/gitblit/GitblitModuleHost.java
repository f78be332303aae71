package com.gitblit.plugin.goproxy.gitblit;

import com.gitblit.Constants;
import com.gitblit.IStoredSettings;
import com.gitblit.Keys;
import com.gitblit.manager.IAuthenticationManager;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.proxy.Caller;
import com.gitblit.plugin.goproxy.proxy.HostedRepository;
import com.gitblit.plugin.goproxy.proxy.ModuleHost;
import javax.servlet.http.HttpServletRequest;

/**
 * {@link ModuleHost} on Gitblit's managers. A repository exists for a caller only if Go is switched on for
 * it and the caller has Gitblit's right to clone it; everything else is treated exactly like a repository
 * that does not exist. Module paths are case-sensitive while Gitblit's name lookups are not, so a match
 * must have the repository's exact name.
 */
final class GitblitModuleHost implements ModuleHost {
    private final IRepositoryManager repositories;
    private final IAuthenticationManager authentication;
    private final IStoredSettings settings;
    private final ModuleNamespace namespace;
    private final GoSwitch goSwitch;
    private final String project;

    /** {@code project}: serve only that Gitblit project's repositories; {@code null} for all of them. */
    GitblitModuleHost(IRepositoryManager repositories, IAuthenticationManager authentication,
            IStoredSettings settings, ModuleNamespace namespace, String project) {
        this.repositories = repositories;
        this.authentication = authentication;
        this.settings = settings;
        this.namespace = namespace;
        this.goSwitch = new GoSwitch(settings);
        this.project = project;
    }

    /** The same host, limited to one project's repositories. */
    GitblitModuleHost forProject(String projectName) {
        return new GitblitModuleHost(repositories, authentication, settings, namespace, projectName);
    }

    @Override
    public String moduleNamespace(HttpServletRequest request) {
        return namespace.of(request);
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        UserModel user = authentication.authenticate(request);
        if (user == null || !user.isAuthenticated() || user.disabled) {
            return Caller.ANONYMOUS;
        }
        return Caller.user(user.username, user);
    }

    @Override
    public HostedRepository find(Caller caller, String modulePath, HttpServletRequest request) {
        UserModel user = userOf(caller);
        if (user == null) {
            return null;
        }
        String ns = namespace.of(request);
        String relative = ns.isEmpty() ? modulePath
                : modulePath.startsWith(ns + "/") ? modulePath.substring(ns.length() + 1) : null;
        if (relative == null) {
            return null;
        }
        // Longest prefix first: team/lib/sub/v2 tries team/lib/sub/v2, team/lib/sub, team/lib, team.
        String candidate = relative;
        while (!candidate.isEmpty()) {
            RepositoryModel model = readable(user, candidate);
            if (model != null) {
                String root = ns.isEmpty() ? candidate : ns + "/" + candidate;
                return new GitblitRepository(repositories, model, root, anonymousReadable(model));
            }
            int slash = candidate.lastIndexOf('/');
            candidate = slash < 0 ? "" : candidate.substring(0, slash);
        }
        return null;
    }

    /** The repository named {@code path} (bare {@code path.git}, or a non-bare {@code path}) if this caller may use it. */
    private RepositoryModel readable(UserModel user, String path) {
        for (String name : new String[] {path + ".git", path}) {
            RepositoryModel model = repositories.getRepositoryModel(name);
            if (model == null || !model.name.equals(name)) {
                continue;
            }
            if (project != null && !project.equalsIgnoreCase(model.projectPath)) {
                return null;
            }
            if (goSwitch.isEnabled(model) && user.canClone(model)) {
                return model;
            }
            return null;
        }
        return null;
    }

    private UserModel userOf(Caller caller) {
        if (caller.isAnonymous()) {
            // With web.authenticateViewPages, Gitblit shows nothing to anonymous visitors; neither do we.
            return settings.getBoolean(Keys.web.authenticateViewPages, false) ? null : UserModel.ANONYMOUS;
        }
        return (UserModel) caller.principal();
    }

    private boolean anonymousReadable(RepositoryModel model) {
        return !settings.getBoolean(Keys.web.authenticateViewPages, false) && UserModel.ANONYMOUS.canClone(model);
    }

    /** Gitblit always has accounts and permissions: an anonymous miss is answered with a challenge. */
    @Override
    public boolean hidesRepositories() {
        return true;
    }

    @Override
    public String realm() {
        return Constants.NAME;
    }
}
