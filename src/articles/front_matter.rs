//! A reader for the YAML subset article front matter uses: `key: value`, quoted values, folded
//! and block scalars (`key:` or `key: >` followed by indented lines), `- item` and `[a, b]` lists,
//! and one level of nested maps. Anything else is skipped, never an error.

/// A front matter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Scalar(String),
    List(Vec<String>),
    Map(Vec<(String, String)>),
}

/// Splits `---` front matter off `text`: the entries and the body after the closing fence.
pub(crate) fn split(text: &str) -> Option<(Vec<(String, Value)>, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body = &rest[offset + line.len()..];
            return Some((parse(&rest[..offset]), body));
        }
        offset += line.len();
    }
    None
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Splits `key: rest` when `key` is a plain identifier.
fn key_value(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let key = key.trim();
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'));
    (valid && (rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')))
        .then(|| (key, rest.trim()))
}

/// Removes quotes from a scalar and a trailing ` # comment` from an unquoted one.
pub(crate) fn unquote(raw: &str) -> String {
    let raw = raw.trim();
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        let inner = &raw[1..raw.len() - 1];
        return inner
            .replace("\\\"", "\"")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
    }
    if raw.len() >= 2 && raw.starts_with('\'') && raw.ends_with('\'') {
        return raw[1..raw.len() - 1].replace("''", "'");
    }
    match raw.find(" #") {
        Some(pos) => raw[..pos].trim_end().to_owned(),
        None => raw.to_owned(),
    }
}

fn inline_list(raw: &str) -> Option<Vec<String>> {
    let inner = raw.strip_prefix('[')?.strip_suffix(']')?;
    Some(
        inner
            .split(',')
            .map(unquote)
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

fn parse(yaml: &str) -> Vec<(String, Value)> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut entries = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') || indent(line) > 0 {
            continue;
        }
        let Some((key, rest)) = key_value(line) else {
            continue;
        };
        let start = i;
        while i < lines.len() && (lines[i].trim().is_empty() || indent(lines[i]) > 0) {
            i += 1;
        }
        let children: Vec<&str> = lines[start..i]
            .iter()
            .copied()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let value = if let Some(list) = inline_list(rest) {
            Value::List(list)
        } else if rest == "|" || rest == "|-" {
            let lines: Vec<&str> = children.iter().map(|l| l.trim()).collect();
            Value::Scalar(lines.join("\n"))
        } else if !rest.is_empty() && !rest.starts_with('>') {
            Value::Scalar(unquote(rest))
        } else if !rest.is_empty() || children.is_empty() {
            Value::Scalar(fold(&children))
        } else if children
            .iter()
            .all(|l| l.trim_start().starts_with("- ") || l.trim() == "-")
        {
            Value::List(
                children
                    .iter()
                    .map(|l| unquote(l.trim_start().trim_start_matches('-')))
                    .filter(|s| !s.is_empty())
                    .collect(),
            )
        } else if children.iter().all(|l| key_value(l.trim()).is_some()) {
            Value::Map(
                children
                    .iter()
                    .filter_map(|l| key_value(l.trim()))
                    .map(|(k, v)| (k.to_owned(), unquote(v)))
                    .collect(),
            )
        } else {
            Value::Scalar(fold(&children))
        };
        entries.push((key.to_owned(), value));
    }
    entries
}

fn fold(lines: &[&str]) -> String {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    unquote(&lines.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(entries: &'a [(String, Value)], key: &str) -> Option<&'a Value> {
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    #[test]
    fn reads_scalars_quotes_folds_lists_and_maps() {
        let text = "---\ntitle: \"Up: \\\"the\\\" score\"\nname: 'It''s'\ndescription:\n  First line\n  second line.\nkeywords:\n  - film music\n  - \"scores\"\ntags: [a, 'b']\ncategory:\n  spotify: \"\"\n  slug: scores\nnote: plain # comment\nblock: |\n  one\n  two\n---\nBody";
        let (entries, body) = split(text).expect("front matter");
        assert_eq!(body, "Body", "the body follows the closing fence");
        assert_eq!(
            get(&entries, "title"),
            Some(&Value::Scalar("Up: \"the\" score".into())),
            "double quotes with escapes"
        );
        assert_eq!(
            get(&entries, "name"),
            Some(&Value::Scalar("It's".into())),
            "single quotes with doubled quote"
        );
        assert_eq!(
            get(&entries, "description"),
            Some(&Value::Scalar("First line second line.".into())),
            "indented lines fold"
        );
        assert_eq!(
            get(&entries, "keywords"),
            Some(&Value::List(vec!["film music".into(), "scores".into()])),
            "dash list"
        );
        assert_eq!(
            get(&entries, "tags"),
            Some(&Value::List(vec!["a".into(), "b".into()])),
            "inline list"
        );
        assert_eq!(
            get(&entries, "category"),
            Some(&Value::Map(vec![
                ("spotify".into(), String::new()),
                ("slug".into(), "scores".into())
            ])),
            "nested map"
        );
        assert_eq!(
            get(&entries, "note"),
            Some(&Value::Scalar("plain".into())),
            "comments are dropped"
        );
        assert_eq!(
            get(&entries, "block"),
            Some(&Value::Scalar("one\ntwo".into())),
            "literal block keeps lines"
        );
    }

    #[test]
    fn missing_closing_fence_means_no_front_matter() {
        assert!(
            split("---\ntitle: x\nno end").is_none(),
            "front matter needs a closing fence"
        );
        assert!(
            split("title: x\n---\n").is_none(),
            "front matter must open the text"
        );
    }
}
