package com.gitblit.plugin.goproxy.gitblit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import com.gitblit.GitBlitException;
import com.gitblit.IStoredSettings;
import com.gitblit.manager.IRepositoryManager;
import com.gitblit.models.RepositoryModel;
import com.gitblit.models.UserModel;
import com.gitblit.plugin.goproxy.catalog.ModuleCatalog;
import com.gitblit.plugin.goproxy.service.Caller;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;

/**
 * What the Go pages may know, for one viewer, decided here and nowhere else:
 * <ul>
 *   <li>a repository's modules are shown to a viewer who may clone it while Go is on; its owners and Gitblit's
 *       administrators always reach its Go tab (to switch Go on), and only those who may push see the tags the
 *       proxy leaves out;</li>
 *   <li>every other case (no such repository, one the viewer may not see or clone, Go off) is the same "not
 *       found", so a page never tells whether a repository exists;</li>
 *   <li>the instance list holds exactly the repositories the viewer could download modules from.</li>
 * </ul>
 */
final class GoPageData {
    private final GitblitModuleHost host;
    private final ModuleService service;
    private final IStoredSettings settings;
    private final IRepositoryManager repositories;

    GoPageData(GitblitModuleHost host, ModuleService service, IStoredSettings settings,
            IRepositoryManager repositories) {
        this.host = host;
        this.service = service;
        this.settings = settings;
        this.repositories = repositories;
    }

    ModuleCatalog catalog() {
        return new ModuleCatalog(service);
    }

    IStoredSettings settings() {
        return settings;
    }

    String namespace(HttpServletRequest request) {
        return host.moduleNamespace(request);
    }

    /** Gitblit's user for a viewer; anonymous viewers are {@link UserModel#ANONYMOUS} (or null when they see nothing). */
    UserModel viewer(UserModel sessionUser) {
        if (sessionUser != null && sessionUser.isAuthenticated() && !sessionUser.disabled) {
            return sessionUser;
        }
        return settings.getBoolean(com.gitblit.Keys.web.authenticateViewPages, false) ? null : UserModel.ANONYMOUS;
    }

    /** The repository model when the viewer may reach its Go tab (see the class comment), else null. */
    RepositoryModel tabRepository(UserModel viewer, String name) {
        if (viewer == null || name == null) {
            return null;
        }
        RepositoryModel model = repositories.getRepositoryModel(name);
        if (model == null || !model.name.equals(name) || !viewer.canView(model)) {
            return null;
        }
        boolean reader = host.goEnabled(model) && viewer.canClone(model);
        return reader || mayAdminister(viewer, model) ? model : null;
    }

    boolean mayAdminister(UserModel viewer, RepositoryModel model) {
        return viewer != null && viewer.isAuthenticated() && viewer.canAdmin(model);
    }

    boolean goEnabled(RepositoryModel model) {
        return host.goEnabled(model);
    }

    boolean defaultOn() {
        return settings.getBoolean(PluginSettings.ENABLED_BY_DEFAULT, false);
    }

    /** The repository's own switch: TRUE, FALSE, or null when it follows the instance default. */
    static Boolean ownSetting(RepositoryModel model) {
        Map<String, String> fields = model.customFields;
        if (fields == null) {
            return null;
        }
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(PluginSettings.CUSTOM_FIELD)) {
                return GoSwitch.parse(e.getValue());
            }
        }
        return null;
    }

    /**
     * Writes the repository's switch into the same custom field the Edit Repository page edits ({@code null}:
     * empty, the instance default), through Gitblit's own repository update.
     */
    void setSwitch(UserModel viewer, String name, Boolean on) throws GitBlitException {
        RepositoryModel model = repositories.getRepositoryModel(name);
        if (model == null || !model.name.equals(name) || !mayAdminister(viewer, model)) {
            throw new GitBlitException("not allowed");
        }
        Map<String, String> fields = model.customFields == null
                ? new java.util.LinkedHashMap<String, String>() : new java.util.LinkedHashMap<>(model.customFields);
        fields.keySet().removeIf(k -> k.equalsIgnoreCase(PluginSettings.CUSTOM_FIELD));
        fields.put(PluginSettings.CUSTOM_FIELD, on == null ? "" : on.toString());
        model.customFields = fields;
        repositories.updateRepositoryModel(model.name, model, false);
    }

    /** The repository for the catalog when the viewer may download its modules; else null. */
    HostedRepository repository(UserModel viewer, String name, HttpServletRequest request) {
        return viewer == null ? null : host.pageRepository(viewer, name, namespace(request));
    }

    /** Every repository the viewer may download modules from, optionally one project's only. */
    List<HostedRepository> downloadableIn(UserModel viewer, String project, HttpServletRequest request) {
        List<HostedRepository> out = new ArrayList<>();
        if (viewer == null) {
            return out;
        }
        String ns = namespace(request);
        for (RepositoryModel m : repositories.getRepositoryModels(viewer)) {
            if (project != null && !project.isEmpty() && !project.equalsIgnoreCase(projectOf(m))) {
                continue;
            }
            HostedRepository r = host.pageRepository(viewer, m.name, ns);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The forge's own checksum database, or null. */
    com.gitblit.plugin.goproxy.service.ForgeChecksumDatabase checksumDatabase() {
        return service.checksumDatabase();
    }

    /** Whether modules outside the namespace are fetched through this server (goproxy.upstream). */
    boolean dependencyProxyOn() {
        return service.thirdParty() != null;
    }

    /** Gitblit's project of a repository: its first path element, or the root group's name. */
    String projectOf(RepositoryModel model) {
        String first = RepositoryNames.firstElement(model.name);
        return first.isEmpty() ? settings.getString(com.gitblit.Keys.web.repositoryRootGroupName, "main") : first;
    }

    /** The repository holding {@code modulePath} that the viewer may download from, or null. */
    String repositoryOfModule(UserModel viewer, String modulePath, HttpServletRequest request) {
        if (viewer == null) {
            return null;
        }
        Caller caller = viewer.isAuthenticated() ? Caller.user(viewer.username, viewer) : Caller.ANONYMOUS;
        HostedRepository found = host.repositories().resolve(caller, namespace(request), modulePath,
                (c, name, root) -> host.pageRepository(viewer, name, namespace(request)));
        return found == null ? null : found.name();
    }
}
