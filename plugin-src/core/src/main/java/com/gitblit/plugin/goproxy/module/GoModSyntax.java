package com.gitblit.plugin.goproxy.module;

import java.util.ArrayList;
import java.util.List;

/**
 * The statement structure of a go.mod file as x/mod's modfile reader builds it: lines of tokens, and
 * {@code verb (} ... {@code )} blocks of lines, with the {@code //} comments around them. Only what the lax
 * parse needs is kept. Tokens are identifiers (runs of printable, non-space runes other than {@code ()[]{},}),
 * quoted strings ({@code "..."} or {@code `...`}, kept with their quotes) and the punctuation runes.
 *
 * <p>Syntax errors are the ones x/mod reports: {@code /* *}{@code /} comments, unterminated strings, a newline
 * in a string, a character that cannot start a token, an unterminated block, text after a block's closing paren.
 */
final class GoModSyntax {
    static final class Line {
        final int lineNumber;
        final List<String> tokens = new ArrayList<>();
        final List<String> commentsBefore = new ArrayList<>();
        String suffixComment;

        Line(int lineNumber) {
            this.lineNumber = lineNumber;
        }
    }

    static final class Block {
        final int lineNumber;
        final List<String> tokens;
        final List<Line> lines = new ArrayList<>();
        final List<String> commentsBefore = new ArrayList<>();
        String suffixComment;

        Block(int lineNumber, List<String> tokens) {
            this.lineNumber = lineNumber;
            this.tokens = tokens;
        }
    }

    /** A {@link Line} or a {@link Block}, in file order. */
    final List<Object> statements = new ArrayList<>();

    private enum Kind { EOF, NEWLINE, EOL_COMMENT, COMMENT, LPAREN, RPAREN, PUNCT, STRING, IDENT }

    private static final class Token {
        final Kind kind;
        final String text;
        final int line;

        Token(Kind kind, String text, int line) {
            this.kind = kind;
            this.text = text;
            this.line = line;
        }

        boolean isEol() {
            return kind == Kind.NEWLINE || kind == Kind.EOF || kind == Kind.EOL_COMMENT;
        }
    }

    private final int[] runes;
    private int pos;
    private int line = 1;
    private Token peeked;

    private GoModSyntax(int[] runes) {
        this.runes = runes;
    }

    static GoModSyntax parse(String text) throws ModuleRuleException {
        GoModSyntax s = new GoModSyntax(text.codePoints().toArray());
        s.peeked = s.readToken();
        s.parseFile();
        return s;
    }

    private Token lex() throws ModuleRuleException {
        Token t = peeked;
        peeked = readToken();
        return t;
    }

    private void parseFile() throws ModuleRuleException {
        List<String> pendingComments = new ArrayList<>();
        while (true) {
            switch (peeked.kind) {
                case NEWLINE:
                    lex();
                    pendingComments.clear();
                    break;
                case COMMENT:
                    pendingComments.add(lex().text);
                    break;
                case EOF:
                    return;
                default:
                    Object stmt = parseStatement();
                    if (stmt instanceof Line) {
                        ((Line) stmt).commentsBefore.addAll(pendingComments);
                    } else {
                        ((Block) stmt).commentsBefore.addAll(pendingComments);
                    }
                    pendingComments.clear();
            }
        }
    }

    private Object parseStatement() throws ModuleRuleException {
        Token first = lex();
        Line l = new Line(first.line);
        l.tokens.add(first.text);
        while (true) {
            Token t = lex();
            if (t.isEol()) {
                if (t.kind == Kind.EOL_COMMENT) {
                    l.suffixComment = t.text;
                }
                statements.add(l);
                return l;
            }
            if (t.kind == Kind.LPAREN) {
                if (peeked.isEol()) {
                    Block b = parseBlock(first.line, l.tokens);
                    statements.add(b);
                    return b;
                }
                if (peeked.kind == Kind.RPAREN) {
                    Token rparen = lex();
                    if (peeked.isEol()) {
                        lex();
                        Block b = new Block(first.line, l.tokens);
                        statements.add(b);
                        return b;
                    }
                    l.tokens.add(t.text);
                    l.tokens.add(rparen.text);
                } else {
                    l.tokens.add(t.text);
                }
                continue;
            }
            l.tokens.add(t.text);
        }
    }

    private Block parseBlock(int startLine, List<String> tokens) throws ModuleRuleException {
        Block b = new Block(startLine, tokens);
        if (peeked.kind == Kind.EOL_COMMENT) {
            b.suffixComment = peeked.text;
        }
        List<String> comments = new ArrayList<>();
        while (true) {
            switch (peeked.kind) {
                case EOL_COMMENT:
                case NEWLINE:
                    lex();
                    break;
                case COMMENT:
                    comments.add(lex().text);
                    break;
                case EOF:
                    throw error(peeked.line, "syntax error (unterminated block started at go.mod:" + startLine + ")");
                case RPAREN:
                    lex();
                    if (!peeked.isEol()) {
                        throw error(peeked.line, "syntax error (expected newline after closing paren)");
                    }
                    lex();
                    return b;
                default:
                    Line l = parseBlockLine();
                    l.commentsBefore.addAll(comments);
                    comments.clear();
                    b.lines.add(l);
            }
        }
    }

    private Line parseBlockLine() throws ModuleRuleException {
        Token first = lex();
        Line l = new Line(first.line);
        l.tokens.add(first.text);
        while (true) {
            Token t = lex();
            if (t.isEol()) {
                if (t.kind == Kind.EOL_COMMENT) {
                    l.suffixComment = t.text;
                }
                return l;
            }
            l.tokens.add(t.text);
        }
    }

    private Token readToken() throws ModuleRuleException {
        while (pos < runes.length) {
            int c = runes[pos];
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
                continue;
            }
            if (startsWith("//")) {
                boolean suffix = !onlySpaceBeforeOnLine();
                int start = pos;
                pos += 2;
                while (pos < runes.length && runes[pos] != '\n') {
                    pos++;
                }
                // x/mod keeps the newline out of the comment text but consumes it for a suffix comment.
                String text = text(start, pos);
                int tokenLine = line;
                if (pos < runes.length) {
                    pos++;
                    line++;
                }
                return new Token(suffix ? Kind.EOL_COMMENT : Kind.COMMENT, text, tokenLine);
            }
            if (startsWith("/*")) {
                throw error(line, "mod files must use // comments (not /* */ comments)");
            }
            break;
        }
        if (pos >= runes.length) {
            return new Token(Kind.EOF, "", line);
        }
        int c = runes[pos];
        int tokenLine = line;
        switch (c) {
            case '\n':
                pos++;
                line++;
                return new Token(Kind.NEWLINE, "\n", tokenLine);
            case '(':
                pos++;
                return new Token(Kind.LPAREN, "(", tokenLine);
            case ')':
                pos++;
                return new Token(Kind.RPAREN, ")", tokenLine);
            case '[':
            case ']':
            case '{':
            case '}':
            case ',':
                pos++;
                return new Token(Kind.PUNCT, new String(Character.toChars(c)), tokenLine);
            case '"':
            case '`':
                return readString(c);
            default:
                break;
        }
        if (!isIdent(c)) {
            throw error(line, "unexpected input character " + ModulePath.quoteRune(c));
        }
        int start = pos;
        while (pos < runes.length && isIdent(runes[pos])) {
            if (startsWith("//")) {
                break;
            }
            if (startsWith("/*")) {
                throw error(line, "mod files must use // comments (not /* */ comments)");
            }
            pos++;
        }
        return new Token(Kind.IDENT, text(start, pos), tokenLine);
    }

    private Token readString(int quote) throws ModuleRuleException {
        int start = pos;
        int tokenLine = line;
        pos++;
        while (true) {
            if (pos >= runes.length) {
                throw error(tokenLine, "unexpected EOF in string");
            }
            if (runes[pos] == '\n') {
                throw error(line, "unexpected newline in string");
            }
            int c = runes[pos++];
            if (c == quote) {
                break;
            }
            if (c == '\\' && quote != '`') {
                if (pos >= runes.length) {
                    throw error(tokenLine, "unexpected EOF in string");
                }
                if (runes[pos] == '\n') {
                    line++;
                }
                pos++;
            }
        }
        return new Token(Kind.STRING, text(start, pos), tokenLine);
    }

    /**
     * A {@code //} is a suffix comment when the same line has non-space text before it. x/mod trims with
     * {@code bytes.TrimSpace}, i.e. Unicode white space.
     */
    private boolean onlySpaceBeforeOnLine() {
        for (int i = pos - 1; i >= 0 && runes[i] != '\n'; i--) {
            if (!UnicodeClass.isSpace(runes[i])) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(String s) {
        return pos + 1 < runes.length && runes[pos] == s.charAt(0) && runes[pos + 1] == s.charAt(1);
    }

    private String text(int from, int to) {
        return new String(runes, from, to - from);
    }

    static boolean isIdent(int c) {
        switch (c) {
            case ' ':
            case '(':
            case ')':
            case '[':
            case ']':
            case '{':
            case '}':
            case ',':
                return false;
            default:
                return !UnicodeClass.isSpace(c) && UnicodeClass.isPrint(c);
        }
    }

    static ModuleRuleException error(int line, String message) {
        return new ModuleRuleException("go.mod:" + line + ": " + message);
    }
}
