package com.gitblit.plugin.goproxy.source.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.gitblit.plugin.goproxy.testing.RequiresGitCli;

/**
 * The reader against the real {@code git archive} (git 2.39) run as cmd/go runs it, one behaviour per test:
 * every test builds a commit and compares file lists, kinds, raw names and bytes for several module
 * directories. The server repository's own info/attributes is hostile throughout (see {@link ArchiveLab}).
 */
@RequiresGitCli
@Tag("jgit")
class GitArchiveDifferentialTest {
    @TempDir
    static Path tmp;
    static ArchiveLab lab;

    @BeforeAll
    static void setUp() throws IOException {
        lab = new ArchiveLab(tmp);
    }

    @AfterAll
    static void tearDown() {
        lab.close();
    }

    private static final String LF = "one\ntwo\nthree\n";
    private static final String CRLF = "one\r\ntwo\r\nthree\r\n";
    private static final String MIXED = "one\r\ntwo\nthree\r\nfour\n";
    private static final String LONE_CR = "one\rtwo\nthree\n";
    private static final String NO_FINAL_NEWLINE = "one\ntwo";
    private static final String NUL = "one\n\0two\n";
    private static final String DOS_EOF = "one\ntwo\n\032";

    private static void check(TreeSpec spec, String... dirs) throws IOException {
        ObjectId c = lab.commit(spec);
        for (String d : dirs) {
            lab.assertSame(c, d, false, "");
        }
    }

    /** Every content variant under a given file name stem, in a directory. */
    private static TreeSpec contents(TreeSpec spec, String dir, String ext) {
        String p = dir.isEmpty() ? "" : dir + "/";
        return spec.file(p + "lf." + ext, LF).file(p + "crlf." + ext, CRLF).file(p + "mixed." + ext, MIXED)
                .file(p + "lonecr." + ext, LONE_CR).file(p + "nofinal." + ext, NO_FINAL_NEWLINE)
                .file(p + "nul." + ext, NUL).file(p + "empty." + ext, "").file(p + "dos." + ext, DOS_EOF)
                .file(p + "binary." + ext, new byte[] {1, 2, 3, '\n', (byte) 0x80, 4, 5, 6, 7, '\n'})
                .file(p + "utf8." + ext, "h\u00e9 \u20ac \ud83d\ude00\n");
    }

    @Test
    void noAttributesMeansRawBlobs() throws IOException {
        TreeSpec s = contents(new TreeSpec(), "", "txt");
        contents(s, "sub/dir", "txt");
        check(s, "", "sub", "sub/dir");
    }

    @Test
    void eolAndTextAttributesOnEveryContentKind() throws IOException {
        String[] rules = {"text", "-text", "!text", "text=auto", "text=input", "text eol=crlf", "text eol=lf",
            "eol=crlf", "eol=lf", "text=auto eol=crlf", "text=auto eol=lf", "-text eol=crlf", "crlf", "-crlf",
            "crlf=input", "crlf=auto", "crlf eol=crlf", "crlf=auto eol=crlf", "text=bogus eol=crlf", "eol=CRLF",
            "text=input eol=crlf", "binary eol=crlf", "binary", "text=foo crlf", "text crlf=input eol=crlf"};
        StringBuilder attrs = new StringBuilder();
        TreeSpec s = new TreeSpec();
        for (int i = 0; i < rules.length; i++) {
            attrs.append("*.r").append(i).append(' ').append(rules[i]).append('\n');
            contents(s, "sub/d" + i, "r" + i);
        }
        s.file(".gitattributes", attrs.toString());
        check(s, "", "sub", "sub/d5");
    }

    @Test
    void rootAndIntermediateAttributesApplyInsideTheModuleDirectory() throws IOException {
        TreeSpec s = new TreeSpec()
                .file(".gitattributes", "*.a eol=crlf\nsub/dir/*.b eol=crlf\n/sub/dir/c.txt eol=crlf\n")
                .file("sub/.gitattributes", "*.c eol=crlf\ndir/*.d eol=crlf\n*.a -text\n")
                .file("sub/dir/.gitattributes", "*.e eol=crlf\n")
                .file("sub/dir/x.a", LF).file("sub/dir/x.b", LF).file("sub/dir/c.txt", LF).file("sub/dir/x.c", LF)
                .file("sub/dir/x.d", LF).file("sub/dir/x.e", LF).file("sub/dir/deep/x.a", LF)
                .file("sub/dir/deep/x.b", LF).file("other/x.a", LF).file("x.a", LF);
        check(s, "", "sub", "sub/dir", "sub/dir/deep", "other");
    }

    @Test
    void patternForms() throws IOException {
        String attributes = String.join("\n",
                "*.lit eol=crlf",
                "exact.txt eol=crlf",
                "/anchored.txt eol=crlf",
                "d1/*.in eol=crlf",
                "d1/** ident",
                "**/deep.txt eol=crlf",
                "a/**/b.txt eol=crlf",
                "dironly/ eol=crlf",
                "d2/ eol=crlf",
                "[ab]?.cls eol=crlf",
                "*.[tT][xX][tT]x eol=crlf",
                "\\#hash eol=crlf",
                "#comment.txt eol=crlf",
                "\"quoted name.txt\" eol=crlf",
                "\"bad\\quote.txt\" eol=crlf",
                "!neg.txt eol=crlf",
                "\\!bang.txt eol=crlf",
                "CASE.TXT eol=crlf",
                "foo**/bar.txt eol=crlf",
                "st*r/*.s eol=crlf",
                "sp\\ ace.txt eol=crlf",
                "[[:digit:]]*.n eol=crlf",
                "*.txt\\ eol=crlf",
                "x/y/ eol=crlf",
                "");
        TreeSpec s = new TreeSpec().file(".gitattributes", attributes);
        for (String p : new String[] {"x.lit", "sub/x.lit", "exact.txt", "sub/exact.txt", "anchored.txt",
            "sub/anchored.txt", "d1/a.in", "d1/sub/a.in", "sub/d1/a.in", "d1/deep/x", "deep.txt", "q/deep.txt",
            "q/r/deep.txt", "a/b.txt", "a/x/b.txt", "a/x/y/b.txt", "dironly", "sub/dironly", "d2/f",
            "ab.cls", "ax.cls", "cc.cls", "f.TxTx", "#hash", "comment.txt", "#comment.txt", "quoted name.txt",
            "\"bad\\quote.txt\"", "neg.txt", "!bang.txt", "case.txt", "CASE.TXT", "foo/bar.txt", "foox/bar.txt",
            "foo/x/bar.txt", "star/a.s", "stxr/a.s", "sp ace.txt", "1x.n", "x.n", "x/y/z", "x/yy"}) {
            s.file(p, LF + "$Id$\n");
        }
        check(s, "", "a", "d1", "q");
    }

    @Test
    void precedenceAndAssignments() throws IOException {
        TreeSpec s = new TreeSpec()
                .file(".gitattributes", String.join("\n",
                        "*.p eol=crlf",
                        "*.p -text",                 // later line wins: binary
                        "*.q -text",
                        "*.q eol=crlf",              // later line: eol applies, text unset stays → binary (crlf=unset)
                        "*.r text eol=lf eol=crlf",  // later assignment in a line wins
                        "*.s -text=crlf eol=crlf",   // value after -attr ignored
                        "*.t !eol eol=crlf",
                        "*.u eol=crlf bad!name",     // invalid name drops the line
                        "*.v eol=crlf -",            // so does a lone '-'
                        "*.w eol=crlf =x",
                        "*.x eol=crlf\r",            // CR is whitespace
                        "   *.y    eol=crlf   ",
                        "*.z\teol=crlf\tident",
                        "*.o text=",                 // empty value: undefined
                        "*.o eol=",
                        "*.k eol=crlf",
                        "*.k eol=lf",                // same attribute: the later line wins
                        "*.j eol=lf",
                        "*.j eol=crlf",
                        "* ident",
                        "*.h -ident",
                        "*.g !ident",
                        ""))
                .file("sub/.gitattributes", "*.t eol=crlf\n*.r !eol\n*.p text\n*.j eol=lf\n*.h ident\n");
        for (String ext : new String[] {"p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "o", "k", "j", "h", "g"}) {
            s.file("f." + ext, LF + "$Id$\n").file("sub/f." + ext, LF);
        }
        check(s, "", "sub");
    }

    @Test
    void macros() throws IOException {
        TreeSpec s = new TreeSpec()
                .file(".gitattributes", String.join("\n",
                        "[attr]crlfmac text eol=crlf",
                        "[attr]idmac ident crlfmac",
                        "[attr]twice eol=lf",
                        "[attr]twice eol=crlf",    // last definition wins
                        "[attr]bad! eol=crlf",
                        "\"[attr]quoted\" eol=crlf",
                        "*.m crlfmac",
                        "*.n idmac",
                        "*.o twice",
                        "*.p -crlfmac",
                        "*.q !crlfmac",
                        "*.r crlfmac=yes",
                        "*.s quoted",
                        "*.t text binary",         // binary expands after: text wins (last set first)
                        "*.u binary text",
                        "*.v binary eol=crlf",
                        "*.w -binary eol=crlf",
                        "*.x crlfmac -text",       // -text (later) set first; macro's text skipped
                        ""))
                .file("sub/.gitattributes", "[attr]nested eol=crlf\n*.nm nested\n*.y crlfmac\n");
        for (String ext : new String[] {"m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "nm", "y"}) {
            s.file("f." + ext, LF + "$Id$\n").file("sub/f." + ext, LF + "$Id$\n");
        }
        check(s, "", "sub");
    }

    @Test
    void rootMayRedefineBinary() throws IOException {
        TreeSpec s = new TreeSpec().file(".gitattributes", "[attr]binary eol=crlf\n*.b binary\n")
                .file("x.b", LF).file("sub/y.b", LF);
        check(s, "", "sub");
    }

    @Test
    void ident() throws IOException {
        String[] bodies = {
            "$Id$", "a $Id$ b $Id$\n", "$Id:$", "$Id: 0123 $", "$Id: abc$", "$Id:abc $", "$Id: a b $",
            "$Id:  $", "$Id: x\n$", "$Id: unterminated", "$Id", "$I", "$", "$$Id$", "$Id$$Id$", "$Id: old $Id$ $",
            "$Id:\r$", "$Id: a\tb $", "$Id:x y$", "$Id:  x$", "$Id:x $", "$Id:x  $", "$Id: x $", "$Id:x\t$", "$ID$", "x$Id$", "$Id: $Id$", "$Id:x $ and $Id$", "\0$Id$\0",
            "$Id: " + "z".repeat(70_000) + " $", "$Id: " + "z".repeat(70_000) + "\n$Id$",
            "$Id:" + "y".repeat(200_000), "$Id:" + "y".repeat(100_000) + " y$ $Id$",
            "$Id:" + "y".repeat(100_000) + " $" + "$Id: " + "q".repeat(90_000) + " $"};
        StringBuilder attrs = new StringBuilder("*.i ident\n*.ic ident eol=crlf\n*.ia ident text=auto eol=crlf\n"
                + "*.no -ident\n*.v ident=true\n");
        TreeSpec s = new TreeSpec().file(".gitattributes", attrs.toString());
        for (int i = 0; i < bodies.length; i++) {
            s.file("sub/f" + i + ".i", bodies[i]).file("sub/f" + i + ".ic", bodies[i] + "\n" + bodies[i] + "\n")
                    .file("sub/f" + i + ".ia", bodies[i] + "\n").file("sub/f" + i + ".no", bodies[i])
                    .file("sub/f" + i + ".v", bodies[i]);
        }
        check(s, "sub");
    }

    @Test
    void workingTreeEncodings() throws IOException {
        String[] names = {"UTF-16", "utf-16", "UTF16", "UTF-16LE", "utf16le", "UTF-16BE", "UTF16BE", "UTF-16LE-BOM",
            "utf16le-bom", "UTF-16BE-BOM", "UTF-32", "UTF32", "UTF-32LE", "UTF-32BE", "ISO-8859-1", "iso8859-1",
            "LATIN1", "latin-1", "L1", "CP819", "US-ASCII", "ASCII", "WINDOWS-1252", "cp1252", "ISO-8859-15",
            "LATIN9", "KOI8-R", "windows-1251", "ISO_8859-2", "utf8", "UTF-8", "Utf-8", ""};
        StringBuilder attrs = new StringBuilder();
        TreeSpec s = new TreeSpec();
        String[] contents = {"plain ascii\n", "h\u00e9llo w\u00f6rld\n", "\u20ac euro\n", "\u044f\u0437\u044b\u043a\n",
            "emoji \ud83d\ude00\n", "", "\ufeffbom first\n", "a\0b\n", "crlf\r\nand lf\n"};
        for (int i = 0; i < names.length; i++) {
            attrs.append("*.e").append(i).append(" working-tree-encoding=").append(names[i]).append('\n');
            attrs.append("*.c").append(i).append(" working-tree-encoding=").append(names[i]).append(" eol=crlf\n");
            for (int k = 0; k < contents.length; k++) {
                s.file("e/" + k + ".e" + i, contents[k]).file("e/" + k + ".c" + i, contents[k]);
            }
            s.file("e/bad.e" + i, new byte[] {'o', 'k', (byte) 0xff, '\n'})
                    .file("e/trunc.e" + i, new byte[] {'o', 'k', (byte) 0xe2, (byte) 0x82})
                    .file("e/sur.e" + i, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})
                    .file("e/over.e" + i, new byte[] {(byte) 0xc0, (byte) 0x80})
                    .file("e/ffff.e" + i, new byte[] {(byte) 0xef, (byte) 0xbf, (byte) 0xbf});
        }
        attrs.append("*.id working-tree-encoding=UTF-16LE ident eol=crlf\n");
        s.file("e/x.id", "$Id$\n\u00e9\n");
        attrs.append("*.lfs filter=lfs eol=crlf working-tree-encoding=UTF-16LE\n");
        s.file("e/x.lfs", "version https://git-lfs.github.com/spec/v1\n");
        s.file(".gitattributes", attrs.toString());
        check(s, "", "e");
    }

    @Test
    void encodingsThisReaderDoesNotReproduceAreRefused() throws IOException {
        for (String name : new String[] {"SHIFT-JIS", "EUC-JP", "GBK", "UTF-7", "no-such-encoding", "UTF-16//IGNORE"}) {
            ObjectId c = lab.commit(new TreeSpec().file(".gitattributes", "*.t working-tree-encoding=" + name + "\n")
                    .file("x.t", "\u3042\n"));
            ArchiveLab.Outcome got = lab.reader(c, "");
            assertEquals(ArchiveLab.Status.REFUSED, got.status(), name);
            assertEquals(ArchiveLab.Status.OK, lab.oracle(c, "").status(), name);
        }
    }

    @Test
    void workingTreeEncodingWithoutValueMakesGitArchiveFail() throws IOException {
        check(new TreeSpec().file(".gitattributes", "*.t working-tree-encoding\n").file("x.t", "a\n"), "");
        check(new TreeSpec().file(".gitattributes", "*.t -working-tree-encoding\n").file("x.t", "a\n"), "");
        // only files in the archive count
        check(new TreeSpec().file(".gitattributes", "*.t working-tree-encoding\n").file("out/x.t", "a\n")
                .file("in/y", "b\n"), "in", "out");
        check(new TreeSpec().file(".gitattributes", "*.t !working-tree-encoding\n").file("x.t", "a\n"), "");
    }

    @Test
    void exportAttributesAndFiltersAreNeutral() throws IOException {
        TreeSpec s = new TreeSpec()
                .file(".gitattributes", "*.ig export-ignore\n*.su export-subst\nign/ export-ignore\n"
                        + "*.lfs filter=lfs diff=lfs merge=lfs -text\n*.f filter=whatever eol=crlf\n"
                        + "[attr]sneaky export-ignore eol=crlf\n*.sn sneaky\n")
                .file("a.ig", LF).file("b.su", "$Format:%H$\n").file("ign/c", LF).file("d.lfs", "pointer\n")
                .file("e.f", LF).file("f.sn", LF);
        check(s, "", "ign");
    }

    @Test
    void gitattributesFileForms() throws IOException {
        // a symlink's target text is read as attributes; a gitlink or directory named .gitattributes is not
        check(new TreeSpec().symlink(".gitattributes", "*.t eol=crlf").file("x.t", LF), "");
        check(new TreeSpec().gitlink("sub/.gitattributes", "0123456789012345678901234567890123456789")
                .file("sub/x.t", LF), "sub");
        check(new TreeSpec().file(".gitattributes/x", "*.t eol=crlf\n").file("x.t", LF), "");
        check(new TreeSpec().file(".gitattributes", "*.t eol=crlf\r\n*.u eol=crlf\r\n").file("x.t", LF)
                .file("x.u", LF), "");
        check(new TreeSpec().file(".gitattributes", "\ufeff*.t eol=crlf\n*.u eol=crlf\n").file("x.t", LF)
                .file("x.u", LF), "");
        check(new TreeSpec().file(".gitattributes", "*.t eol=crlf\n*.u eol=crlf\0\n*.v eol=crlf\n").file("x.t", LF)
                .file("x.u", LF).file("x.v", LF), "");
        check(new TreeSpec().file(".gitattributes", "*.t eol=crlf " + "a".repeat(2100) + "\n*.u eol=crlf\n"
                + "#" + "c".repeat(3000) + "\n*.v eol=crlf  " + " ".repeat(2030) + "\n").file("x.t", LF)
                .file("x.u", LF).file("x.v", LF), "");
        check(new TreeSpec().file(".gitattributes", "*.t eol=crlf").file("x.t", LF), ""); // no final LF
        check(new TreeSpec().put(".gitattributes".getBytes(StandardCharsets.UTF_8), TreeSpec.EXEC,
                "*.t eol=crlf\n".getBytes(StandardCharsets.UTF_8)).file("x.t", LF), "");
        check(new TreeSpec().file("Sub/.gitattributes", "*.t eol=crlf\n").file("sub/x.t", LF)
                .file("Sub/x.t", LF).file("sub/.GITATTRIBUTES", "*.t eol=crlf\n"), "", "sub", "Sub");
    }

    @Test
    void kindsOfEntries() throws IOException {
        TreeSpec s = new TreeSpec()
                .file(".gitattributes", "* eol=crlf ident\n")
                .file("m/regular", LF)
                .put("m/exec".getBytes(StandardCharsets.UTF_8), TreeSpec.EXEC, LF.getBytes(StandardCharsets.UTF_8))
                .symlink("m/link", "regular\n$Id$")
                .symlink("m/dangling", "../../nowhere")
                .gitlink("m/submodule", "0123456789012345678901234567890123456789")
                .emptyTree("m/empty")
                .emptyTree("m/nested/empty")
                .put(new byte[] {'m', '/', 'b', 'a', 'd', (byte) 0xff, (byte) 0xfe}, TreeSpec.FILE, LF.getBytes())
                .put(new byte[] {'m', '/', (byte) 0xc3, (byte) 0xa9, '.', 't'}, TreeSpec.FILE, LF.getBytes())
                .file("m/sp ace/x", LF).file("m/-dash", LF).file("m/!x", LF).file("m/a.b/c", LF).file("m/a/b", LF)
                .file("m/a-b", LF).file("m/a0", LF);
        check(s, "", "m", "m/nested", "m/submodule");
    }

    @Test
    void rootLicenseForModulesBelowTheRoot() throws IOException {
        String license = "Copyright\r\nLF and CRLF\n$Id$\n";
        String attrs = "* eol=crlf ident working-tree-encoding=UTF-16LE\n";
        // plain root LICENSE, no attributes applied to the copy
        check(new TreeSpec().file(".gitattributes", attrs).file("LICENSE", license).file("sub/a", LF)
                .file("sub/v2/b", LF), "", "sub", "sub/v2");
        // the module has its own LICENSE (file, symlink): nothing appended
        check(new TreeSpec().file("LICENSE", license).file("sub/LICENSE", "mine\n").file("sub/a", LF), "sub");
        check(new TreeSpec().file("LICENSE", license).symlink("sub/LICENSE", "../LICENSE").file("sub/a", LF), "sub");
        // LICENSE as a directory or gitlink in the module does not count
        check(new TreeSpec().file("LICENSE", license).file("sub/LICENSE/x", "dir\n").file("sub/a", LF), "sub");
        check(new TreeSpec().file("LICENSE", license).gitlink("sub/LICENSE", "0123456789012345678901234567890123456789")
                .file("sub/a", LF), "sub");
        // root LICENSE forms: symlink (its target), directory, gitlink (not present here), none; other names
        check(new TreeSpec().symlink("LICENSE", "COPYING").file("COPYING", "text\n").file("sub/a", LF), "sub");
        check(new TreeSpec().file("LICENSE/x", "text\n").file("sub/a", LF), "sub");
        check(new TreeSpec().gitlink("LICENSE", "0123456789012345678901234567890123456789").file("sub/a", LF), "sub");
        check(new TreeSpec().file("LICENSE.md", "md\n").file("license", "lower\n").file("sub/LICENSE.txt", "x\n")
                .file("sub/a", LF), "sub");
        // an intermediate directory's LICENSE is not used
        check(new TreeSpec().file("sub/LICENSE", "mid\n").file("sub/deeper/a", LF).file("LICENSE", license),
                "sub/deeper");
        // root module: never appended (it is already in the tree)
        check(new TreeSpec().file("LICENSE", license).file("a", LF), "");
    }

    @Test
    void gitlinkLicenseNamingABlobOfThisRepository() throws IOException {
        ObjectId blob;
        try (var ins = lab.repository().newObjectInserter()) {
            blob = ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, "blob behind a gitlink\n".getBytes());
            ins.flush();
        }
        check(new TreeSpec().putId("LICENSE".getBytes(), TreeSpec.GITLINK, blob).file("sub/a", LF), "sub");
    }

    @Test
    void moduleDirectoryForms() throws IOException {
        TreeSpec s = new TreeSpec().file("file", LF).file("dir/a", LF).emptyTree("dir/empty")
                .gitlink("dir/sm", "0123456789012345678901234567890123456789").symlink("dir/ln", "a")
                .file("dirx/a", LF).file("LICENSE", "L\n");
        check(s, "missing", "dir/missing", "file", "dir/empty", "dir/sm", "dir/ln", "dir", "Dir", "dir/a", "di");
    }

    @Test
    void pathsGitRefusesAnywhereInTheTreeMakeArchiveFail() throws IOException {
        String[] bad = {".git/x", "a/.GIT/x", "a/.Git", "git~1/x", "a/.git. ./x", "a/.git:x", "a/GIT~1"};
        for (String b : bad) {
            check(new TreeSpec().file("mod/a", LF).file(b, LF), "mod", "");
        }
        for (String link : new String[] {".gitmodules", "a/.GITMODULES", "a/gitmod~1", "a/.gitmodules .",
            "a/gi7eba~9", ".gitmodules/x"}) {
            check(new TreeSpec().file("mod/a", LF).symlink(link, "target"), "mod");
        }
        // fine: similar names, and .gitmodules as a regular file
        check(new TreeSpec().file("mod/a", LF).file(".gitx", LF).file("a/git~2", LF).file(".gitmodules", "")
                .file("a\\b", LF).file("x:y", LF).file("a/.git~1", LF).symlink("a/gitmodules", "t"), "mod", "");
        // an empty tree named .git holds no index entry: no failure
        check(new TreeSpec().file("mod/a", LF).emptyTree(".git"), "mod");
    }

    @Test
    void largeIdentLookaheadAndConversionSizes() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 40_000; i++) {
            big.append("line ").append(i).append(i % 7 == 0 ? "\r\n" : "\n");
        }
        String b = big.toString();
        TreeSpec s = new TreeSpec().file(".gitattributes", "*.c eol=crlf\n*.a text=auto eol=crlf\n*.i ident eol=crlf\n")
                .file("x.c", b).file("x.a", b.replace("\r", "")).file("x.i", "$Id:" + "w".repeat(3_000_000) + "$\n" + b)
                .file("y.i", "$Id:" + b.replace("\n", "").replace("\r", "") + "$\n");
        check(s, "");
    }

    @Test
    void attributesOfTheServerRepositoryAreIgnoredEvenWithoutGitattributes() throws IOException {
        ObjectId c = lab.commit(new TreeSpec().file("a.txt", LF + "$Id$\n"));
        ArchiveLab.Outcome got = lab.assertSame(c, "", false, "hostile info/attributes");
        assertTrue(Arrays.equals(got.files().get(0).content(), (LF + "$Id$\n").getBytes()));
    }
}
