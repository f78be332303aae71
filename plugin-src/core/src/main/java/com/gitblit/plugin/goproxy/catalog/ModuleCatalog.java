package com.gitblit.plugin.goproxy.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.gitblit.plugin.goproxy.module.ModulePath;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.Retraction;
import com.gitblit.plugin.goproxy.module.SemVer;
import com.gitblit.plugin.goproxy.service.HostedRepository;
import com.gitblit.plugin.goproxy.service.ModuleService;
import com.gitblit.plugin.goproxy.service.RevisionInfo;
import com.gitblit.plugin.goproxy.service.ServiceFailure;
import com.gitblit.plugin.goproxy.service.VersionView;
import com.gitblit.plugin.goproxy.source.TagListing;

/**
 * Builds what the pages show from the module service. The host decides who may see which repository and hands
 * over only those ({@link HostedRepository} means "this caller may clone it and Go is on"); whether the omitted
 * tags are included is the host's decision too (those who may push).
 */
public final class ModuleCatalog {
    private final ModuleService service;

    public ModuleCatalog(ModuleService service) {
        this.service = service;
    }

    /**
     * The modules of a repository: the root module first, then the others by path; each with {@code @latest},
     * its listed versions newest first and, with {@code withOmitted}, the tags left out and why.
     */
    public List<ModuleEntry> modules(HostedRepository repository, boolean withOmitted)
            throws ServiceFailure, IOException {
        Map<String, List<TagListing>> byModule = new LinkedHashMap<>();
        byModule.put(repository.rootModulePath(), new ArrayList<TagListing>());
        List<TagListing> verdicts = new ArrayList<>(service.tagVerdicts(repository));
        Collections.sort(verdicts, (a, b) -> a.modulePath().compareTo(b.modulePath()));
        for (TagListing v : verdicts) {
            // A tag under a directory no module can live in (an invalid path element, markup) names no module:
            // it is listed with the repository's own unserved tags, never under a heading of its own.
            String module = v.served() || isModulePath(v.modulePath()) || !isModulePath(repository.rootModulePath())
                    ? v.modulePath() : repository.rootModulePath();
            byModule.computeIfAbsent(module, k -> new ArrayList<TagListing>()).add(v);
        }
        List<ModuleEntry> out = new ArrayList<>();
        for (Map.Entry<String, List<TagListing>> e : byModule.entrySet()) {
            ModuleEntry entry = module(repository, e.getKey(), e.getValue(), withOmitted);
            if (entry != null) {
                out.add(entry);
            }
        }
        return out;
    }

    private static boolean isModulePath(String path) {
        try {
            ModulePath.checkPath(path);
        } catch (ModuleRuleException e) {
            return false;
        }
        return ModulePath.splitPathVersion(path) != null;
    }

    /** One module of the repository, or {@code null} when the repository has no such module. */
    public ModuleEntry module(HostedRepository repository, String modulePath, boolean withOmitted)
            throws ServiceFailure, IOException {
        for (ModuleEntry m : modules(repository, withOmitted)) {
            if (m.path().equals(modulePath)) {
                return m;
            }
        }
        return null;
    }

    private ModuleEntry module(HostedRepository repository, String path, List<TagListing> tags, boolean withOmitted)
            throws ServiceFailure, IOException {
        List<VersionEntry> versions = new ArrayList<>();
        List<OmittedTag> omitted = new ArrayList<>();
        List<TagListing> served = new ArrayList<>();
        for (TagListing t : tags) {
            if (t.served()) {
                served.add(t);
            } else if (withOmitted) {
                omitted.add(new OmittedTag(t.tag(), t.commit(), t.reason()));
            }
        }
        // A module whose every tag belongs to another module's listing (+incompatible) shows there, not here.
        if (served.isEmpty() && omitted.isEmpty() && !path.equals(repository.rootModulePath())) {
            return null;
        }
        List<Retraction> retractions = served.isEmpty() ? Collections.<Retraction>emptyList()
                : retractionsOf(repository, path);
        for (TagListing t : served) {
            versions.add(new VersionEntry(t.version(), t.tag(), t.commit(), t.time(),
                    !SemVer.prerelease(t.version()).isEmpty(), retraction(retractions, t.version())));
        }
        SemVer.sortNewestFirst(versions, VersionEntry::version);
        String latest = null;
        String problem = "no version is served";
        if (served.isEmpty() && !path.equals(repository.rootModulePath())) {
            // Only tags the proxy leaves out: nothing to ask @latest about (it would answer for a module no tag makes).
            return new ModuleEntry(path, null, problem, versions, omitted);
        }
        try {
            RevisionInfo info = service.latest(repository, path);
            latest = info.version();
        } catch (ServiceFailure e) {
            if (e.kind() != ServiceFailure.Kind.NOT_FOUND) {
                throw e;
            }
            problem = e.getMessage();
        }
        return new ModuleEntry(path, latest, problem, versions, omitted);
    }

    private List<Retraction> retractionsOf(HostedRepository repository, String path)
            throws ServiceFailure, IOException {
        try {
            return service.retractions(repository, path);
        } catch (ServiceFailure e) {
            if (e.kind() != ServiceFailure.Kind.NOT_FOUND) {
                throw e;
            }
            return Collections.emptyList();
        }
    }

    private static String retraction(List<Retraction> retractions, String version) {
        for (Retraction r : retractions) {
            if (r.covers(version)) {
                return r.rationale() == null ? "" : r.rationale();
            }
        }
        return null;
    }

    /**
     * A version page, or {@code null} when the repository has no such module version (also for versions the
     * proxy does not serve: the page shows only what {@code go} can get).
     */
    public VersionPage version(HostedRepository repository, String modulePath, String version, GoModLinks links)
            throws ServiceFailure, IOException {
        ModuleEntry module = module(repository, modulePath, false);
        if (module == null) {
            return null;
        }
        VersionEntry listed = null;
        for (VersionEntry v : module.versions()) {
            if (v.version().equals(version)) {
                listed = v;
            }
        }
        if (listed == null) {
            return null;
        }
        VersionView view = service.view(repository, modulePath, version);
        return new VersionPage(modulePath, listed, view, links.render(view.contents().goMod()));
    }

    /**
     * The instance-wide list: the modules of {@code repositories} (the host's choice: those the viewer may
     * download, in the project asked for) whose path contains {@code query} (case-insensitive; empty: all),
     * sorted by path, one page of {@code pageSize} of them with their latest version.
     */
    public ModuleListPage instance(List<HostedRepository> repositories, String query, int page, int pageSize)
            throws IOException {
        String needle = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
        List<Object[]> matches = new ArrayList<>();
        for (HostedRepository r : repositories) {
            List<String> paths = new ArrayList<>();
            paths.add(r.rootModulePath());
            try {
                for (TagListing t : service.tagVerdicts(r)) {
                    if (t.served() && !paths.contains(t.modulePath())) {
                        paths.add(t.modulePath());
                    }
                }
            } catch (ServiceFailure e) {
                // A repository that cannot be read now lists its root module only; its page says why.
            }
            for (String p : paths) {
                if (needle.isEmpty() || p.toLowerCase(Locale.ROOT).contains(needle)) {
                    matches.add(new Object[] {p, r});
                }
            }
        }
        Collections.sort(matches, (a, b) -> ((String) a[0]).compareTo((String) b[0]));
        int size = Math.max(1, pageSize);
        int pages = Math.max(1, (matches.size() + size - 1) / size);
        int current = Math.min(Math.max(1, page), pages);
        List<ModuleSummary> rows = new ArrayList<>();
        for (Object[] m : matches.subList(Math.min(matches.size(), (current - 1) * size),
                Math.min(matches.size(), current * size))) {
            HostedRepository r = (HostedRepository) m[1];
            String path = (String) m[0];
            RevisionInfo latest = null;
            try {
                latest = service.latest(r, path);
            } catch (ServiceFailure e) {
                // No version yet (or not readable now): listed without one.
            }
            rows.add(new ModuleSummary(path, r.name(), latest == null ? null : latest.version(),
                    latest == null ? null : latest.time()));
        }
        return new ModuleListPage(rows, matches.size(), current, pages);
    }
}
