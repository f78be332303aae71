package com.gitblit.plugin.goproxy.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.lib.ObjectId;

import com.gitblit.plugin.goproxy.module.GoModFile;
import com.gitblit.plugin.goproxy.module.ModulePath;
import com.gitblit.plugin.goproxy.module.ModuleRuleException;
import com.gitblit.plugin.goproxy.module.ModuleVersion;
import com.gitblit.plugin.goproxy.module.PathVersion;
import com.gitblit.plugin.goproxy.module.PseudoVersion;
import com.gitblit.plugin.goproxy.module.Retraction;
import com.gitblit.plugin.goproxy.module.SemVer;

/**
 * One module path within one repository, as cmd/go's modfetch codeRepo sees it: where its code lives
 * ({@code codeDir}, and {@code codeDir/vN} for major-version subdirectories), which tags are its versions
 * ({@code codeDir/vX.Y.Z}), and how a revision becomes a canonical version (a tag on it, else a pseudo-version
 * on the highest reachable allowed tag), with {@code +incompatible} where a v2+ tag has no go.mod.
 */
final class CodeRepo {
    private static final long MAX_GO_MOD = 16L << 20;
    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(java.time.ZoneOffset.UTC);

    final String modPath;
    private final GitCode code;
    private final String codeRoot;
    private final String codeDir;
    private final String pathPrefix;
    private final String pathMajor;
    private final String pseudoMajor;

    CodeRepo(GitCode code, String codeRoot, String modPath) throws SourceException {
        this.code = code;
        this.codeRoot = codeRoot;
        this.modPath = modPath;
        if (!modPath.equals(codeRoot) && !modPath.startsWith(codeRoot + "/")) {
            throw new SourceException("module " + modPath + " is not in the repository of " + codeRoot);
        }
        PathVersion pv = ModulePath.splitPathVersion(modPath);
        if (pv == null) {
            throw new SourceException("invalid module path \"" + modPath + "\"");
        }
        String prefix = modPath.equals(codeRoot) ? modPath : pv.prefix();
        this.pathMajor = pv.pathMajor();
        this.pathPrefix = prefix;
        this.pseudoMajor = ModulePath.pathMajorPrefix(pathMajor);
        String dir = "";
        if (!codeRoot.equals(modPath)) {
            if (!(prefix.equals(codeRoot) || prefix.startsWith(codeRoot + "/"))) {
                throw new SourceException("repository rooted at " + codeRoot + " cannot contain module " + modPath);
            }
            dir = trimSlashes(prefix.substring(codeRoot.length()));
        }
        this.codeDir = dir;
    }

    private String tagPrefix() {
        return codeDir.isEmpty() ? "" : codeDir + "/";
    }

    /** cmd/go's Versions(""): canonical tags of this module, then its +incompatible versions. */
    List<String> versions() throws IOException {
        if (modPath.startsWith("gopkg.in/") && modPath.endsWith("-unstable")) {
            return new ArrayList<>();
        }
        String p = tagPrefix();
        List<String> list = new ArrayList<>();
        List<String> incompatible = new ArrayList<>();
        for (String tag : code.tags(p)) {
            String v = tag.substring(p.length());
            if (v.isEmpty() || tagProblem(v) != null) {
                continue;
            }
            if (!ModulePath.matchPathMajor(v, pathMajor)) {
                if (codeDir.isEmpty() && pathMajor.isEmpty() && SemVer.major(v).compareTo("v1") > 0) {
                    incompatible.add(v);
                }
                continue;
            }
            list.add(v);
        }
        SemVer.sort(list);
        SemVer.sort(incompatible);
        return appendIncompatible(list, incompatible);
    }

    /**
     * Why a tag's version part ({@code v1.2} of {@code sub/v1.2}) is never a version of any module, in the words
     * the pages and the push hook show; {@code null} for a canonical, non-pseudo semantic version. cmd/go skips
     * such tags when it lists versions.
     */
    static String tagProblem(String v) {
        String canonical = SemVer.canonical(v);
        if (canonical.isEmpty()) {
            return "\"" + v + "\" is not a semantic version";
        }
        if (!v.equals(canonical)) {
            return "non-canonical version tag: go lists only \"" + canonical + "\", never \"" + v + "\"";
        }
        if (PseudoVersion.isPseudoVersion(v)) {
            return "pseudo-version-shaped tag: go derives such versions from commits and never lists a tag"
                    + " that looks like one";
        }
        return null;
    }

    private List<String> appendIncompatible(List<String> list, List<String> incompatible) throws IOException {
        if (incompatible.isEmpty() || !pathMajor.isEmpty()) {
            return list;
        }
        if (!list.isEmpty() && hasGoMod(list.get(list.size() - 1))) {
            // The newest compatible version has a go.mod: the author means users to stay on v0/v1.
            return list;
        }
        String lastMajor = null;
        boolean lastMajorHasGoMod = false;
        for (int i = 0; i < incompatible.size(); i++) {
            String v = incompatible.get(i);
            String major = SemVer.major(v);
            if (!major.equals(lastMajor)) {
                int j = i;
                while (j < incompatible.size() && SemVer.major(incompatible.get(j)).equals(major)) {
                    j++;
                }
                lastMajor = major;
                lastMajorHasGoMod = hasGoMod(incompatible.get(j - 1));
            }
            if (!lastMajorHasGoMod) {
                list.add(v + "+incompatible");
            }
        }
        return list;
    }

    private boolean hasGoMod(String version) throws IOException {
        ObjectId tagged = code.refs().tags.get(tagPrefix() + version);
        return tagged != null && fileExists(tagged, "go.mod");
    }

    /**
     * Whether cmd/go 1.19's {@code ReadFile} finds the file: {@code git cat-file blob} succeeds, whatever the
     * size (only findDir's use of a go.mod limits it), and any failure of it counts as "does not exist".
     */
    private boolean fileExists(ObjectId commit, String path) throws IOException {
        try {
            return code.readFile(commit, path, MAX_GO_MOD) != null;
        } catch (FileTooLargeException e) {
            return true;
        } catch (SourceException e) {
            return false;
        }
    }

    /**
     * The faults of tags that would be versions of this module but cannot be read: such a tag is in no listing,
     * and an answer that depends on every tag (a pseudo-version's base, the tags on a commit) cannot be given.
     */
    List<RepositoryFaultException> unreadableVersionTags() {
        List<RepositoryFaultException> out = new ArrayList<>();
        String p = org.eclipse.jgit.lib.Constants.R_TAGS + tagPrefix();
        for (Map.Entry<String, RepositoryFaultException> e : code.refs().faults.entrySet()) {
            if (!e.getKey().startsWith(p)) {
                continue;
            }
            String v = e.getKey().substring(p.length());
            if (!v.isEmpty() && v.equals(SemVer.canonical(v)) && !PseudoVersion.isPseudoVersion(v)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    private void requireReadableVersionTags() throws RepositoryFaultException {
        List<RepositoryFaultException> faults = unreadableVersionTags();
        if (!faults.isEmpty()) {
            throw faults.get(0);
        }
    }

    /** The commit a listed version's tag names (versions() only lists tags that exist). */
    ObjectId revisionOf(String version) {
        String v = version.endsWith("+incompatible") ? version.substring(0, version.length() - "+incompatible".length()) : version;
        return code.refs().tags.get(tagPrefix() + v);
    }

    /** cmd/go's revToRev: the git revision a query names. */
    private String revToRev(String rev) {
        if (SemVer.isValid(rev)) {
            if (PseudoVersion.isPseudoVersion(rev)) {
                try {
                    return PseudoVersion.rev(rev);
                } catch (ModuleRuleException e) {
                    return rev;
                }
            }
            String r = "+incompatible".equals(SemVer.build(rev)) ? rev.substring(0, rev.length() - "+incompatible".length()) : rev;
            return codeDir.isEmpty() ? r : codeDir + "/" + r;
        }
        return rev;
    }

    /** cmd/go's Stat: a query to the canonical version of the commit it names. */
    Revision stat(String rev) throws SourceException, IOException {
        if (rev.equals("latest")) {
            return latest();
        }
        String codeRev = revToRev(rev);
        CommitInfo info;
        try {
            info = code.stat(codeRev);
        } catch (SourceException e) {
            throw invalid(rev, e.getMessage());
        }
        return convert(info, rev);
    }

    /** cmd/go's Latest: HEAD as a version. */
    Revision latest() throws SourceException, IOException {
        return convert(code.latest(), "");
    }

    /**
     * The revision {@code version} names when a tag for it points at {@code commit}: cmd/go's checks of a tagged
     * version (module directory and go.mod found, major version and {@code +incompatible} rules), without
     * needing the tag to exist yet (a push being received).
     */
    Revision statAt(ObjectId commit, String version) throws SourceException, IOException {
        CommitInfo info = code.info(commit, commit.name());
        return checkCanonical(info, trimIncompatible(version), version, incompatibleCheck(info, version));
    }

    private Revision convert(final CommitInfo info, final String statVers) throws SourceException, IOException {
        IncompatibleCheck canUseIncompatible = incompatibleCheck(info, statVers);

        if (PseudoVersion.isPseudoVersion(statVers)) {
            requireReadableVersionTags(); // the base tag may be one of them
            validatePseudoVersion(info, statVers);
            return checkCanonical(info, statVers, statVers, canUseIncompatible);
        }

        final String tagPrefix = tagPrefix();
        String[] fromTag = tagToVersion(info.version, tagPrefix);
        if (fromTag[1] != null) {
            try {
                return checkCanonical(info, fromTag[0], statVers, canUseIncompatible);
            } catch (SourceException e) {
                // Fall through: another tag on the commit, or a pseudo-version.
            }
        }
        // From here the answer depends on every tag of the module (those on the commit, the highest reachable one)
        // and on the retractions: an unreadable tag makes it unknowable, while a tag asked for by name above is not.
        requireReadableVersionTags();
        final List<Retraction> retracted = retractedVersions();
        String highestCanonical = "";
        String pseudoBase = "";
        for (String pathTag : info.tags) {
            String[] tv = tagToVersion(pathTag, tagPrefix);
            String v = tv[0];
            boolean tagIsCanonical = tv[1] != null;
            if (!statVers.isEmpty() && SemVer.compare(v, statVers) == 0) {
                if (tagIsCanonical) {
                    return checkCanonical(info, v, statVers, canUseIncompatible);
                }
                pseudoBase = v;
            }
            if (tagIsCanonical && SemVer.compare(highestCanonical, v) < 0 && !isRetracted(retracted, v)) {
                if (ModulePath.matchPathMajor(v, pathMajor) || canUseIncompatible.test(v)) {
                    highestCanonical = v;
                }
            }
        }
        if (!highestCanonical.isEmpty()) {
            return checkCanonical(info, highestCanonical, statVers, canUseIncompatible);
        }
        if (pseudoBase.isEmpty()) {
            final IOException[] failure = new IOException[1];
            String tag = code.recentTag(info.id, tagPrefix, t -> {
                String v = tagToVersion(t, tagPrefix)[0];
                if (v.isEmpty()) {
                    return false;
                }
                try {
                    if (!ModulePath.matchPathMajor(v, pathMajor) && !canUseIncompatible.test(v)) {
                        return false;
                    }
                } catch (IOException e) {
                    failure[0] = e;
                    return false;
                }
                return !isRetracted(retracted, v);
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            if (tag != null) {
                pseudoBase = tagToVersion(tag, tagPrefix)[0];
            }
        }
        String pseudo = PseudoVersion.build(pseudoMajor, pseudoBase, info.time, info.shortName);
        return checkCanonical(info, pseudo, statVers, canUseIncompatible);
    }

    private IncompatibleCheck incompatibleCheck(final CommitInfo info, final String statVers) {
        final Map<String, Boolean> incompatibleOk = new HashMap<>();
        return v -> {
            if (!codeDir.isEmpty() || !pathMajor.isEmpty()) {
                return false;
            }
            Boolean ok = incompatibleOk.get("");
            if (ok == null) {
                ok = !fileExists(info.id, "go.mod");
                incompatibleOk.put("", ok);
            }
            if (!ok) {
                return false;
            }
            if (!v.isEmpty() && !statVers.endsWith("+incompatible")) {
                String major = SemVer.major(v);
                Boolean sub = incompatibleOk.get(major);
                if (sub == null) {
                    sub = !fileExists(info.id, major + "/go.mod");
                    incompatibleOk.put(major, sub);
                }
                if (!sub) {
                    return false;
                }
            }
            return true;
        };
    }

    private interface IncompatibleCheck {
        boolean test(String v) throws IOException;
    }

    /** {version, non-null if the tag is exactly canonical}; version "" when the tag is not one of ours. */
    private static String[] tagToVersion(String tag, String tagPrefix) {
        if (!tag.startsWith(tagPrefix)) {
            return new String[] {"", null};
        }
        String trimmed = tag.substring(tagPrefix.length());
        if (PseudoVersion.isPseudoVersion(tag)) {
            return new String[] {"", null};
        }
        String v = SemVer.canonical(trimmed);
        if (v.isEmpty() || !trimmed.startsWith(v)) {
            return new String[] {"", null};
        }
        return new String[] {v, v.equals(trimmed) ? "canonical" : null};
    }

    private Revision checkCanonical(CommitInfo info, String version, String statVers, IncompatibleCheck canUseIncompatible)
            throws SourceException, IOException {
        String v = version;
        try {
            findDir(info.id, v);
        } catch (SourceException e) {
            throw invalid(v, e.getMessage());
        }
        if (v.equals(trimIncompatible(statVers))) {
            v = statVers;
        }
        String base = trimIncompatible(v);
        SourceException errIncompatible = null;
        if (!ModulePath.matchPathMajor(base, pathMajor)) {
            if (canUseIncompatible.test(base)) {
                v = base + "+incompatible";
            } else if (!pathMajor.isEmpty()) {
                errIncompatible = invalid(v, "module path includes a major version suffix, so major version must match");
            } else {
                errIncompatible = invalid(v, "module contains a go.mod file, so module path must match major version (\""
                        + pathPrefix + "/" + SemVer.major(v) + "\")");
            }
        } else if (v.endsWith("+incompatible")) {
            errIncompatible = invalid(v, "+incompatible suffix not allowed: major version " + SemVer.major(v) + " is compatible");
        }
        if (!statVers.isEmpty() && statVers.equals(ModuleVersion.canonical(statVers))) {
            String statBase = trimIncompatible(statVers);
            if (!statBase.equals(base)) {
                throw invalid(statVers, "resolves to version " + v + " (" + statBase + " is not a tag)");
            }
        }
        if (errIncompatible != null) {
            throw errIncompatible;
        }
        return new Revision(v, info.time, info.name);
    }

    private void validatePseudoVersion(CommitInfo info, String version) throws SourceException, IOException {
        String rev;
        try {
            rev = PseudoVersion.rev(version);
        } catch (ModuleRuleException e) {
            throw invalidPseudo(version, e.getMessage());
        }
        if (!rev.equals(info.shortName)) {
            if (rev.startsWith(info.shortName)) {
                throw invalidPseudo(version, "revision is longer than canonical (expected " + info.shortName + ")");
            } else if (info.shortName.startsWith(rev)) {
                throw invalidPseudo(version, "revision is shorter than canonical (expected " + info.shortName + ")");
            }
            throw invalidPseudo(version, "does not match short name of revision (expected " + info.shortName + ")");
        }
        try {
            if (!PseudoVersion.time(version).equals(info.time)) {
                throw invalidPseudo(version, "does not match version-control timestamp (expected "
                        + TIMESTAMP.format(info.time) + ")");
            }
        } catch (ModuleRuleException e) {
            throw invalidPseudo(version, e.getMessage());
        }
        String tagPrefix = tagPrefix();
        String base;
        try {
            base = PseudoVersion.base(trimIncompatible(version));
        } catch (ModuleRuleException e) {
            throw invalidPseudo(version, e.getMessage());
        }
        if (base.isEmpty()) {
            if (pseudoMajor.isEmpty() && SemVer.major(version).equals("v1")) {
                throw invalidPseudo(version, "major version without preceding tag must be v0, not v1");
            }
            return;
        }
        for (String tag : info.tags) {
            String versionOnly = tag.startsWith(tagPrefix) ? tag.substring(tagPrefix.length()) : tag;
            if (versionOnly.equals(base)) {
                throw invalidPseudo(version, "tag (" + tag + ") found on revision " + rev
                        + " is already canonical, so should not be replaced with a pseudo-version derived from that tag");
            }
        }
        String lastTag = "";
        boolean ancestorFound = false;
        for (String tag : code.tags(tagPrefix + base)) {
            String versionOnly = tag.startsWith(tagPrefix) ? tag.substring(tagPrefix.length()) : tag;
            if (SemVer.compare(versionOnly, base) == 0) {
                lastTag = tag;
                ancestorFound = code.descendsFrom(info.id, tag);
                if (ancestorFound) {
                    break;
                }
            }
        }
        if (lastTag.isEmpty()) {
            throw invalidPseudo(version, "preceding tag (" + base + ") not found");
        }
        if (!ancestorFound) {
            throw invalidPseudo(version, "revision " + rev + " is not a descendent of preceding tag (" + lastTag + ")");
        }
    }

    /** cmd/go's retractedVersions: the retract directives of the highest release's go.mod. */
    private List<Retraction> retractedVersions() throws IOException {
        String key = "retractions\u0000" + modPath;
        @SuppressWarnings("unchecked")
        List<Retraction> cached = (List<Retraction>) code.refs().derived.get(key);
        if (cached != null) {
            return cached;
        }
        List<Retraction> result = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (String v : versions()) {
            if (v.endsWith("+incompatible")) {
                break;
            }
            versions.add(v);
        }
        if (!versions.isEmpty()) {
            String highest = null;
            for (int i = versions.size() - 1; i >= 0; i--) {
                if (SemVer.prerelease(versions.get(i)).isEmpty()) {
                    highest = versions.get(i);
                    break;
                }
            }
            if (highest == null) {
                highest = versions.get(versions.size() - 1);
            }
            try {
                FoundDir dir = findDir(revisionOf(highest), highest);
                byte[] data = dir.goMod != null ? dir.goMod : GoModFile.synthesize(modPath);
                result = GoModFile.parseLax(data).retractions();
            } catch (SourceException | ModuleRuleException e) {
                result = new ArrayList<>();
            }
        }
        code.refs().derived.put(key, result);
        return result;
    }

    /** The go.mod at a listed version's commit, if any (for the @latest +incompatible rule). */
    byte[] goModAt(ObjectId commit) throws IOException {
        if (commit == null) {
            return null;
        }
        try {
            return findDir(commit, "v0.0.0").goMod;
        } catch (SourceException e) {
            return null;
        }
    }

    /** cmd/go's findDir at a commit: the module's directory and its go.mod (null: none, a legacy version). */
    FoundDir findDir(ObjectId commit, String version) throws SourceException, IOException {
        if (commit == null) {
            throw new SourceException("unknown revision " + version);
        }
        String rev = commit.name();
        String file1 = join(codeDir, "go.mod");
        byte[] gomod1 = code.readFile(commit, file1, MAX_GO_MOD);
        String mpath1 = gomod1 == null ? "" : GoModFile.modulePathOf(gomod1);
        boolean found1 = gomod1 != null && (isMajor(mpath1, pathMajor) || canReplaceMismatchedVersionDueToBug(mpath1));
        String file2 = "";
        if (!pathMajor.isEmpty() && !codeRoot.equals(modPath) && !pathMajor.startsWith(".")) {
            String dir2 = join(codeDir, pathMajor.substring(1));
            file2 = join(dir2, "go.mod");
            byte[] gomod2 = code.readFile(commit, file2, MAX_GO_MOD);
            String mpath2 = gomod2 == null ? "" : GoModFile.modulePathOf(gomod2);
            boolean found2 = gomod2 != null && isMajor(mpath2, pathMajor);
            if (found1 && found2) {
                throw new SourceException(pathPrefix + "/" + file1 + " and ..." + pathMajor + "/go.mod both have ..."
                        + pathMajor + " module paths at revision " + rev);
            }
            if (found2) {
                return new FoundDir(dir2, gomod2);
            }
            if (gomod2 != null) {
                if (mpath2.isEmpty()) {
                    throw new SourceException(codeRoot + "/" + file2 + " is missing module path at revision " + rev);
                }
                throw new SourceException(codeRoot + "/" + file2 + " has non-..." + pathMajor + " module path \""
                        + mpath2 + "\" at revision " + rev);
            }
        }
        if (found1) {
            return new FoundDir(codeDir, gomod1);
        }
        if (gomod1 != null) {
            String suffix = file2.isEmpty() ? "" : " (and ..." + pathMajor + "/go.mod does not exist)";
            if (mpath1.isEmpty()) {
                throw new SourceException(file1 + " is missing module path" + suffix + " at revision " + rev);
            }
            if (!pathMajor.isEmpty()) {
                throw new SourceException(file1 + " has non-..." + pathMajor + " module path \"" + mpath1 + "\"" + suffix
                        + " at revision " + rev);
            }
            if (ModulePath.splitPathVersion(mpath1) == null) {
                throw new SourceException(file1 + " has malformed module path \"" + mpath1 + "\"" + suffix + " at revision " + rev);
            }
            throw new SourceException(file1 + " has post-" + SemVer.major(version) + " module path \"" + mpath1 + "\""
                    + suffix + " at revision " + rev);
        }
        if (codeDir.isEmpty() && (pathMajor.isEmpty() || pathMajor.startsWith("."))) {
            return new FoundDir("", null);
        }
        if (!file2.isEmpty()) {
            throw new SourceException("missing " + pathPrefix + "/go.mod and ..." + pathMajor + "/go.mod at revision " + rev);
        }
        throw new SourceException("missing " + pathPrefix + "/go.mod at revision " + rev);
    }

    private boolean canReplaceMismatchedVersionDueToBug(String mpath) {
        return pathMajor.isEmpty() && mpath.startsWith("gopkg.in/");
    }

    private static boolean isMajor(String mpath, String pathMajor) {
        if (mpath.isEmpty()) {
            return false;
        }
        PathVersion pv = ModulePath.splitPathVersion(mpath);
        if (pv == null) {
            return false;
        }
        if (pathMajor.isEmpty()) {
            String m;
            try {
                m = ModulePath.pathMajorPrefix(pv.pathMajor());
            } catch (IllegalArgumentException e) {
                return false;
            }
            return m.isEmpty() || m.equals("v0") || m.equals("v1");
        }
        if (pv.pathMajor().isEmpty()) {
            return false;
        }
        return pathMajor.substring(1).equals(pv.pathMajor().substring(1));
    }

    private static boolean isRetracted(List<Retraction> retractions, String v) {
        for (Retraction r : retractions) {
            if (r.covers(v)) {
                return true;
            }
        }
        return false;
    }

    private SourceException invalid(String version, String why) {
        return new SourceException(modPath + "@" + version + ": invalid version: " + why);
    }

    private SourceException invalidPseudo(String version, String why) {
        return new SourceException(modPath + "@" + version + ": invalid pseudo-version: " + why);
    }

    private static String trimIncompatible(String v) {
        return v.endsWith("+incompatible") ? v.substring(0, v.length() - "+incompatible".length()) : v;
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static String trimSlashes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '/') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '/') {
            b--;
        }
        return s.substring(a, b);
    }
}
