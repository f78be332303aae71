package com.gitblit.plugin.goproxy.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test that runs the real {@code go} command or reads Go's sources ({@code golang.org/x/mod} under
 * {@link GoOracle#GOPATH}): Debian's golang-go and golang-golang-x-mod-dev. JUnit tag {@value #TAG}, so that
 * {@code -DexcludedGroups=go} runs the rest with a JDK (and git) alone; the full build runs them all, and a
 * missing tool there is a failure, never a skip.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RequiresGo.TAG)
public @interface RequiresGo {
    String TAG = "go";
}
