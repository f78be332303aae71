package com.gitblit.plugin.goproxy.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test that runs the real {@code git} command ({@link GitCli}): Debian's git. JUnit tag {@value #TAG}, so that
 * {@code -DexcludedGroups=go,git-cli} runs the rest with a JDK alone.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RequiresGitCli.TAG)
public @interface RequiresGitCli {
    String TAG = "git-cli";
}
