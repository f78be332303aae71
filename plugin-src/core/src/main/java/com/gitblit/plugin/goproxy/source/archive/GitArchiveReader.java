package com.gitblit.plugin.goproxy.source.archive;

import com.gitblit.plugin.goproxy.module.zip.ModuleFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Lists a module's files at a commit exactly as cmd/go 1.19's direct mode gets them: from
 * {@code git -c core.autocrlf=input -c core.eol=lf archive --format=zip --prefix=prefix/ <commit> [-- <dir>]}
 * (git 2.39, Linux) run in a clone whose {@code info/attributes} is {@code * -export-subst -export-ignore},
 * then cmd/go's {@code codeRepo.Zip} post-processing. With JGit only, streaming.
 * <ol>
 *   <li>Files are those under the module directory, in git tree order, with paths relative to it.
 *       Directories and gitlinks (submodules) are not listed (cmd/go drops names ending in "/"). Symbolic
 *       links are listed as {@link ModuleFile.Kind#SYMLINK} with the link target as content.</li>
 *   <li>Regular files carry git's checkout conversions ({@link CheckoutConversion}) from the
 *       {@code .gitattributes} files of the ARCHIVED TREE: the root one and those of every directory down
 *       to the file, even outside the module directory ({@link AttributeResolver}). The repository's own
 *       {@code info/attributes} and any system or user attributes are ignored, as cmd/go's clone has none
 *       of them. {@code export-ignore} and {@code export-subst} have no effect; filters are never run (a
 *       {@code filter=lfs} file is its pointer blob, with any other conversion it has still applied).</li>
 *   <li>Files over 512 MiB (git's default {@code core.bigFileThreshold}) are raw blobs.</li>
 *   <li>For a module below the root: when the module directory has no file or symlink named exactly
 *       {@code LICENSE}, the root {@code LICENSE} is appended, last, as a regular file with the raw blob's
 *       bytes ({@code git cat-file blob <commit>:LICENSE}: no attributes; a symlink gives its target text;
 *       a directory, or a gitlink whose object is not a blob here, gives nothing). Its size is not limited
 *       here: cmd/go 1.19 reads it whole and the zip rules then reject one over 16 MiB.</li>
 *   <li>Failures are git's: a missing module directory ({@link ModuleDirectoryNotFoundException}); a commit
 *       tree git archive cannot handle ({@link GitArchiveFailureException}: see {@link IndexPaths}, a
 *       {@code working-tree-encoding} set without a value, an archive entry name over 65535 bytes); and
 *       content this reader will not guess ({@link UnreproducibleContentException}), for any listed
 *       regular file, even one the zip rules would later omit.</li>
 * </ol>
 * Sizes are exact and known when {@link #list} returns: the blob size when nothing converts, else one
 * streaming pass. One tree walk over the whole commit (git reads the whole tree too, and one bad path
 * anywhere makes it fail); each {@code .gitattributes} blob is parsed once. Not thread-safe; close it
 * after the listed files have been read.
 */
public final class GitArchiveReader implements AutoCloseable {
    /** git's default {@code core.bigFileThreshold}: larger blobs are archived without conversion. */
    static final long BIG_FILE_THRESHOLD = 512L * 1024 * 1024;
    private static final int MAX_ZIP_NAME = 0xFFFF;
    private static final int ARCHIVE_PREFIX_LENGTH = "prefix/".length();
    private static final int TYPE_MASK = 0170000;
    private static final int TYPE_TREE = 0040000;
    private static final int TYPE_SYMLINK = 0120000;
    private static final int TYPE_FILE = 0100000;
    private static final byte[] GITATTRIBUTES = Constants.encode(".gitattributes");
    private static final String LICENSE = "LICENSE";
    /** Compared with every listed path: encoded once (encoding it per entry was a tenth of a push check). */
    private static final byte[] LICENSE_BYTES = Constants.encode(LICENSE);

    private final ObjectReader reader;
    private final boolean ownsReader;
    /** The repository folder, for {@link BlobSizes}; null when unknown. */
    private final java.io.File repositoryFolder;

    /** Reads through a new {@link ObjectReader} of {@code repository}, closed by {@link #close()}. */
    public GitArchiveReader(Repository repository) {
        this(repository.newObjectReader(), true, repository.getDirectory());
    }

    /** Reads through {@code reader}, which the caller keeps open (and closes) itself. */
    public GitArchiveReader(ObjectReader reader) {
        this(reader, false, null);
    }

    private GitArchiveReader(ObjectReader reader, boolean ownsReader, java.io.File repositoryFolder) {
        this.reader = reader;
        this.ownsReader = ownsReader;
        this.repositoryFolder = repositoryFolder;
    }

    ObjectReader objectReader() {
        return reader;
    }

    /**
     * The module's files at {@code commit}.
     *
     * @param moduleDirectory "" for the repository root, else a slash-separated directory such as
     *     {@code sub/dir} or {@code sub/dir/v2} (no leading, trailing or double slash)
     * @throws IllegalArgumentException for a malformed directory, or one git would read as a glob
     */
    public List<ArchiveFile> list(AnyObjectId commit, String moduleDirectory) throws IOException, GitArchiveException {
        byte[] dir = checkDirectory(moduleDirectory);
        Walked walked = walk(commit, dir, moduleDirectory);
        AttributeLookup attributes = new AttributeLookup(walked.attributeFiles, walked.gitlinks);
        List<ArchiveFile> files = new ArrayList<>(walked.entries.size() + 1);
        boolean haveLicense = false;
        for (Entry e : walked.entries) {
            byte[] relative = Arrays.copyOfRange(e.path, dir.length == 0 ? 0 : dir.length + 1, e.path.length);
            if (Arrays.equals(relative, LICENSE_BYTES)) {
                haveLicense = true;
            }
            files.add(file(e, relative, attributes));
        }
        if (dir.length > 0 && !haveLicense && walked.rootLicense != null) {
            ArchiveFile license = rootLicense(walked.rootLicense, walked.gitlinks.contains(walked.rootLicense));
            if (license != null) {
                files.add(license);
            }
        }
        return Collections.unmodifiableList(files);
    }

    private ArchiveFile file(Entry e, byte[] relative, AttributeLookup attributes)
            throws IOException, GitArchiveException {
        long blobSize = BlobSizes.of(reader, repositoryFolder, e.id);
        if (!e.regular) {
            return new ArchiveFile(this, relative, ModuleFile.Kind.SYMLINK, e.id, blobSize, null, false);
        }
        ConvertedBlob converted = null;
        long size = blobSize;
        if (blobSize <= BIG_FILE_THRESHOLD && attributes.any()) {
            String displayPath = new String(e.path, StandardCharsets.UTF_8);
            CheckoutConversion conversion = CheckoutConversion.of(attributes.of(e.path), displayPath);
            if (!conversion.isNone()) {
                converted = ConvertedBlob.measure(reader, e.id, conversion);
                size = converted.size();
            }
        }
        return new ArchiveFile(this, relative, ModuleFile.Kind.REGULAR, e.id, size, converted, false);
    }

    private ArchiveFile rootLicense(ObjectId id, boolean gitlink) throws IOException {
        ObjectLoader loader;
        try {
            loader = reader.open(id);
        } catch (MissingObjectException e) {
            if (gitlink) {
                return null; // a gitlink's commit is not in this repository
            }
            throw e; // a file's blob is gone: damage, never a zip without its LICENSE
        }
        if (loader.getType() != Constants.OBJ_BLOB) {
            return null;
        }
        return new ArchiveFile(this, Constants.encode(LICENSE), ModuleFile.Kind.REGULAR, id, loader.getSize(), null, true);
    }

    private static byte[] checkDirectory(String dir) {
        if (dir.isEmpty()) {
            return new byte[0];
        }
        if (dir.startsWith("/") || dir.endsWith("/") || dir.contains("//") || dir.startsWith(":")) {
            throw new IllegalArgumentException("module directory must be a clean relative path: " + dir);
        }
        for (String element : dir.split("/")) {
            if (element.equals(".") || element.equals("..")) {
                throw new IllegalArgumentException("module directory must be a clean relative path: " + dir);
            }
        }
        for (char c : dir.toCharArray()) {
            // git would read these as a glob pathspec; module paths never contain them
            if (c == '*' || c == '?' || c == '[' || c == '\\' || c == 0) {
                throw new IllegalArgumentException("module directory contains a glob character: " + dir);
            }
        }
        return dir.getBytes(StandardCharsets.UTF_8);
    }

    /** A non-directory tree entry under the module directory that git archive writes as a file. */
    private static final class Entry {
        final byte[] path;
        final ObjectId id;
        final boolean regular;

        Entry(byte[] path, ObjectId id, boolean regular) {
            this.path = path;
            this.id = id;
            this.regular = regular;
        }
    }

    private static final class Walked {
        final List<Entry> entries = new ArrayList<>();
        /** Directory (ISO-8859-1 of its raw path, "" for the root) → its .gitattributes entry. */
        final Map<String, ObjectId> attributeFiles = new HashMap<>();
        /** Ids of the gitlinks among them: their commits are usually not in this repository. */
        final java.util.Set<ObjectId> gitlinks = new java.util.HashSet<>();
        ObjectId rootLicense;
    }

    private Walked walk(AnyObjectId commit, byte[] dir, String dirName) throws IOException, GitArchiveException {
        RevCommit c;
        try (RevWalk rw = new RevWalk(reader)) {
            c = rw.parseCommit(commit);
        }
        Walked walked = new Walked();
        boolean found = dir.length == 0;
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(c.getTree());
            tw.setRecursive(false);
            while (tw.next()) {
                byte[] path = tw.getRawPath();
                int type = tw.getRawMode(0) & TYPE_MASK;
                boolean archived = isUnder(path, dir) || isPrefixOf(path, dir) || Arrays.equals(path, dir);
                if (Arrays.equals(path, dir)) {
                    found = true;
                }
                boolean directoryLike = type == TYPE_TREE || (type != TYPE_FILE && type != TYPE_SYMLINK);
                if (archived && ARCHIVE_PREFIX_LENGTH + path.length + (directoryLike ? 1 : 0) > MAX_ZIP_NAME) {
                    throw new GitArchiveFailureException("git archive fails: a path in the module is longer than"
                            + " a zip entry name may be (" + path.length + " bytes)");
                }
                if (type == TYPE_TREE) {
                    tw.enterSubtree();
                    continue;
                }
                if (!IndexPaths.isValid(path, type == TYPE_SYMLINK)) {
                    throw new GitArchiveFailureException("git archive fails on this commit: git refuses the path '"
                            + new String(path, StandardCharsets.UTF_8) + "' in its tree");
                }
                int nameStart = lastSlash(path) + 1;
                byte[] parent = Arrays.copyOfRange(path, 0, Math.max(nameStart - 1, 0));
                boolean gitlink = type != TYPE_FILE && type != TYPE_SYMLINK;
                if (isGitattributes(path, nameStart) && (isPrefixOf(parent, dir) || isUnder(parent, dir)
                        || Arrays.equals(parent, dir))) {
                    walked.attributeFiles.put(latin1(parent), tw.getObjectId(0));
                    if (gitlink) {
                        walked.gitlinks.add(tw.getObjectId(0));
                    }
                }
                if (nameStart == 0 && Arrays.equals(path, LICENSE_BYTES)) {
                    walked.rootLicense = tw.getObjectId(0);
                    if (gitlink) {
                        walked.gitlinks.add(tw.getObjectId(0));
                    }
                }
                // other modes are gitlinks to git (canon_mode): directory entries in the archive, dropped
                if (isUnder(path, dir) && (type == TYPE_FILE || type == TYPE_SYMLINK)) {
                    walked.entries.add(new Entry(path, tw.getObjectId(0), type == TYPE_FILE));
                }
            }
        }
        if (!found) {
            throw new ModuleDirectoryNotFoundException("pathspec '" + dirName + "' did not match any files");
        }
        return walked;
    }

    private static boolean isGitattributes(byte[] path, int nameStart) {
        if (path.length - nameStart != GITATTRIBUTES.length) {
            return false;
        }
        for (int i = 0; i < GITATTRIBUTES.length; i++) {
            if (path[nameStart + i] != GITATTRIBUTES[i]) {
                return false;
            }
        }
        return true;
    }

    static int lastSlash(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return i;
            }
        }
        return -1;
    }

    /** {@code path} lies strictly inside directory {@code dir} ("" contains everything). */
    static boolean isUnder(byte[] path, byte[] dir) {
        if (dir.length == 0) {
            return path.length > 0;
        }
        if (path.length <= dir.length + 1 || path[dir.length] != '/') {
            return false;
        }
        for (int i = 0; i < dir.length; i++) {
            if (path[i] != dir[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code ancestor} is "" or a proper ancestor directory of {@code path}. */
    static boolean isPrefixOf(byte[] ancestor, byte[] path) {
        return isUnder(path, ancestor);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Attribute lookups over the walked .gitattributes files, each blob parsed once. */
    private final class AttributeLookup {
        private final Map<String, ObjectId> files;
        private final java.util.Set<ObjectId> gitlinks;
        private final Map<String, AttributeFile> parsed = new HashMap<>();
        /** By blob id and whether macros count: identical files in many directories are parsed once. */
        private final Map<String, AttributeFile> parsedBlobs = new HashMap<>();
        private final Map<String, List<AttributeResolver.Frame>> framesByDirectory = new HashMap<>();
        private AttributeResolver resolver;

        AttributeLookup(Map<String, ObjectId> files, java.util.Set<ObjectId> gitlinks) {
            this.files = files;
            this.gitlinks = gitlinks;
        }

        boolean any() {
            return !files.isEmpty();
        }

        Map<String, AttributeState> of(byte[] path) throws IOException {
            if (resolver == null) {
                resolver = new AttributeResolver(load(""));
            }
            int slash = lastSlash(path);
            byte[] directory = slash < 0 ? new byte[0] : Arrays.copyOfRange(path, 0, slash);
            return resolver.resolve(path, frames(directory));
        }

        private List<AttributeResolver.Frame> frames(byte[] directory) throws IOException {
            String key = latin1(directory);
            List<AttributeResolver.Frame> frames = framesByDirectory.get(key);
            if (frames == null) {
                frames = new ArrayList<>();
                byte[] d = directory;
                while (true) {
                    AttributeFile f = load(latin1(d));
                    if (!f.rules().isEmpty()) {
                        frames.add(new AttributeResolver.Frame(d, f));
                    }
                    if (d.length == 0) {
                        break;
                    }
                    int slash = lastSlash(d);
                    d = slash < 0 ? new byte[0] : Arrays.copyOfRange(d, 0, slash);
                }
                framesByDirectory.put(key, frames);
            }
            return frames;
        }

        /** The parsed .gitattributes of a directory ("" = root, the only one whose macros count). */
        private AttributeFile load(String directory) throws IOException {
            AttributeFile f = parsed.get(directory);
            if (f != null) {
                return f;
            }
            f = AttributeFile.EMPTY;
            ObjectId id = files.get(directory);
            if (id != null) {
                String blobKey = id.name() + (directory.isEmpty() ? "/root" : "");
                f = parsedBlobs.get(blobKey);
                if (f == null) {
                    f = read(id, directory.isEmpty());
                    parsedBlobs.put(blobKey, f);
                }
            }
            parsed.put(directory, f);
            return f;
        }

        private AttributeFile read(ObjectId id, boolean root) throws IOException {
            ObjectLoader loader;
            try {
                loader = reader.open(id);
            } catch (MissingObjectException e) {
                if (gitlinks.contains(id)) {
                    return AttributeFile.EMPTY; // a gitlink named .gitattributes: its commit is not here
                }
                throw e; // a file's blob is gone: damage, never a zip with other conversions
            }
            if (loader.getType() != Constants.OBJ_BLOB || loader.getSize() >= AttributeFile.MAX_FILE_SIZE) {
                return AttributeFile.EMPTY;
            }
            try (InputStream in = loader.openStream()) {
                return AttributeFile.parse(in, root);
            }
        }
    }

    @Override
    public void close() {
        if (ownsReader) {
            reader.close();
        }
    }
}
