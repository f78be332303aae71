package com.gitblit.plugin.goproxy.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test that compares with glibc's {@code iconv} (the converter git uses on Linux; Debian's libc-bin): another
 * iconv, e.g. macOS's libiconv, converts differently. JUnit tag {@value #TAG}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(RequiresGlibcIconv.TAG)
public @interface RequiresGlibcIconv {
    String TAG = "glibc-iconv";
}
