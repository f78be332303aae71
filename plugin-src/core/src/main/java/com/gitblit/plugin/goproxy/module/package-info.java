/**
 * Go's module rules, as cmd/go and golang.org/x/mod apply them, in plain Java with no dependency but the JDK.
 *
 * <p>Nothing here knows about git, HTTP or Gitblit. Each class holds one concept and is checked against
 * Go's own test tables and, differentially, against Debian's golang.org/x/mod (see test-fixtures/oracle):
 * <ul>
 *   <li>{@link com.gitblit.plugin.goproxy.module.ModulePath}: module, import and file path validity,
 *       major-version suffixes;</li>
 *   <li>{@link com.gitblit.plugin.goproxy.module.ModuleEscaping}: the {@code !}-encoding of upper case in
 *       proxy URLs;</li>
 *   <li>{@link com.gitblit.plugin.goproxy.module.SemVer}, {@link com.gitblit.plugin.goproxy.module.ModuleVersion},
 *       {@link com.gitblit.plugin.goproxy.module.PseudoVersion}: versions;</li>
 *   <li>{@link com.gitblit.plugin.goproxy.module.GoModFile}: reading a dependency's go.mod;</li>
 *   <li>{@link com.gitblit.plugin.goproxy.module.Utf8}, {@link com.gitblit.plugin.goproxy.module.CaseFold}
 *       and the generated {@code UnicodeTables}: Go's view of text, independent of the JVM's Unicode version.</li>
 * </ul>
 * Strings follow Go's conventions where x/mod returns {@code ""} for "no answer" (for example
 * {@code SemVer.canonical("bad")} is {@code ""}), so the differential tests compare like with like.
 */
package com.gitblit.plugin.goproxy.module;
