//! Errors as values with a location. Every stage collects its problems into a
//! [`Diagnostics`] list instead of stopping at the first one, so that an editor sees
//! all of them in one run, each as `path:line:column: message`.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one input file. `line` and `column` are 1-based; 0 means unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { path: path.to_path_buf(), line, column, message: message.into() }
    }

    /// A problem with a whole file (it could not be read, it is missing).
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Self::new(path, 0, 0, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match (self.line, self.column) {
            (0, _) => write!(f, "{path}: {}", self.message),
            (line, 0) => write!(f, "{path}:{line}: {}", self.message),
            (line, column) => write!(f, "{path}:{line}:{column}: {}", self.message),
        }
    }
}

/// A collection of problems, kept in a stable order (by path, then position) so
/// that the output does not depend on which thread found what first.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, path: &Path, line: usize, column: usize, message: impl Into<String>) {
        self.push(Diagnostic::new(path, line, column, message));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The problems, sorted by file and position.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items
            .sort_by(|a, b| (&a.path, a.line, a.column, &a.message).cmp(&(&b.path, b.line, b.column, &b.message)));
        self.items.dedup();
        self.items
    }
}

/// Converts a byte offset in `text` into a 1-based (line, column), counting columns
/// in characters, as editors do.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let text = "аб\nвгд=1";
        assert_eq!(line_col(text, 0), (1, 1));
        let eq = text.find('=').unwrap();
        assert_eq!(line_col(text, eq), (2, 4));
    }

    #[test]
    fn display_omits_unknown_positions() {
        let p = Path::new("a.csv");
        assert_eq!(Diagnostic::new(p, 3, 7, "bad").to_string(), "a.csv:3:7: bad");
        assert_eq!(Diagnostic::file(p, "missing").to_string(), "a.csv: missing");
    }
}
