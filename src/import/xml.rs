//! A small, strict XML 1.0 reader: enough for XSPF, and careful with hostile input.
//!
//! It yields start tags (with namespaces resolved), end tags and text as a stream, so memory stays
//! proportional to the document, and checks well-formedness as it goes: tags nest and match, one
//! root, attributes quoted and unique, prefixes declared, only the five predefined entities and
//! character references. A DOCTYPE is refused outright, since entity declarations are how "billion
//! laughs" documents exhaust memory, and playlists never need one. Nesting is limited to
//! [`MAX_DEPTH`] and attributes to [`MAX_ATTRIBUTES`] per element.
//!
//! The caller passes text whose line ends are already normalized to LF, as XML requires.

use super::ImportError;

pub(super) const MAX_DEPTH: usize = 64;
pub(super) const MAX_ATTRIBUTES: usize = 64;

const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

#[derive(Debug, PartialEq)]
pub(super) enum Event {
    Start {
        /// The local name, without its prefix.
        name: String,
        /// The namespace URI, `None` when the element is in no namespace.
        ns: Option<String>,
        /// Attributes other than namespace declarations: qualified name and value.
        attrs: Vec<(String, String)>,
        line: usize,
    },
    End,
    Text(String),
}

struct Open {
    qname: String,
    line: usize,
    /// How many namespace bindings this element added.
    bindings: usize,
}

pub(super) struct Reader<'a> {
    s: &'a str,
    pos: usize,
    open: Vec<Open>,
    /// Namespace bindings in scope: prefix (`""` for the default) and URI (`""` unbinds).
    bindings: Vec<(String, String)>,
    pending_end: bool,
    seen_root: bool,
    /// A cursor for line numbers: the line at byte `line_pos`.
    line: usize,
    line_pos: usize,
}

impl<'a> Reader<'a> {
    pub(super) fn new(s: &'a str) -> Self {
        Self {
            s,
            pos: 0,
            open: Vec::new(),
            bindings: Vec::new(),
            pending_end: false,
            seen_root: false,
            line: 1,
            line_pos: 0,
        }
    }

    /// The 1-based line of byte `pos`.
    fn line_at(&mut self, pos: usize) -> usize {
        if pos < self.line_pos {
            self.line = 1;
            self.line_pos = 0;
        }
        let pos = pos.min(self.s.len());
        self.line += self.s.as_bytes()[self.line_pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_pos = pos;
        self.line
    }

    fn error(&mut self, pos: usize, problem: impl Into<String>) -> ImportError {
        ImportError::Xml {
            line: self.line_at(pos),
            problem: problem.into(),
        }
    }

    /// The next event, or `None` after the root element has closed and only comments,
    /// processing instructions and whitespace follow.
    ///
    /// # Errors
    /// The document is not well-formed, or declares a DOCTYPE.
    pub(super) fn next(&mut self) -> Result<Option<Event>, ImportError> {
        if self.pending_end {
            self.pending_end = false;
            self.close();
            return Ok(Some(Event::End));
        }
        loop {
            let rest = &self.s[self.pos..];
            if rest.is_empty() {
                if let Some(open) = self.open.last() {
                    let (name, line) = (open.qname.clone(), open.line);
                    return Err(self.error(
                        self.s.len(),
                        format!("the element <{name}> opened on line {line} is never closed"),
                    ));
                }
                if !self.seen_root {
                    return Err(self.error(self.s.len(), "there is no root element"));
                }
                return Ok(None);
            }
            if !rest.starts_with('<') {
                let end = rest.find('<').map_or(self.s.len(), |i| self.pos + i);
                let start = self.pos;
                let raw = &self.s[start..end];
                self.pos = end;
                if self.open.is_empty() {
                    if !raw.chars().all(|c| matches!(c, ' ' | '\t' | '\n')) {
                        return Err(self.error(start, "there is text outside the root element"));
                    }
                    continue;
                }
                return self.decode(raw, start, false).map(|t| Some(Event::Text(t)));
            }
            if rest.starts_with("<?") {
                self.skip_past(2, "?>", "a processing instruction is never closed")?;
            } else if rest.starts_with("<!--") {
                self.skip_past(4, "-->", "a comment is never closed")?;
            } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                let start = self.pos;
                if self.open.is_empty() {
                    return Err(self.error(start, "CDATA outside the root element"));
                }
                let Some(len) = cdata.find("]]>") else {
                    return Err(self.error(start, "a CDATA section is never closed"));
                };
                let text = &cdata[..len];
                self.pos += 9 + len + 3;
                if let Some(bad) = text.chars().find(|&c| !is_xml_char(c)) {
                    return Err(self.error(start, forbidden(bad)));
                }
                return Ok(Some(Event::Text(text.to_owned())));
            } else if rest.starts_with("<!") {
                let upper = rest.get(..9).unwrap_or(rest).to_ascii_uppercase();
                if upper.starts_with("<!DOCTYPE") || upper.starts_with("<!ENTITY") {
                    return Err(ImportError::XmlDoctype {
                        line: self.line_at(self.pos),
                    });
                }
                return Err(self.error(self.pos, "`<!` starts no comment or CDATA section"));
            } else if rest.starts_with("</") {
                return self.end_tag().map(Some);
            } else {
                return self.start_tag().map(Some);
            }
        }
    }

    fn skip_past(&mut self, from: usize, end: &str, problem: &str) -> Result<(), ImportError> {
        match self.s[self.pos + from..].find(end) {
            Some(i) => {
                self.pos += from + i + end.len();
                Ok(())
            }
            None => Err(self.error(self.pos, problem)),
        }
    }

    fn close(&mut self) {
        if let Some(open) = self.open.pop() {
            let keep = self.bindings.len() - open.bindings;
            self.bindings.truncate(keep);
        }
    }

    fn skip_whitespace(&mut self) -> bool {
        let rest = &self.s[self.pos..];
        let trimmed = rest.trim_start_matches([' ', '\t', '\n']);
        self.pos += rest.len() - trimmed.len();
        rest.len() != trimmed.len()
    }

    fn name(&mut self) -> Result<String, ImportError> {
        let rest = &self.s[self.pos..];
        let mut len = 0;
        for (i, c) in rest.char_indices() {
            let ok = if i == 0 {
                c.is_alphabetic() || c == '_' || c == ':'
            } else {
                c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{b7}')
            };
            if !ok {
                break;
            }
            len = i + c.len_utf8();
        }
        if len == 0 {
            return Err(self.error(self.pos, "expected a name"));
        }
        self.pos += len;
        Ok(rest[..len].to_owned())
    }

    fn end_tag(&mut self) -> Result<Event, ImportError> {
        let start = self.pos;
        self.pos += 2;
        let name = self.name()?;
        self.skip_whitespace();
        if !self.s[self.pos..].starts_with('>') {
            return Err(self.error(
                self.pos,
                format!("the end tag </{name}> is not closed by `>`"),
            ));
        }
        self.pos += 1;
        match self.open.last() {
            Some(open) if open.qname == name => {
                self.close();
                Ok(Event::End)
            }
            Some(open) => {
                let (qname, line) = (open.qname.clone(), open.line);
                Err(self.error(
                    start,
                    format!("</{name}> does not close <{qname}>, opened on line {line}"),
                ))
            }
            None => Err(self.error(start, format!("</{name}> closes no element"))),
        }
    }

    fn start_tag(&mut self) -> Result<Event, ImportError> {
        let start = self.pos;
        let line = self.line_at(start);
        if self.seen_root && self.open.is_empty() {
            return Err(self.error(start, "there is a second root element"));
        }
        if self.open.len() >= MAX_DEPTH {
            return Err(self.error(
                start,
                format!("elements are nested more than {MAX_DEPTH} deep"),
            ));
        }
        self.pos += 1;
        let qname = self.name()?;
        let mut attrs: Vec<(String, String)> = Vec::new();
        let self_closing = loop {
            let spaced = self.skip_whitespace();
            let rest = &self.s[self.pos..];
            if rest.starts_with("/>") {
                self.pos += 2;
                break true;
            }
            if rest.starts_with('>') {
                self.pos += 1;
                break false;
            }
            if rest.is_empty() {
                return Err(self.error(start, format!("the tag <{qname}> is never closed")));
            }
            if !spaced {
                return Err(self.error(self.pos, "attributes must be separated by whitespace"));
            }
            let name = self.name()?;
            self.skip_whitespace();
            if !self.s[self.pos..].starts_with('=') {
                return Err(self.error(self.pos, format!("the attribute {name} has no `=`")));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.attribute_value(&name)?;
            if attrs.iter().any(|(n, _)| *n == name) {
                return Err(self.error(start, format!("the attribute {name} appears twice")));
            }
            if attrs.len() >= MAX_ATTRIBUTES {
                return Err(self.error(
                    start,
                    format!("an element has more than {MAX_ATTRIBUTES} attributes"),
                ));
            }
            attrs.push((name, value));
        };
        self.seen_root = true;
        let mut bindings = 0;
        for (name, value) in &attrs {
            let prefix = if name == "xmlns" {
                Some("")
            } else {
                name.strip_prefix("xmlns:")
            };
            if let Some(prefix) = prefix {
                self.bindings.push((prefix.to_owned(), value.clone()));
                bindings += 1;
            }
        }
        self.open.push(Open {
            qname: qname.clone(),
            line,
            bindings,
        });
        let (prefix, local) = qname.split_once(':').unwrap_or(("", &qname));
        let ns = match self.namespace(prefix) {
            Some(ns) => ns,
            None => {
                return Err(self.error(
                    start,
                    format!("the namespace prefix `{prefix}` is not declared"),
                ))
            }
        };
        let event = Event::Start {
            name: local.to_owned(),
            ns,
            attrs: attrs
                .into_iter()
                .filter(|(n, _)| n != "xmlns" && !n.starts_with("xmlns:"))
                .collect(),
            line,
        };
        self.pending_end = self_closing;
        Ok(event)
    }

    /// The URI bound to `prefix`: `Some(None)` for no namespace, `None` when undeclared.
    fn namespace(&self, prefix: &str) -> Option<Option<String>> {
        if prefix == "xml" {
            return Some(Some(XML_NAMESPACE.to_owned()));
        }
        match self.bindings.iter().rev().find(|(p, _)| p == prefix) {
            Some((_, uri)) if uri.is_empty() => Some(None),
            Some((_, uri)) => Some(Some(uri.clone())),
            None if prefix.is_empty() => Some(None),
            None => None,
        }
    }

    fn attribute_value(&mut self, name: &str) -> Result<String, ImportError> {
        let start = self.pos;
        let rest = &self.s[self.pos..];
        let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            return Err(self.error(start, format!("the value of {name} is not quoted")));
        };
        let Some(len) = rest[1..].find(quote) else {
            return Err(self.error(start, format!("the value of {name} is never closed")));
        };
        let raw = &rest[1..1 + len];
        self.pos += len + 2;
        if raw.contains('<') {
            return Err(self.error(start, format!("the value of {name} holds a `<`")));
        }
        self.decode(raw, start, true)
    }

    /// Replaces entity and character references; in attribute values, TAB and LF become spaces
    /// as XML's attribute-value normalization says.
    fn decode(&mut self, raw: &str, at: usize, attribute: bool) -> Result<String, ImportError> {
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(i) = rest.find(['&', '\t', '\n']) {
            push_checked(self, &mut out, &rest[..i], at)?;
            let c = rest[i..].chars().next().unwrap_or('&');
            if c != '&' {
                out.push(if attribute { ' ' } else { c });
                rest = &rest[i + 1..];
                continue;
            }
            let after = &rest[i + 1..];
            let Some(end) = after.bytes().take(12).position(|b| b == b';') else {
                return Err(self.error(at, "a `&` starts no entity; write `&amp;`"));
            };
            let name = &after[..end];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => match name.strip_prefix('#') {
                    Some(n) => {
                        let code = match n.strip_prefix('x') {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => n.parse::<u32>().ok(),
                        };
                        match code.and_then(char::from_u32).filter(|&c| is_xml_char(c)) {
                            Some(c) => Some(c),
                            None => {
                                return Err(self
                                    .error(at, format!("&{name}; is not a character XML allows")))
                            }
                        }
                    }
                    None => None,
                },
            };
            let Some(c) = c else {
                return Err(self.error(at, format!("the entity &{name}; is not defined")));
            };
            out.push(c);
            rest = &after[end + 1..];
        }
        push_checked(self, &mut out, rest, at)?;
        Ok(out)
    }
}

fn push_checked(r: &mut Reader, out: &mut String, s: &str, at: usize) -> Result<(), ImportError> {
    if let Some(bad) = s.chars().find(|&c| !is_xml_char(c)) {
        return Err(r.error(at, forbidden(bad)));
    }
    out.push_str(s);
    Ok(())
}

fn forbidden(c: char) -> String {
    format!("the character U+{:04X} is not allowed in XML", u32::from(c))
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(s: &str) -> Result<Vec<Event>, ImportError> {
        let mut r = Reader::new(s);
        let mut out = Vec::new();
        while let Some(e) = r.next()? {
            out.push(e);
        }
        Ok(out)
    }

    fn problem(s: &str) -> String {
        match events(s) {
            Err(e) => e.to_string(),
            Ok(ev) => panic!("{s:?} must not parse, got {ev:?}"),
        }
    }

    #[test]
    fn elements_text_namespaces_and_references_are_read() {
        let got = events(
            "<?xml version=\"1.0\"?>\n<!-- hi -->\n<p:a xmlns:p=\"urn:p\" x='1 &amp;\n2'>\
             t&lt;&#65;&#x42;<![CDATA[<c>]]><b xmlns=\"urn:b\"/></p:a>\n",
        )
        .expect("a well-formed document parses");
        assert_eq!(
            got,
            [
                Event::Start {
                    name: "a".into(),
                    ns: Some("urn:p".into()),
                    attrs: vec![("x".into(), "1 & 2".into())],
                    line: 3
                },
                Event::Text("t<AB".into()),
                Event::Text("<c>".into()),
                Event::Start {
                    name: "b".into(),
                    ns: Some("urn:b".into()),
                    attrs: vec![],
                    line: 4
                },
                Event::End,
                Event::End,
            ],
            "prefixes resolve, references decode, attribute line breaks become spaces"
        );
    }

    #[test]
    fn malformed_documents_are_refused_with_the_line() {
        for (doc, expected) in [
            ("<a>\n<b>\n</a>", "line 3: the XML is not well-formed: </a> does not close <b>, opened on line 2"),
            ("<a>\n\n", "line 3: the XML is not well-formed: the element <a> opened on line 1 is never closed"),
            ("<a/><b/>", "line 1: the XML is not well-formed: there is a second root element"),
            ("<a x=1/>", "line 1: the XML is not well-formed: the value of x is not quoted"),
            ("<a x='1' x='2'/>", "line 1: the XML is not well-formed: the attribute x appears twice"),
            ("<a>&nbsp;</a>", "line 1: the XML is not well-formed: the entity &nbsp; is not defined"),
            ("<a>&#0;</a>", "line 1: the XML is not well-formed: &#0; is not a character XML allows"),
            ("<a>AT&T</a>", "line 1: the XML is not well-formed: a `&` starts no entity; write `&amp;`"),
            ("<p:a/>", "line 1: the XML is not well-formed: the namespace prefix `p` is not declared"),
            ("junk<a/>", "line 1: the XML is not well-formed: there is text outside the root element"),
            ("", "line 1: the XML is not well-formed: there is no root element"),
            ("<a>\u{1}</a>", "line 1: the XML is not well-formed: the character U+0001 is not allowed in XML"),
        ] {
            assert_eq!(problem(doc), expected, "for {doc:?}");
        }
    }

    #[test]
    fn a_doctype_is_refused_before_any_entity_is_expanded() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n\
                      <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n\
                      <lolz>&lol2;</lolz>";
        assert!(
            matches!(events(laughs), Err(ImportError::XmlDoctype { line: 2 })),
            "billion laughs must be refused at its DOCTYPE"
        );
    }

    #[test]
    fn deep_nesting_is_refused_instead_of_exhausting_the_stack() {
        let doc = "<a>".repeat(100_000);
        assert!(
            problem(&doc).contains("nested more than 64 deep"),
            "a limit on depth keeps memory and recursion bounded"
        );
    }
}
