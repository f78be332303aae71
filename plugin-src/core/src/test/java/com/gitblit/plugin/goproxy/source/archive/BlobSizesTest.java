package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remembered blob sizes never stand in for a blob another repository lacks, and are the blobs' real sizes. */
@Tag("jgit")
class BlobSizesTest {
    @TempDir
    Path tmp;

    @Test
    void aBlobKnownInOneRepositoryIsStillMissingInAnother() throws Exception {
        byte[] content = "package lib\n".getBytes(StandardCharsets.UTF_8);
        try (Repository has = bare("has"); Repository lacks = bare("lacks")) {
            ObjectId blob;
            ObjectId inHas;
            ObjectId inLacks;
            try (ObjectInserter ins = has.newObjectInserter()) {
                blob = ins.insert(Constants.OBJ_BLOB, content);
                inHas = commitOf(ins, blob);
                ins.flush();
            }
            try (ObjectInserter ins = lacks.newObjectInserter()) {
                inLacks = commitOf(ins, blob); // the tree names a blob this repository never received
                ins.flush();
            }
            for (int round = 0; round < 2; round++) {
                try (GitArchiveReader reader = new GitArchiveReader(has)) {
                    List<ArchiveFile> files = reader.list(inHas, "");
                    assertEquals(content.length, files.get(0).size());
                }
            }
            try (GitArchiveReader reader = new GitArchiveReader(lacks)) {
                assertThrows(MissingObjectException.class, () -> reader.list(inLacks, ""));
            }
        }
    }

    private Repository bare(String name) throws Exception {
        Repository r = new FileRepositoryBuilder().setGitDir(tmp.resolve(name + ".git").toFile()).setBare().build();
        r.create(true);
        return r;
    }

    private static ObjectId commitOf(ObjectInserter ins, ObjectId blob) throws Exception {
        TreeFormatter tree = new TreeFormatter();
        tree.append("a.go", FileMode.REGULAR_FILE, blob);
        CommitBuilder c = new CommitBuilder();
        c.setTreeId(ins.insert(tree));
        PersonIdent who = new PersonIdent("T", "t@example.com", 0, 0);
        c.setAuthor(who);
        c.setCommitter(who);
        c.setMessage("c");
        return ins.insert(c);
    }
}
