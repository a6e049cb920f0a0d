//! Source files and diagnostics that point into them (`file:line:column`).

use std::fmt;
use std::ops::Range;

/// A byte range into a [`SourceFile`].
pub type Span = Range<usize>;

/// The files that were read (schema.toml and the files it includes), kept so that errors can quote them. Their
/// texts are kept one after the other in `text`, so that one byte offset (a [`Span`]) says both which file and
/// where in it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name of the main file, as the user gave it.
    pub name: String,
    /// Every file's text, one after the other (each starting on a line of its own).
    pub text: String,
    /// Where lines start, found when a line is first asked for (only errors ask).
    lines: std::sync::OnceLock<Box<Lines>>,
    parts: Vec<Part>,
}

/// Where the lines of a [`SourceFile`] start.
#[derive(Debug, Clone)]
struct Lines {
    starts: Vec<usize>,
    /// For each file, the index in `starts` of its first line.
    first: Vec<usize>,
}

/// One file of a [`SourceFile`]: its name and where its text is.
#[derive(Debug, Clone)]
struct Part {
    name: String,
    start: usize,
    end: usize,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let name = name.into();
        // The text is kept as given (not copied): it is the first file.
        let text: String = text.into();
        SourceFile {
            parts: vec![Part {
                name: name.clone(),
                start: 0,
                end: text.len(),
            }],
            name,
            text,
            lines: std::sync::OnceLock::new(),
        }
    }

    /// Add another file (an included one); returns the offset its spans are shifted by.
    pub fn add(&mut self, name: impl Into<String>, text: &str) -> usize {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.parts.push(Part {
            name: name.into(),
            start,
            end: self.text.len(),
        });
        self.lines = std::sync::OnceLock::new();
        start
    }

    /// Where the lines start: each file's first line at its start, and a line after each line break of a file.
    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| {
            let mut lines = Lines {
                starts: Vec::new(),
                first: Vec::with_capacity(self.parts.len()),
            };
            for p in &self.parts {
                lines.first.push(lines.starts.len());
                lines.starts.push(p.start);
                lines.starts.extend(
                    self.text[p.start..p.end]
                        .match_indices('\n')
                        .map(|(i, _)| p.start + i + 1),
                );
            }
            lines.starts.shrink_to_fit();
            Box::new(lines)
        })
    }

    /// Each file's text and where it starts, the main file first.
    pub(crate) fn parts(&self) -> impl Iterator<Item = (usize, &str)> {
        self.parts
            .iter()
            .map(|p| (p.start, &self.text[p.start..p.end]))
    }

    fn part(&self, offset: usize) -> &Part {
        let i = self
            .parts
            .iter()
            .rposition(|p| p.start <= offset)
            .unwrap_or(0);
        &self.parts[i]
    }

    /// The name of the file that holds a byte offset.
    pub fn file_name(&self, offset: usize) -> &str {
        &self.part(offset).name
    }

    /// The text of the file that holds a byte offset, and where that file starts.
    pub fn file_text(&self, offset: usize) -> (&str, usize) {
        let p = self.part(offset);
        (&self.text[p.start..p.end], p.start)
    }

    /// 1-based line and column (in characters) of a byte offset, in its own file.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let lines = self.lines();
        let line = match lines.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = lines.starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        let part = self
            .parts
            .iter()
            .rposition(|p| p.start <= offset)
            .unwrap_or(0);
        (line + 1 - lines.first[part], col)
    }

    /// `file:line:column` of a byte offset.
    pub fn location(&self, offset: usize) -> String {
        let (line, col) = self.line_col(offset);
        format!("{}:{line}:{col}", self.file_name(self.clamp(offset)))
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
    /// Other places that explain it ("first declared here"), marked in the source too.
    pub notes: Vec<(Span, String)>,
}

/// Whether diagnostics are rendered with colour (the command line sets it from `--color`).
static STYLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Render diagnostics with colour from now on (or not).
pub fn set_color(color: bool) {
    STYLED.store(color, std::sync::atomic::Ordering::Relaxed);
}

impl Diagnostic {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span,
            label: None,
            help: None,
            notes: Vec::new(),
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

    /// Mark another place of the file with a label of its own.
    pub fn note(mut self, span: Span, label: impl Into<String>) -> Self {
        self.notes.push((span, label.into()));
        self
    }

    /// Render in the compiler style (through annotate-snippets), with colour when [`set_color`] asked for it:
    ///
    /// ```text
    /// error: unknown key `nul_null` in column `email` of table `users`
    ///  --> schema.toml:5:27
    ///   |
    /// 5 | email = { type = "text", nul_null = true }
    ///   |                          ^^^^^^^^ unknown key
    ///   |
    ///   = help: did you mean `not_null`?
    /// ```
    pub fn render(&self, file: &SourceFile) -> String {
        use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
        let start = file.clamp(self.span.start);
        let end = file.clamp(self.span.end.max(start));
        // The file of each place, its text shown inertly (control characters as `?`, byte for byte, so
        // that spans stay where they are), and the places in it.
        let mut places: Vec<(
            usize,
            AnnotationKind,
            std::ops::Range<usize>,
            Option<String>,
        )> = vec![(
            start,
            AnnotationKind::Primary,
            start..end,
            self.label.as_deref().map(|l| printable(l).into_owned()),
        )];
        for (span, l) in &self.notes {
            let s = file.clamp(span.start);
            places.push((
                s,
                AnnotationKind::Context,
                s..file.clamp(span.end.max(s)),
                Some(printable(l).into_owned()),
            ));
        }
        let mut files: Vec<(usize, String, String)> = Vec::new();
        for (at, ..) in &places {
            let (text, base) = file.file_text(*at);
            if !files.iter().any(|(b, ..)| *b == base) {
                let shown: String = text
                    .chars()
                    .map(|c| match c {
                        '\n' | '\t' => c.to_string(),
                        c if crate::fragment::needs_escape(c) => "?".repeat(c.len_utf8()),
                        c => c.to_string(),
                    })
                    .collect();
                files.push((base, file.file_name(*at).to_string(), shown));
            }
        }
        let message = printable(&self.message);
        let mut snippets = Vec::new();
        for (base, name, shown) in &files {
            let mut snippet = Snippet::source(shown.as_str()).path(name.as_str());
            for (at, kind, range, label) in &places {
                if file.file_text(*at).1 != *base {
                    continue;
                }
                let mut a = (*kind).span(range.start - base..range.end - base);
                if let Some(l) = label {
                    a = a.label(l.as_str());
                }
                snippet = snippet.annotation(a);
            }
            snippets.push(snippet);
        }
        // The primary place's file comes first: there is always one snippet.
        let mut snippets = snippets.into_iter();
        let first = snippets.next().expect("the primary place has a file");
        let mut group = Level::ERROR.primary_title(message.as_ref()).element(first);
        for snippet in snippets {
            group = group.element(snippet);
        }
        let help = self.help.as_deref().map(printable);
        if let Some(h) = &help {
            group = group.element(Level::HELP.message(h.as_ref()));
        }
        let renderer = if STYLED.load(std::sync::atomic::Ordering::Relaxed) {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = renderer.render(&[group]);
        out.push('\n');
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
    fn lines_and_columns_in_each_file_of_several() {
        // Files that end with a line break and one that does not, and an empty one.
        let mut f = SourceFile::new("main.toml", "a = 1\nbé = 2\n");
        f.add("b.toml", "x = 1\n\ny = \"é\"");
        f.add("c.toml", "");
        f.add("d.toml", "z = 3\nw = 4\n");
        for (start, text) in f.parts().collect::<Vec<_>>() {
            for (i, _) in text.char_indices() {
                let before = &text[..i];
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                assert_eq!(f.line_col(start + i), (line, col), "{start}+{i}");
            }
        }
        assert_eq!(f.location(f.text.find('z').unwrap()), "d.toml:1:1");
        assert_eq!(f.location(f.text.find('w').unwrap()), "d.toml:2:1");
    }

    #[test]
    fn render_marks_other_places_and_shows_control_characters_inertly() {
        let f = SourceFile::new("s.toml", "a = 1\nb = \"x\u{1b}[2J\"\na = 2\n");
        let d = Diagnostic::new(19..20, "`a` again")
            .label("second")
            .note(0..1, "first declared here");
        let out = d.render(&f);
        assert!(out.contains("first declared here"), "{out}");
        assert!(out.contains("^ second"), "{out}");
        let d = Diagnostic::new(6..7, "a raw \u{1b}[31m escape");
        let out = d.render(&f);
        assert!(!out.contains('\u{1b}'), "{out}");
    }

    #[test]
    fn render_marks_the_span() {
        let f = SourceFile::new("s.toml", "[t]\nx = { nul = 1 }\n");
        let d = Diagnostic::new(10..13, "unknown key `nul`")
            .label("unknown key")
            .help("did you mean `null`?");
        assert_eq!(
            d.render(&f),
            "error: unknown key `nul`\n --> s.toml:2:7\n  |\n2 | x = { nul = 1 }\n  |       ^^^ unknown key\n  |\n  = help: did you mean `null`?\n"
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
