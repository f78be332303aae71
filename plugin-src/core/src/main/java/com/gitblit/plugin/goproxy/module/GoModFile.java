package com.gitblit.plugin.goproxy.module;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A dependency's go.mod, read the way cmd/go reads it (x/mod modfile.ParseLax: unknown and
 * main-module-only directives ignored; {@code module}, {@code go}, {@code require} and {@code retract}
 * parsed and checked), plus the two other readings cmd/go applies:
 * <ul>
 *   <li>{@link #modulePathOf(byte[])}: the quick extraction (modfile.ModulePath) used while locating a
 *       module's go.mod in a repository;</li>
 *   <li>{@link #synthesize(String)}: the go.mod cmd/go makes up for a version that has none.</li>
 * </ul>
 */
public final class GoModFile {
    private final String modulePath;
    private final String goVersion;
    private final List<Retraction> retractions;

    public GoModFile(String modulePath, String goVersion, List<Retraction> retractions) {
        this.modulePath = modulePath;
        this.goVersion = goVersion;
        this.retractions = retractions;
    }

    /** Lax parse; throws with the first error, in x/mod's words ({@code go.mod:3: unknown ...}). */
    public static GoModFile parseLax(byte[] data) throws ModuleRuleException {
        return GoModReader.parseLax(data);
    }

    /** The {@code module} line's path, or {@code null} when there is none. */
    public String modulePath() {
        return modulePath;
    }

    /** The {@code go} line's version as the lax parse leaves it (e.g. {@code "1.21"}), or {@code null}. */
    public String goVersion() {
        return goVersion;
    }

    public List<Retraction> retractions() {
        return retractions;
    }

    /** True iff some retract interval covers {@code version}. */
    public boolean isRetracted(String version) {
        for (Retraction r : retractions) {
            if (r.covers(version)) {
                return true;
            }
        }
        return false;
    }

    /** x/mod modfile.ModulePath: the module path from the first {@code module} line, or {@code ""}. */
    public static String modulePathOf(byte[] data) {
        return GoModReader.modulePathOf(data);
    }

    /** The go.mod cmd/go synthesizes for a version without one: {@code "module " + AutoQuote(path) + "\n"}. */
    public static byte[] synthesize(String modulePath) {
        return ("module " + GoModReader.autoQuote(modulePath) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Why this go.mod makes a version invalid for {@code requestedPath} in the sense of the rules digest,
     * section 19 (lax parse fails; no module line; module path invalid; declares another module path);
     * {@code null} when it is fine.
     */
    public static GoModProblem problem(byte[] data, String requestedPath) {
        GoModFile parsed;
        try {
            parsed = parseLax(data);
        } catch (ModuleRuleException e) {
            return new GoModProblem(GoModProblem.Kind.UNPARSABLE, e.getMessage());
        }
        if (parsed.modulePath() == null) {
            return new GoModProblem(GoModProblem.Kind.NO_MODULE_DIRECTIVE, "go.mod has no module directive");
        }
        if (!parsed.modulePath().equals(requestedPath)) {
            return new GoModProblem(GoModProblem.Kind.FOREIGN_MODULE_PATH, "go.mod declares module "
                    + GoQuote.quote(parsed.modulePath()) + ", not " + GoQuote.quote(requestedPath));
        }
        return null;
    }
}
