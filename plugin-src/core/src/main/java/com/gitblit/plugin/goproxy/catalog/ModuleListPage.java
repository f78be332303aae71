package com.gitblit.plugin.goproxy.catalog;

import java.util.Collections;
import java.util.List;

/** One page of the instance-wide module list. */
public final class ModuleListPage {
    private final List<ModuleSummary> rows;
    private final int total;
    private final int page;
    private final int pages;

    ModuleListPage(List<ModuleSummary> rows, int total, int page, int pages) {
        this.rows = Collections.unmodifiableList(rows);
        this.total = total;
        this.page = page;
        this.pages = pages;
    }

    public List<ModuleSummary> rows() {
        return rows;
    }

    /** Modules matching the search, on all pages. */
    public int total() {
        return total;
    }

    /** This page's number, from 1. */
    public int page() {
        return page;
    }

    public int pages() {
        return pages;
    }
}
