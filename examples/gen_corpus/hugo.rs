//! The same corpus as a Hugo site, so that Hugo (plus Pagefind for search) builds comparable work:
//! the same public documents and bodies, taxonomies for issuers, subjects, kinds, years, status
//! and gazette issues (term links built from the front matter with `urlize`, the idiomatic and
//! cheaper way; `GetTerms` cost Hugo about 0.4 ms a page more), term lists paginated 50 a page, a home page with an RSS feed and a JSON
//! export, and a document page showing the metadata block, the relations both ways and the body.
//! Hugo cannot compute status from relations at build time, so the generator writes it (as of
//! 2026-06-30) into each page's front matter; everything else Hugo resolves itself.

use crate::plan::{Doc, InterpLink, Issue};
use crate::registry::{ISSUERS, KINDS, SUBJECTS};
use crate::site::{BASE_URL, FEED_LENGTH, PAGE_SIZE, SITE_TITLE, yaml_str};
use std::fmt::Write;

pub fn config() -> String {
    format!(
        r##"baseURL = "{BASE_URL}"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "{SITE_TITLE}"
hasCJKLanguage = true
paginate = {PAGE_SIZE}
rssLimit = {FEED_LENGTH}
buildFuture = true
buildExpired = true
enableRobotsTXT = false
disableHugoGeneratorInject = true

[taxonomies]
  issuer = "issuers"
  subject = "subjects"
  kind = "kinds"
  year = "years"
  status = "status"
  gazette = "gazette"

[outputs]
  home = ["HTML", "RSS", "JSON"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[minify]
  minifyOutput = true

[markup.goldmark.renderer]
  unsafe = false
"##
    )
}

/// Layout files: (path under `layouts/`, content).
pub const LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | absURL }}">
<style>
body{font-family:"Noto Sans CJK SC",sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem;line-height:1.7}
nav a{margin-right:1em}dl.meta{display:grid;grid-template-columns:8em 1fr;border:1px solid #ccc;padding:.5em}
dl.meta dt{font-weight:bold}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}
.status{color:#a00}
</style>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/documents/" | relURL }}">文件库</a><a href="{{ "/kinds/" | relURL }}">文种</a><a href="{{ "/issuers/" | relURL }}">发文机关</a><a href="{{ "/subjects/" | relURL }}">主题分类</a><a href="{{ "/years/" | relURL }}">年份</a><a href="{{ "/status/" | relURL }}">时效性</a><a href="{{ "/gazette/" | relURL }}">政府公报</a><a href="{{ "/search/" | relURL }}">检索</a></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ site.Title }}</p></footer>
</body>
</html>
"##,
    ),
    (
        "partials/doclist.html",
        r##"<ul class="docs">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.doc_number }} <span>{{ . }}</span>{{ end }} <time>{{ .Date.Format "2006-01-02" }}</time>{{ with .Params.status }} <span class="status">{{ index . 0 }}</span>{{ end }}{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>{{ end }}</ul>
"##,
    ),
    (
        "partials/links.html",
        r##"{{ range . }}{{ with site.GetPage . }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.doc_number }}({{ . }}){{ end }}<br>{{ end }}{{ end }}"##,
    ),
    (
        "_default/single.html",
        r##"{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<dl class="meta">
<dt>文种</dt><dd>{{ range .Params.kinds }}<a href="{{ printf "/kinds/%s/" (urlize .) | relURL }}">{{ . }}</a> {{ end }}</dd>
{{ with .Params.doc_number }}<dt>发文字号</dt><dd>{{ . }}</dd>{{ end }}
<dt>发文机关</dt><dd>{{ range .Params.issuers }}<a href="{{ printf "/issuers/%s/" (urlize .) | relURL }}">{{ . }}</a> {{ end }}</dd>
{{ with .Params.issued }}<dt>成文日期</dt><dd>{{ . }}</dd>{{ end }}
<dt>发布日期</dt><dd>{{ .Date.Format "2006-01-02" }}</dd>
{{ with .Params.effective }}<dt>施行日期</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.valid_until }}<dt>有效期至</dt><dd>{{ . }}</dd>{{ end }}
<dt>时效性</dt><dd>{{ range .Params.status }}<a class="status" href="{{ printf "/status/%s/" (urlize .) | relURL }}">{{ . }}</a> {{ end }}</dd>
{{ with .Params.gazette }}<dt>政府公报</dt><dd>{{ range . }}<a href="{{ printf "/gazette/%s/" . | relURL }}">{{ . }}</a>{{ end }}</dd>{{ end }}
{{ with .Params.subjects }}<dt>主题分类</dt><dd>{{ range . }}<a href="{{ printf "/subjects/%s/" (urlize .) | relURL }}">{{ . }}</a> {{ end }}</dd>{{ end }}
{{ with .Params.record_number }}<dt>备案号</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.index_no }}<dt>索引号</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.source }}<dt>来源</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.repeals }}<dt>废止</dt><dd>{{ partial "links.html" . }}</dd>{{ end }}
{{ with .Params.repealed_by }}<dt>被废止</dt><dd>{{ partial "links.html" . }}</dd>{{ end }}
{{ with .Params.amends }}<dt>修改</dt><dd>{{ partial "links.html" . }}</dd>{{ end }}
{{ with .Params.amended_by }}<dt>被修改</dt><dd>{{ partial "links.html" . }}</dd>{{ end }}
{{ with .Params.interprets }}<dt>解读对象</dt><dd>{{ partial "links.html" (slice .) }}</dd>{{ end }}
{{ if or .Params.interpretations .Params.interpretation_urls }}<dt>政策解读</dt><dd>{{ partial "links.html" .Params.interpretations }}{{ range .Params.interpretation_urls }}<a href="{{ . }}">{{ . }}</a><br>{{ end }}</dd>{{ end }}
</dl>
{{ with .Params.summary }}<p class="summary">{{ . }}</p>{{ end }}
<div data-pagefind-body>
<h2 data-pagefind-meta="title">{{ .Title }}</h2>
{{ .Content }}
</div>
</article>{{ end }}
"##,
    ),
    (
        "_default/list.html",
        r##"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $p := .Paginate .Pages }}{{ partial "doclist.html" $p.Pages }}{{ template "_internal/pagination.html" . }}{{ end }}
"##,
    ),
    (
        "_default/term.html",
        r##"{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Params.issue_date }}<p>出版日期:{{ . }}{{ with $.Params.total_number }} 总第{{ . }}期{{ end }}</p>{{ end }}{{ .Content }}
{{ $p := .Paginate .Pages }}{{ partial "doclist.html" $p.Pages }}{{ template "_internal/pagination.html" . }}{{ end }}
"##,
    ),
    (
        "_default/terms.html",
        r##"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"##,
    ),
    (
        "_default/search.html",
        r##"{{ define "main" }}<h1>{{ .Title }}</h1>
<link href="{{ "pagefind/pagefind-ui.css" | relURL }}" rel="stylesheet">
<script src="{{ "pagefind/pagefind-ui.js" | relURL }}"></script>
<div id="search"></div>
<script>window.addEventListener('DOMContentLoaded',()=>{new PagefindUI({element:"#search"});});</script>{{ end }}
"##,
    ),
    (
        "index.html",
        r##"{{ define "main" }}<h1>{{ site.Title }}</h1>
<h2>文种</h2><ul>{{ range site.Taxonomies.kinds.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>最新文件</h2>{{ partial "doclist.html" (first 20 (where site.RegularPages "Section" "documents")) }}{{ end }}
"##,
    ),
    (
        "index.json",
        r##"[{{ range $i, $p := where site.RegularPages "Section" "documents" }}{{ if $i }},{{ end }}{{ dict "id" $p.File.ContentBaseName "title" $p.Title "url" $p.Permalink "doc_number" $p.Params.doc_number "issuers" $p.Params.issuers "published" ($p.Date.Format "2006-01-02") "kinds" $p.Params.kinds "status" $p.Params.status | jsonify }}{{ end }}]
"##,
    ),
];

fn list(o: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(o, "{key}:");
    for it in items {
        let _ = writeln!(o, "  - {}", yaml_str(it));
    }
}

pub fn content_path(d: &Doc) -> String {
    format!("/documents/{}/{}", d.published.year(), d.id)
}

/// The Hugo front matter of a public document.
pub fn front_matter(docs: &[Doc], i: usize) -> String {
    let d = &docs[i];
    let mut o = String::with_capacity(1536);
    o.push_str("---\n");
    let _ = writeln!(o, "title: {}", yaml_str(&d.title));
    let _ = writeln!(o, "date: {}", d.published);
    let _ = writeln!(o, "url: /documents/{}/", d.id);
    list(&mut o, "kinds", &[KINDS[d.kind].label.to_string()]);
    let names: Vec<String> = d.issuers.iter().map(|&k| ISSUERS[k].name.into()).collect();
    list(&mut o, "issuers", &names);
    let subjects: Vec<String> = d
        .subjects
        .iter()
        .map(|&s| SUBJECTS[s].name.into())
        .collect();
    list(&mut o, "subjects", &subjects);
    list(&mut o, "years", &[d.published.year().to_string()]);
    list(&mut o, "status", &[d.status.label().to_string()]);
    if let Some(g) = d.gazette {
        list(&mut o, "gazette", &[g.key()]);
    }
    for (key, v) in [
        ("doc_number", d.doc_number.clone()),
        ("issued", d.issued.map(|x| x.to_string())),
        ("effective", d.effective.map(|x| x.to_string())),
        ("valid_until", d.expires.map(|x| x.to_string())),
        ("record_number", d.record_number.clone()),
        ("index_no", d.index_no.clone()),
        ("source", d.source.map(String::from)),
        ("summary", d.summary.clone()),
    ] {
        if let Some(v) = v {
            // Quoted, so that Hugo keeps dates as the strings they are.
            let _ = writeln!(
                o,
                "{key}: \"{}\"",
                v.replace('\\', "\\\\").replace('"', "\\\"")
            );
        }
    }
    let paths = |v: &[usize]| {
        v.iter()
            .map(|&j| content_path(&docs[j]))
            .collect::<Vec<_>>()
    };
    list(&mut o, "repeals", &paths(&d.repeals));
    list(&mut o, "repealed_by", &paths(&d.repealed_by));
    list(&mut o, "amends", &paths(&d.amends));
    list(&mut o, "amended_by", &paths(&d.amended_by));
    if let Some(t) = d.interprets {
        let _ = writeln!(o, "interprets: {}", content_path(&docs[t]));
    }
    // Shown on both pages whichever side named them: the union of both directions.
    let mut interp = paths(&d.interpreted_by);
    let mut urls = Vec::new();
    for l in &d.interpretation {
        match l {
            InterpLink::Id(j) => {
                let p = content_path(&docs[*j]);
                if !interp.contains(&p) {
                    interp.push(p);
                }
            }
            InterpLink::Url(u) => urls.push(u.clone()),
        }
    }
    list(&mut o, "interpretations", &interp);
    list(&mut o, "interpretation_urls", &urls);
    o.push_str("---\n");
    o
}

/// A gazette issue as the content of its taxonomy term page.
pub fn issue_page(issue: Issue, gazette_file: Option<&str>) -> String {
    let mut o = String::from("---\n");
    let _ = writeln!(o, "title: {SITE_TITLE} {}年第{}期", issue.year, issue.nn);
    let _ = writeln!(o, "issue_date: \"{}\"", issue.published());
    let _ = writeln!(o, "total_number: {}", issue.total_number());
    o.push_str("---\n");
    if let Some(file) = gazette_file {
        // The foreword: whatever follows the gazette file's front matter.
        if let Some(body) = file.splitn(3, "---\n").nth(2) {
            o.push_str(body);
        }
    }
    o
}

pub const SEARCH_PAGE: &str = "---\ntitle: 检索\nlayout: search\nurl: /search/\n---\n";
pub const DOCUMENTS_INDEX: &str = "---\ntitle: 文件库\n---\n";
