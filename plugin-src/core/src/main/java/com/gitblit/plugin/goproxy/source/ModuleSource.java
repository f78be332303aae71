package com.gitblit.plugin.goproxy.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

import com.gitblit.plugin.goproxy.module.GoModFile;
import com.gitblit.plugin.goproxy.module.GoModProblem;
import com.gitblit.plugin.goproxy.module.ModulePath;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.Retraction;
import com.gitblit.plugin.goproxy.module.SemVer;
import com.gitblit.plugin.goproxy.module.zip.ModuleZip;
import com.gitblit.plugin.goproxy.module.zip.PreparedZip;
import com.gitblit.plugin.goproxy.source.archive.ArchiveFile;
import com.gitblit.plugin.goproxy.source.archive.GitArchiveException;
import com.gitblit.plugin.goproxy.source.archive.GitArchiveReader;

/**
 * The proxy's questions about the modules of one repository, answered as cmd/go 1.19's direct mode answers
 * them from the same repository (modfetch's codeRepo over a git code host), plus the decisions of the rules
 * digest, section 19: versions whose go.mod is broken or names another module are never listed, never
 * chosen, and an explicit request for one fails with the reason; legacy versions (no go.mod) can be switched
 * off. Cheap to create (one per request); close it when the zips it prepared are written. The repository stays the
 * caller's to close.
 *
 * <p>Two kinds of failure, kept apart. A {@link SourceException} is the repository's answer: this version does
 * not exist or is not served (a tag on a tree, a go.mod over 16 MiB or broken), and it concerns that version
 * only: it is left out of the list and the module's other versions are unaffected. A
 * {@link RepositoryFaultException} (every {@link IOException} thrown here is one) means the repository could not
 * be read where the answer needed it; it is reported once to the {@link RepositoryFaultLog}. A version whose
 * own objects cannot be read is left out of the list too, so that one damaged tag does not take the module
 * down, but a list left empty by damage is a fault, never an empty module.
 */
public final class ModuleSource implements AutoCloseable {
    private final Repository repository;
    private final String repositoryKey;
    private final String repositoryModulePath;
    private final SourceSettings settings;
    private final RepositoryIndexCache indexes;
    private GitCode code;
    private final List<GitArchiveReader> readers = new ArrayList<>();

    public ModuleSource(Repository repository, String repositoryKey, String repositoryModulePath,
            SourceSettings settings, RepositoryIndexCache indexes) {
        this.repository = repository;
        this.repositoryKey = repositoryKey;
        this.repositoryModulePath = repositoryModulePath;
        this.settings = settings;
        this.indexes = indexes;
    }

    private GitCode code() throws IOException {
        if (code == null) {
            code = new GitCode(repository, indexes.index(repositoryKey, repository));
        }
        return code;
    }

    /** One public operation's body, run so that every I/O failure leaves as a reported repository fault. */
    private interface Operation<T> {
        T run() throws SourceException, IOException;
    }

    private <T> T guarded(Operation<T> operation) throws SourceException, RepositoryFaultException {
        try {
            return operation.run();
        } catch (IOException e) {
            throw reported(RepositoryFaultException.of(e, ""));
        }
    }

    private RepositoryFaultException reported(RepositoryFaultException fault) {
        indexes.faultLog().report(repositoryKey, fault);
        return fault;
    }

    private CodeRepo repo(String modulePath) throws SourceException, IOException {
        return new CodeRepo(code(), repositoryModulePath, modulePath);
    }

    /** {@code @v/list}: the versions cmd/go lists, less those section 19 keeps out. */
    public List<String> versions(final String modulePath) throws SourceException, IOException {
        return guarded(() -> listVersions(modulePath));
    }

    private List<String> listVersions(String modulePath) throws SourceException, IOException {
        CodeRepo r = repo(modulePath);
        String key = versionsKey(modulePath);
        @SuppressWarnings("unchecked")
        List<String> cached = (List<String>) code().refs().derived.get(key);
        if (cached != null) {
            return cached;
        }
        List<RepositoryFaultException> unreadable = new ArrayList<>(r.unreadableVersionTags());
        List<String> out = new ArrayList<>();
        for (String v : r.versions()) {
            try {
                if (problem(r, v, r.revisionOf(v), false) == null) {
                    out.add(v);
                }
            } catch (RepositoryFaultException e) {
                unreadable.add(e);
            }
        }
        for (RepositoryFaultException e : unreadable) {
            reported(e);
        }
        if (!unreadable.isEmpty() && out.isEmpty()) {
            throw unreadable.get(0);
        }
        List<String> result = Collections.unmodifiableList(out);
        if (unreadable.isEmpty()) {
            // A list that left out damaged tags is not kept: the repair changes no ref.
            code().refs().derived.put(key, result);
        }
        return result;
    }

    /** {@code .info} of a version, pseudo-version, tag, branch or hash prefix. */
    public Revision stat(final String modulePath, final String query) throws SourceException, IOException {
        return guarded(() -> {
            CodeRepo r = repo(modulePath);
            Revision rev = r.stat(query);
            requireServable(r, rev.version(), ObjectId.fromString(rev.commit()));
            return rev;
        });
    }

    /** {@code @latest}: the highest release, else prerelease, not retracted; else a pseudo-version of HEAD. */
    public Revision latest(final String modulePath) throws SourceException, IOException {
        return guarded(() -> latestRevision(modulePath));
    }

    private Revision latestRevision(String modulePath) throws SourceException, IOException {
        // Kept with the ref state, like the list it is chosen from, and only when that list is kept (nothing unreadable).
        String key = "latest\u0000" + modulePath + "\u0000" + settings.serveLegacyVersions() + "\u0000"
                + settings.serveForeignModulePaths();
        Revision cached = (Revision) code().refs().derived.get(key);
        if (cached != null) {
            return cached;
        }
        Revision latest = chooseLatest(modulePath);
        if (listKept(modulePath)) {
            code().refs().derived.put(key, latest);
        }
        return latest;
    }

    /** Whether the module's version list is kept for this ref state: none of its versions was unreadable. */
    private boolean listKept(String modulePath) throws IOException {
        return code().refs().faults.isEmpty()
                && code().refs().derived.containsKey(versionsKey(modulePath));
    }

    private String versionsKey(String modulePath) {
        return "versions\u0000" + modulePath + "\u0000" + settings.serveLegacyVersions();
    }

    private Revision chooseLatest(String modulePath) throws SourceException, IOException {
        CodeRepo r = repo(modulePath);
        List<String> versions = versions(modulePath);
        List<Retraction> retracted = retractions(r, versions);
        List<String> candidates = new ArrayList<>();
        String lastCompatible = null;
        for (String v : versions) {
            if (!v.endsWith("+incompatible")) {
                lastCompatible = v;
            }
        }
        boolean incompatibleAllowed = lastCompatible == null || r.goModAt(r.revisionOf(lastCompatible)) == null;
        for (String v : versions) {
            if (v.endsWith("+incompatible") && !incompatibleAllowed) {
                continue;
            }
            if (!isRetracted(retracted, v)) {
                candidates.add(v);
            }
        }
        String best = null;
        for (String v : candidates) {
            if (SemVer.prerelease(v).isEmpty() && (best == null || SemVer.compare(v, best) > 0)) {
                best = v;
            }
        }
        if (best == null) {
            for (String v : candidates) {
                if (best == null || SemVer.compare(v, best) > 0) {
                    best = v;
                }
            }
        }
        if (best != null) {
            return stat(modulePath, best);
        }
        Revision head = r.latest();
        if (isRetracted(retracted, head.version())) {
            throw new SourceException(modulePath + "@latest: all versions are retracted");
        }
        requireServable(r, head.version(), ObjectId.fromString(head.commit()));
        return head;
    }

    /**
     * The revision of {@code version} at a commit the version ledger recorded: the tag may have moved or gone
     * since, the recorded commit is what go.sum files hold. Fails when the commit is no longer in the repository.
     */
    public Revision pinned(final String modulePath, final String version, final String commitHex)
            throws SourceException, IOException {
        return guarded(() -> {
            CodeRepo r = repo(modulePath);
            ObjectId commit = code().commitOf(commitHex);
            if (commit == null) {
                throw new CommitGoneException(modulePath + "@" + version + ": the commit " + commitHex
                        + " first served for this version is no longer in the repository");
            }
            CommitInfo info = code().info(commit, commitHex);
            requireServable(r, version, commit);
            return new Revision(version, info.time, info.name);
        });
    }

    /** {@code .mod}: the raw go.mod at that revision, or the one cmd/go synthesizes when there is none. */
    public byte[] goMod(final String modulePath, final Revision revision) throws SourceException, IOException {
        return guarded(() -> {
            CodeRepo r = repo(modulePath);
            FoundDir dir = r.findDir(ObjectId.fromString(revision.commit()), revision.version());
            return dir.goMod != null ? dir.goMod : GoModFile.synthesize(modulePath);
        });
    }

    /** {@code .zip}: validated against every rule before this returns; writing it streams from git. */
    public PreparedZip zip(final String modulePath, final Revision revision) throws SourceException, IOException {
        return guarded(() -> prepareZip(modulePath, revision));
    }

    private PreparedZip prepareZip(String modulePath, Revision revision) throws SourceException, IOException {
        GitArchiveReader reader = new GitArchiveReader(repository);
        readers.add(reader);
        return prepareZip(modulePath, revision, reader);
    }

    private PreparedZip prepareZip(String modulePath, Revision revision, GitArchiveReader reader)
            throws SourceException, IOException {
        CodeRepo r = repo(modulePath);
        ObjectId commit = ObjectId.fromString(revision.commit());
        FoundDir dir = r.findDir(commit, revision.version());
        List<ArchiveFile> files;
        try {
            files = reader.list(commit, dir.dir);
        } catch (GitArchiveException e) {
            throw new SourceException(modulePath + "@" + revision.version() + ": " + e.getMessage(), e);
        } catch (IncorrectObjectTypeException e) {
            // A tree entry whose object has another type: git archive fails on such a tree too.
            throw new SourceException(modulePath + "@" + revision.version() + ": the tree is malformed: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw RepositoryFaultException.of(e, "files of " + revision.version() + " at " + revision.commit());
        }
        try {
            return ModuleZip.prepare(modulePath, revision.version(), files, settings.zipCompressionLevel());
        } catch (ModuleRuleException e) {
            throw new SourceException(modulePath + "@" + revision.version() + ": create zip: " + e.getMessage(), e);
        }
    }

    /**
     * Why {@code version} of {@code modulePath} would not be served if a tag for it pointed at {@code commit}, or
     * null when it would be: the checks the proxy itself applies before it answers that version's {@code .info},
     * {@code .mod} and {@code .zip} (cmd/go's checks of a tagged version, section 19's go.mod rules as for the
     * version list, and every zip rule decided from the file listing: names, case collisions, sizes), in the words
     * of the proxy's 404. Reads go.mod and the tree listing with object sizes; hashes no file contents.
     */
    public String unservedReason(final String modulePath, final String version, final ObjectId commit)
            throws RepositoryFaultException {
        try {
            return guarded(() -> reason(modulePath, version, commit));
        } catch (SourceException e) {
            return e.getMessage(); // not thrown: reason() answers every source refusal as its sentence
        }
    }

    /**
     * The one verdict: {@link #unservedReason}'s answer, kept per module, version and commit with the ref state.
     * The zip rules are checked on the file listing only (nothing is hashed or kept open).
     */
    private String reason(String modulePath, String version, ObjectId commit) throws IOException {
        VersionVerdict memo = memo(modulePath, version, commit);
        if (memo.reasonKnown()) {
            return memo.reason();
        }
        String why = malformedBelowRoot(modulePath);
        if (why != null) {
            memo.reason(why);
            return why;
        }
        try {
            CodeRepo r = repo(modulePath);
            Revision revision = r.statAt(commit, version);
            if (!revision.version().equals(version)) {
                why = modulePath + "@" + version + ": invalid version: resolves to " + revision.version();
            } else {
                String problem = problem(r, version, commit, false);
                if (problem != null) {
                    why = modulePath + "@" + version + ": invalid version: " + problem;
                } else {
                    try (GitArchiveReader reader = new GitArchiveReader(repository)) {
                        prepareZip(modulePath, revision, reader);
                    }
                    why = null;
                }
            }
        } catch (SourceException e) {
            why = e.getMessage();
        }
        memo.reason(why);
        return why;
    }

    /**
     * x/mod's objection to a module path the repository's own (valid) path plus a tag's directory makes, as a
     * request for it hears it; null when it is valid, or when the repository's path itself is not (then the
     * directory is not to blame).
     */
    private String malformedBelowRoot(String modulePath) {
        if (modulePath.equals(repositoryModulePath)) {
            return null;
        }
        try {
            ModulePath.checkPath(repositoryModulePath);
        } catch (ModuleRuleException e) {
            return null;
        }
        try {
            ModulePath.checkPath(modulePath);
            return null;
        } catch (ModuleRuleException e) {
            return e.getMessage();
        }
    }

    private VersionVerdict memo(String modulePath, String version, ObjectId commit) throws IOException {
        String key = "verdict\u0000" + modulePath + "\u0000" + version + "\u0000" + commit.name() + "\u0000"
                + settings.serveLegacyVersions();
        Object memo = code().refs().derived.computeIfAbsent(key, k -> new VersionVerdict());
        return (VersionVerdict) memo;
    }

    /** The revision a version tag at {@code commit} is served as (for building it ahead of its first download). */
    public Revision revisionAt(final String modulePath, final String version, final ObjectId commit)
            throws SourceException, RepositoryFaultException {
        return guarded(() -> repo(modulePath).statAt(commit, version));
    }

    /**
     * Every version-shaped tag ({@code [dir/]v...}) of the repository with the proxy's verdict on it: served, as the
     * version {@link #versions} lists for its module, or left out with the proxy's own sentence for it. The
     * sentence is {@link #unservedReason}'s (the push check's and a download's 404), zip rules decided from the
     * file listing included; only a tag that is not a canonical version at all gets the listing's reason for
     * skipping it. Tags that do not look like versions ({@code release-1}) belong to no module and are not here.
     */
    public List<TagListing> tagVerdicts() throws SourceException, IOException {
        return guarded(this::computeTagVerdicts);
    }

    private List<TagListing> computeTagVerdicts() throws SourceException, IOException {
        String cacheKey = "verdicts\u0000" + settings.serveLegacyVersions();
        @SuppressWarnings("unchecked")
        List<TagListing> cached = (List<TagListing>) code().refs().derived.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        List<TagListing> out = new ArrayList<>();
        java.util.Map<String, List<String>> listed = new java.util.HashMap<>();
        boolean[] damaged = {false};
        for (java.util.Map.Entry<String, String> e : new java.util.TreeMap<>(code().refs().unusableTags).entrySet()) {
            String[][] candidates = candidates(e.getKey());
            if (candidates != null) {
                out.add(new TagListing(e.getKey(), candidates[0][0], versionPart(e.getKey()), null, null, e.getValue()));
            }
        }
        for (String tag : code().tags("")) {
            String[][] candidates = candidates(tag);
            if (candidates == null) {
                continue;
            }
            String v = versionPart(tag);
            ObjectId commit = code().refs().tags.get(tag);
            CommitInfo info;
            try {
                info = code().info(commit, tag);
            } catch (RepositoryFaultException e) {
                out.add(new TagListing(tag, candidates[0][0], v, commit.name(), null, "the commit cannot be read"));
                damaged[0] = true;
                continue;
            }
            String syntax = CodeRepo.tagProblem(v);
            if (syntax != null) {
                out.add(new TagListing(tag, candidates[0][0], v, info.name, info.time, syntax));
                continue;
            }
            out.add(verdict(tag, candidates, commit, info, listed, damaged));
        }
        List<TagListing> result = Collections.unmodifiableList(out);
        if (!damaged[0]) {
            // Verdicts given while objects were missing are not kept: the repair changes no ref.
            code().refs().derived.put(cacheKey, result);
        }
        return result;
    }

    /**
     * A canonical version tag: served as the first module version it may be that the module lists and whose
     * verdict is clean; left out with that version's reason when the module lists it but a download would fail;
     * else left out with the reason the push check gives (a v2+ tag without any go.mod is best explained as the
     * {@code +incompatible} version it fails to be).
     */
    private TagListing verdict(String tag, String[][] candidates, ObjectId commit, CommitInfo info,
            java.util.Map<String, List<String>> listed, boolean[] damaged) throws IOException {
        String[] reasons = new String[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            String module = candidates[i][0];
            String version = candidates[i][1];
            try {
                reasons[i] = reason(module, version, commit);
            } catch (RepositoryFaultException e) {
                reasons[i] = "its files cannot be read";
                damaged[0] = true;
            }
            if (listedVersions(module, listed).contains(version)) {
                return new TagListing(tag, module, reasons[i] == null ? version : versionPart(tag), info.name,
                        info.time, reasons[i]);
            }
        }
        int pick = candidates.length > 1 && reasons[0] != null && reasons[0].contains(": missing ") ? 1 : 0;
        String why = reasons[pick] != null ? reasons[pick]
                : "not listed: go would not choose this version for " + candidates[pick][0];
        return new TagListing(tag, candidates[pick][0], versionPart(tag), info.name, info.time, why);
    }

    /**
     * The module versions a tag may stand for, as cmd/go would prefer them: {@code {module, version}} for the
     * repository's module path plus the tag's directory, and for a v2+ tag first that path plus {@code /vN}, then
     * the path itself with {@code +incompatible}. For a tag that is not canonical, only the first. {@code null} for
     * a tag whose last element does not start like a version ({@code v} and a digit).
     */
    private String[][] candidates(String tag) {
        String v = versionPart(tag);
        if (v.length() < 2 || v.charAt(0) != 'v' || !Character.isDigit(v.charAt(1))) {
            return null;
        }
        int slash = tag.lastIndexOf('/');
        String module = slash < 0 ? repositoryModulePath : repositoryModulePath + "/" + tag.substring(0, slash);
        String canonical = SemVer.canonical(v);
        String major = canonical.isEmpty() ? "" : SemVer.major(canonical);
        if (major.isEmpty() || "v0".equals(major) || "v1".equals(major)) {
            return new String[][] {{module, v}};
        }
        return new String[][] {{module + "/" + major, v}, {module, v + "+incompatible"}};
    }

    private List<String> listedVersions(String module, java.util.Map<String, List<String>> listed)
            throws IOException {
        List<String> versions = listed.get(module);
        if (versions == null) {
            try {
                versions = listVersions(module);
            } catch (SourceException e) {
                versions = Collections.emptyList();
            }
            listed.put(module, versions);
        }
        return versions;
    }

    private static String versionPart(String tag) {
        return tag.substring(tag.lastIndexOf('/') + 1);
    }

    /** The {@code retract} directives of the module's newest version's go.mod, rationale included. */
    public List<Retraction> retractions(final String modulePath) throws SourceException, IOException {
        return guarded(() -> {
            String key = "listedRetractions\u0000" + modulePath + "\u0000" + settings.serveLegacyVersions();
            @SuppressWarnings("unchecked")
            List<Retraction> cached = (List<Retraction>) code().refs().derived.get(key);
            if (cached != null) {
                return cached;
            }
            List<Retraction> result = Collections.unmodifiableList(retractions(repo(modulePath),
                    listVersions(modulePath)));
            if (listKept(modulePath)) {
                code().refs().derived.put(key, result);
            }
            return result;
        });
    }

    /**
     * A version as a page shows it: where its module lives at that commit, its go.mod (cmd/go's synthesized one
     * for a version without) and its package directories. Reads git only; records nothing.
     */
    public VersionContents contents(final String modulePath, final Revision revision)
            throws SourceException, IOException {
        return guarded(() -> {
            CodeRepo r = repo(modulePath);
            ObjectId commit = ObjectId.fromString(revision.commit());
            FoundDir dir = r.findDir(commit, revision.version());
            byte[] goMod = dir.goMod != null ? dir.goMod : GoModFile.synthesize(modulePath);
            return new VersionContents(dir.dir, goMod, PackageDirectories.list(repository, commit, dir.dir));
        });
    }

    /** Releases the readers of zips prepared here; their contents can no longer be written after this. */
    @Override
    public void close() {
        for (GitArchiveReader r : readers) {
            r.close();
        }
        readers.clear();
    }

    /** Section 19: a version whose go.mod the proxy will not serve, or a legacy version when those are off. */
    private void requireServable(CodeRepo r, String version, ObjectId commit) throws SourceException, IOException {
        String problem = problem(r, version, commit, true);
        if (problem != null) {
            throw new SourceException(r.modPath + "@" + version + ": invalid version: " + problem);
        }
    }

    /**
     * Why a version is not served, or null. A version whose go.mod names another module is served only on an
     * explicit request, and only with {@code serveForeignModulePaths}: it is never listed (so never chosen by
     * {@code @latest} either), whatever the setting.
     */
    private String problem(CodeRepo r, String version, ObjectId commit, boolean explicitRequest) throws IOException {
        if (commit == null) {
            return "unknown revision";
        }
        VersionVerdict memo = memo(r.modPath, version, commit);
        if (!memo.goModKnown()) {
            goModVerdict(r, version, commit, memo);
        }
        String problem = memo.goModProblem();
        if (problem == null || explicitRequest && settings.serveForeignModulePaths() && memo.foreignModulePath()) {
            return null;
        }
        return problem;
    }

    private void goModVerdict(CodeRepo r, String version, ObjectId commit, VersionVerdict memo) throws IOException {
        FoundDir dir;
        try {
            dir = r.findDir(commit, version);
        } catch (SourceException e) {
            memo.goMod(e.getMessage(), false);
            return;
        }
        if (dir.goMod == null) {
            memo.goMod(settings.serveLegacyVersions() ? null
                    : "no go.mod at this version (this proxy does not serve versions from before modules)", false);
            return;
        }
        GoModProblem problem = GoModFile.problem(dir.goMod, r.modPath);
        memo.goMod(problem == null ? null : problem.message(),
                problem != null && problem.kind() == GoModProblem.Kind.FOREIGN_MODULE_PATH);
    }

    private List<Retraction> retractions(CodeRepo r, List<String> versions) throws IOException {
        String highest = null;
        for (String v : versions) {
            if (v.endsWith("+incompatible")) {
                continue;
            }
            if (SemVer.prerelease(v).isEmpty() || highest == null) {
                if (highest == null || SemVer.compare(v, highest) > 0 || !SemVer.prerelease(highest).isEmpty()
                        && SemVer.prerelease(v).isEmpty()) {
                    highest = v;
                }
            }
        }
        if (highest == null) {
            return Collections.emptyList();
        }
        try {
            byte[] data = goMod(r.modPath, new Revision(highest, null, r.revisionOf(highest).name()));
            return GoModFile.parseLax(data).retractions();
        } catch (SourceException | ModuleRuleException e) {
            return Collections.emptyList();
        }
    }

    private static boolean isRetracted(List<Retraction> retractions, String v) {
        for (Retraction r : retractions) {
            if (r.covers(v)) {
                return true;
            }
        }
        return false;
    }
}
