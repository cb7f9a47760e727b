//! The template minifier's tests: what comes back as written, what is refused.
use super::*;

fn min(t: &str) -> Option<String> {
    template(t, &config())
}

#[test]
fn tags_in_text_and_in_quoted_values_come_back_as_written() {
    assert_eq!(
        min("<ul>\n  {% for d in docs %}\n  <li class=\"row{% if d.x %} x{% endif %}\">\n    <a href=\"{{ d.url }}\">{{ d.title }}</a>\n  </li>\n  {% endfor %}\n</ul>\n")
            .as_deref(),
        Some("<ul>{% for d in docs %}<li class=\"row{% if d.x %} x{% endif %}\"><a href=\"{{ d.url }}\">{{ d.title }}</a></li>{% endfor %}</ul>")
    );
}

#[test]
fn white_space_around_a_statement_is_kept_where_it_shows() {
    // Between list items it does not show; between words it does.
    assert_eq!(
        min("<p>\n  甲 {% if x %}乙 {% endif %}丙\n</p>\n<ul>\n  {% if y %}\n  <li>丁</li>\n  {% endif %}\n</ul>").as_deref(),
        Some("<p>甲 {% if x %}乙 {% endif %}丙</p><ul>{% if y %}<li>丁</li>{% endif %}</ul>")
    );
}

#[test]
fn a_value_that_holds_a_tag_stays_quoted() {
    // A value without a space would be written unquoted, and a URL with one would break it.
    assert_eq!(
        min(r#"<a href="{{u}}" id="x">t</a>"#).as_deref(),
        Some(r#"<a href="{{u}}" id=x>t</a>"#)
    );
}

#[test]
fn raw_blocks_comments_and_strings_with_closers_are_one_tag_each() {
    assert_eq!(
        min("<p>{{ \"a }} b\" }}</p> {# note #} <pre>{% raw %}{{ x }}{% endraw %}</pre>")
            .as_deref(),
        Some("<p>{{ \"a }} b\" }}</p><pre>{% raw %}{{ x }}{% endraw %}</pre>")
    );
    assert_eq!(tera_tags("{{ x"), None, "an unclosed tag");
}

#[test]
fn any_text_in_a_tag_is_read_without_a_panic() {
    // Byte by byte through a tag: never a slice inside a character.
    assert_eq!(
        min("<p>{{ 标题 }}{% if 甲 == \"乙\" %}丙{% endif %}</p>").as_deref(),
        Some("<p>{{ 标题 }}{% if 甲 == \"乙\" %}丙{% endif %}</p>")
    );
    for broken in [
        "{{ 中",
        "{% if \"中",
        "<a href=\"{{ 中 }}",
        "<p 中=\"{{ x }}\">",
    ] {
        let _ = min(broken);
    }
}

/// Whatever a theme's author writes, loading it never panics, and a template that is
/// minified still says the same to Tera: the same tags, in the same order.
#[test]
fn arbitrary_templates_are_minified_or_refused_never_broken() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let piece = prop_oneof![
        Just("<p>"),
        Just("</p>"),
        Just("<ul>"),
        Just("<li class=\""),
        Just("<a href=\""),
        Just("<a "),
        Just("\""),
        Just("'"),
        Just("="),
        Just(">"),
        Just("<"),
        Just("</"),
        Just(" "),
        Just("\n  "),
        Just("{{ x }}"),
        Just("{{ \"}}\" }}"),
        Just("{% if x %}"),
        Just("{% else %}"),
        Just("{% endif %}"),
        Just("{%- for y in z -%}"),
        Just("{% endfor %}"),
        Just("{# 注释 #}"),
        Just("{#- c -#}"),
        Just("{% raw %}"),
        Just("{% endraw %}"),
        Just("{{"),
        Just("}}"),
        Just("%}"),
        Just("<!--"),
        Just("-->"),
        Just("<script>"),
        Just("</script>"),
        Just("<title>"),
        Just("<input disabled="),
        Just("\u{E010}"),
        Just("\u{E011}"),
        Just("中文"),
    ];
    let strategy = proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat());
    let tera_tags_of = |t: &str| -> Vec<String> {
        tera_tags(t)
            .unwrap_or_default()
            .into_iter()
            .map(|r| t[r].to_string())
            .filter(|t| !t.starts_with("{#"))
            .collect()
    };
    let mut runner = TestRunner::new(Config::with_cases(1024));
    runner
        .run(&strategy, |source| {
            if let Some(minified) = min(&source) {
                prop_assert_eq!(tera_tags_of(&minified), tera_tags_of(&source));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_body_of_a_script_is_left_alone() {
    assert_eq!(
        min("<script type=\"application/ld+json\">{{ jsonld | safe }}  </script>").as_deref(),
        Some("<script type=application/ld+json>{{ jsonld | safe }}  </script>")
    );
}

#[test]
fn a_tag_between_attributes_is_refused() {
    // minify-html sorts attributes: the `if` would no longer hold the one it guards.
    assert_eq!(
        min(r#"<a href="/"{% if x %} aria-current="page"{% endif %}>t</a>"#),
        None
    );
    assert_eq!(
        min(r#"<a{% if x %} class="y"{% endif %} href="/">t</a>"#),
        None
    );
    assert_eq!(min(r#"<a href={{ u }}>t</a>"#), None, "an unquoted value");
    assert_eq!(min("<{{ tag }}>t</{{ tag }}>"), None, "a tag's name");
}

#[test]
fn a_block_split_between_two_attributes_is_refused() {
    assert_eq!(
        min(r#"<a href="{% if x %}/a" class="b{% endif %}">t</a>"#),
        None
    );
}

#[test]
fn a_tag_in_a_comment_is_refused() {
    // The comment is removed, and the `if` with it.
    assert_eq!(min("<!-- {% if x %} -->a{% endif %}"), None);
}

#[test]
fn an_end_tag_whose_start_is_elsewhere_is_refused() {
    // minify-html drops an end tag that closes nothing; the page needed it.
    assert_eq!(min("x</div>"), None);
    assert_eq!(min("</main>\n<footer>f</footer>"), None);
    // Kept, though unbalanced: the minifier wrote every tag it was given.
    assert_eq!(
        min("{% if wide %}<div class=\"w\">{% endif %}x</div>").as_deref(),
        Some("{% if wide %}<div class=w>{% endif %}x</div>")
    );
}

#[test]
fn a_boolean_attribute_with_a_tag_is_refused() {
    // minify-html drops a boolean attribute's value, tag and all.
    assert_eq!(min(r#"<input disabled="{{ d }}">"#), None);
}

#[test]
fn every_template_or_none() {
    let ok = ("a.html".to_string(), "<p> {{ x }} </p>".to_string());
    let feed = ("feed.xml".to_string(), "<a>  {{ x }}  </a>".to_string());
    let bad = (
        "b.html".to_string(),
        "<a{% if x %} y{% endif %}>".to_string(),
    );
    assert_eq!(
        templates(&[ok.clone(), feed.clone()], &config()),
        Some(vec![
            ("a.html".into(), "<p>{{ x }}</p>".into()),
            feed.clone()
        ])
    );
    assert_eq!(templates(&[ok, bad], &config()), None);
}
