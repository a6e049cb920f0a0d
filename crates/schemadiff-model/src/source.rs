//! Source files and diagnostics that point into them (`file:line:column`).

use std::fmt;
use std::ops::Range;

/// A byte range into a [`SourceFile`].
pub type Span = Range<usize>;

/// A file that was read, kept so that errors can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in errors (the path as the user gave it).
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// `name:line:column` of a byte offset.
    pub fn location(&self, offset: usize) -> String {
        let (line, col) = self.line_col(offset);
        format!("{}:{line}:{col}", self.name)
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map(|e| e - 1)
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// One problem found in a file, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
    /// A short text printed under the marked source.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Render in the compiler style:
    ///
    /// ```text
    /// error: unknown key `nul_null` in column `email` of table `users`
    ///  --> schema.toml:5:27
    ///   |
    /// 5 | email = { type = "text", nul_null = true }
    ///   |                          ^^^^^^^^ unknown key
    ///   = help: did you mean `not_null`?
    /// ```
    pub fn render(&self, file: &SourceFile) -> String {
        let start = file.clamp(self.span.start);
        let (line, col) = file.line_col(start);
        let text = file.line_text(line);
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        // Width of the mark: the span's characters on its first line, at least one.
        let line_end = file.line_starts[line - 1] + text.len();
        let end = file.clamp(self.span.end.min(line_end).max(start));
        let width = file.text[start..end].chars().count().max(1);
        let shown: String = text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let shown = printable(&shown);
        let mut out = String::new();
        out.push_str(&format!("error: {}\n", printable(&self.message)));
        out.push_str(&format!("{pad}--> {}:{line}:{col}\n", file.name));
        out.push_str(&format!("{pad} |\n"));
        out.push_str(&format!("{line} | {shown}\n"));
        out.push_str(&format!(
            "{pad} | {}{}",
            " ".repeat(col - 1),
            "^".repeat(width)
        ));
        if let Some(label) = &self.label {
            out.push(' ');
            out.push_str(&printable(label));
        }
        out.push('\n');
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {}\n", printable(help)));
        }
        out
    }
}

/// `text` safe to print on a terminal or in a CI log: control characters (line breaks, escape sequences) are
/// shown as escapes (`\n`, `\u{1b}`), so a name or comment cannot start a line of its own (a GitHub
/// `::add-mask::` command) or drive the terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(crate::fragment::needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if crate::fragment::needs_escape(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// All the problems found in one file. Its `Display` renders every one of them, in file order.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    pub file: SourceFile,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: SourceFile, mut items: Vec<Diagnostic>) -> Self {
        items.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.message).cmp(&(b.span.start, b.span.end, &b.message))
        });
        items.dedup();
        Diagnostics { file, items }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            writeln!(f, "{}", d.render(&self.file))?;
        }
        let n = self.items.len();
        let s = if n == 1 { "" } else { "s" };
        write!(f, "{n} error{s} in {}", self.file.name)
    }
}

impl std::error::Error for Diagnostics {}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("x.toml", "a = 1\nbé = \"x\"\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        // `=` after the two-byte é is the 4th character of line 2.
        assert_eq!(f.line_col(10), (2, 4));
        assert_eq!(f.location(10), "x.toml:2:4");
    }

    #[test]
    fn render_marks_the_span() {
        let f = SourceFile::new("s.toml", "[t]\nx = { nul = 1 }\n");
        let d = Diagnostic::new(10..13, "unknown key `nul`")
            .label("unknown key")
            .help("did you mean `null`?");
        assert_eq!(
            d.render(&f),
            "error: unknown key `nul`\n --> s.toml:2:7\n  |\n2 | x = { nul = 1 }\n  |       ^^^ unknown key\n  = help: did you mean `null`?\n"
        );
    }

    #[test]
    fn suggestions_only_for_close_words() {
        let keys = ["type", "not_null", "default"];
        assert_eq!(did_you_mean("nul_null", keys), Some("not_null"));
        assert_eq!(did_you_mean("defualt", keys), Some("default"));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
    }
}
